"""The day's reports (日报) of the seeded organisation (Seeder.make_work_reports).

Demo and tiny: the previous working day's reports of every rep, prepared by the cron with
their facts and handed in as reps hand them in (most on time, one late, one never: missing,
reminded once), half of the submitted ones commented on by their leader (点评); and today's
drafts, ready for the reps to fill. Bench: none (``scripts/benchmarks/work_reports.py``
makes its own).
"""

from datetime import datetime, time, timedelta

# (English, Chinese): what reps write, picked in turn
FEEDBACK = (
    (
        "Buyers wait for the steel price to settle before ordering.",
        "客户在等钢材价格稳定后再下单。",
    ),
    ("Two customers asked for longer payment terms.", "两家客户要求延长付款期限。"),
    ("Demand for the compact range is up in the south.", "南方市场对紧凑型产品需求上升。"),
)
HIGHLIGHTS = (
    ("Won the framework order of the industrial park.", "拿下工业园区的框架订单。"),
    ("A new customer signed after the second visit.", "一家新客户在第二次拜访后签约。"),
    ("Collected the overdue invoice of last month.", "收回了上月的逾期款。"),
)
COMPETITOR_NEWS = (
    ("A competitor cut its list prices by 5%.", "竞争对手将目录价下调了5%。"),
    ("A competitor offers free installation this quarter.", "竞争对手本季度提供免费安装。"),
)
HELP = (
    ("Need a technical engineer for a site visit on Thursday.", "周四现场拜访需要技术工程师支持。"),
    ("", ""),
    ("A delivery is late: please push the warehouse.", "有一单发货延迟，请协调仓库。"),  # noqa: RUF001
)
PLANS = (
    (
        "Visit two customers in the industrial park; send the revised quotation.",
        "拜访工业园区两家客户；发送修改后的报价。",  # noqa: RUF001
    ),
    ("Follow up the open quotations and the overdue invoice.", "跟进未结报价和逾期发票。"),
    ("Prepare the bid documents with the sales desk.", "与销售内勤准备投标文件。"),
)
COMMENTS = (
    ("Good day. Bring the engineer, I will arrange it.", "今天不错。工程师我来安排。"),
    ("Push the overdue invoice before the end of the week.", "本周内催回逾期款项。"),
    ("Well done on the new customer, keep the follow-up tight.", "新客户开发得好，保持跟进。"),  # noqa: RUF001
)


class WorkReportSteps:
    """Steps of the Seeder (seeder.py) for the day's reports; uses its ``env``, ``company``,
    ``today``, ``teams``, ``team_reps``, ``chinese`` and ``counts``."""

    def make_work_reports(self):
        if "sales.work.report" not in self.env or self.bench:
            return
        from odoo.addons.sales_assistant.models.sales_work_report_rollup import (  # noqa: PLC0415
            previous_working_day,
        )

        Report = self.env["sales.work.report"].sudo()
        yesterday = previous_working_day(self.today)  # the morning meeting's: Friday on Mondays
        Report._prepare_work_reports(companies=self.company, day=yesterday)
        reports = Report.search(
            [("date_from", "=", yesterday), ("period", "=", "day"), ("scope", "=", "person")],
            order="team_id, user_id",
        )
        reps = [uid for uids in self.team_reps.values() for uid in uids]
        reports = reports.filtered(lambda report: report.user_id.id in reps)
        tz = self.company._sales_tz()
        # the last rep never hands it in: missing; the one before hands it in late
        missing, late = reports[-1:], reports[-2:-1]
        for n, report in enumerate(reports - missing):
            self._write_work_report(report, n)
            report.with_user(report.user_id).action_submit()
            # handed in yesterday evening, as the rep did (the seed runs today)
            hour = 21.5 if report == late else 17.0 + (n % 4) * 0.25
            local = datetime.combine(yesterday, time()) + timedelta(hours=hour)
            handed_in = self.company._sales_utc(yesterday, tz) + (
                local - datetime.combine(yesterday, time())
            )
            report._flow_write(
                {"submitted_at": handed_in, "discipline": "late" if report == late else "on_time"}
            )
        # after the hour, the draft left is missing and its rep reminded once
        Report._cron_work_report_discipline()
        for n, report in enumerate((reports - missing).filtered(lambda r: r.team_id.user_id)):
            if n % 2 == 0:
                leader = report.team_id.user_id
                report.with_user(leader)._review(self._work_report_text(COMMENTS, n))
                self.counts["work_reports_reviewed"] += 1
        self.counts["work_reports_yesterday"] = len(reports)
        self.counts["work_reports_today"] = Report._prepare_work_reports(companies=self.company)
        self.commit()

    def _work_report_text(self, texts, n):
        return texts[n % len(texts)][1 if self.chinese else 0]

    def _write_work_report(self, report, n):
        """What the rep writes in their report, as the rep."""
        competitors = self.env["sales.competitor"].search([], limit=2)
        values = {
            "highlights": self._work_report_text(HIGHLIGHTS, n),
            "market_feedback": self._work_report_text(FEEDBACK, n),
            "help_needed": self._work_report_text(HELP, n) or False,
            "plan_next": self._work_report_text(PLANS, n),
        }
        if competitors and n % 2 == 0:
            values["competitor_ids"] = [(6, 0, competitors[: 1 + n % 2].ids)]
            values["competitor_news"] = self._work_report_text(COMPETITOR_NEWS, n)
        report.with_user(report.user_id).write(values)
