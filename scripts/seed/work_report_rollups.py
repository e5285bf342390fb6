"""Weekly, monthly and team reports (周报, 月报) of the seeded organisation
(Seeder.make_work_report_rollups), made as their users make them.

Relative to the seeding day: each rep of the first teams writes last week's report with a
summary and last month's report; each leader of those teams makes the team's reports of last
week and last month. The daily reports they roll up are seeded with the daily reports.
"""

from datetime import timedelta

ROLLUP_TEAMS = {"tiny": 1, "demo": 3, "bench": 0}
SUMMARIES = (
    (
        "Two orders confirmed, one quotation lost on price; more visits to the new accounts next "
        "week.",
        "确认两笔订单,一份报价因价格丢单;下周多拜访新客户。",
    ),
    (
        "Collections on track; the framework customer asks for a price review before renewal.",
        "回款正常;框架协议客户续签前要求调价。",
    ),
    (
        "A quiet week: follow-ups on the trade-fair leads, two demos booked.",
        "本周较平稳:跟进展会线索,预约了两场演示。",
    ),
)


class WorkReportRollupSteps:
    def make_work_report_rollups(self):
        if "sales.work.report" not in self.env or not ROLLUP_TEAMS.get(self.size):
            return
        Report = self.env["sales.work.report"]
        from odoo.tools import date_utils  # noqa: PLC0415 (the seed imports Odoo once set up)

        last_week = date_utils.start_of(self.today, "week") - timedelta(days=7)
        last_month = date_utils.start_of(self.today, "month") - timedelta(days=1)
        periods = (
            ("week", last_week, last_week + timedelta(days=6)),
            ("month", date_utils.start_of(last_month, "month"), last_month),
        )
        teams = self.env["crm.team"].search([("user_id", "!=", False)], order="id")
        for number, team in enumerate(teams[: ROLLUP_TEAMS[self.size]]):
            for index, rep in enumerate(team.member_ids):
                for period, start, end in periods:
                    summary = SUMMARIES[(number + index) % len(SUMMARIES)]
                    self._rollup_report(
                        Report.with_user(rep),
                        rep,
                        team,
                        period,
                        start,
                        end,
                        summary=summary[1 if self.chinese else 0],
                    )
            for period, start, end in periods:
                self._rollup_report(
                    Report.with_user(team.user_id), team.user_id, team, period, start, end, "team"
                )
        self.commit()

    def _rollup_report(self, Report, user, team, period, start, end, scope="person", summary=None):
        domain = [
            ("user_id", "=", user.id),
            ("scope", "=", scope),
            ("period", "=", period),
            ("date_from", "=", start),
        ]
        if Report.sudo().search_count(domain):  # seeding twice makes nothing twice
            return
        report = Report.create(
            {
                "user_id": user.id,
                "team_id": team.id,
                "company_id": team.company_id.id or self.company.id,
                "scope": scope,
                "period": period,
                "date_from": start,
                "date_to": end,
                **({"summary": summary} if summary else {}),
            }
        )
        report._refresh_facts()
        self.counts[f"work_reports_{period}_{scope}"] += 1
