from datetime import timedelta
from textwrap import shorten as _shorten

from odoo import api, models
from odoo.osv import expression
from odoo.tools import format_datetime

from .sales_work_report_rollup import previous_working_day

DAILY = [("period", "=", "day"), ("scope", "=", "person")]
TEXT_LENGTH = 80  # characters of a highlight, a problem or a comment shown in an entry


def shorten(text, width):
    return _shorten(text or "", width=width, placeholder="…")


class SalesAssistantDay(models.AbstractModel):
    """The work reports in My day (and so in the morning digest, which sends its sections).

    A leader's day opens with the morning meeting (晨会): yesterday's reports of their team,
    yesterday being the previous working day (Friday on a Monday). A rep's day shows their
    report to submit today and the leader's comments (点评) of the last week.
    """

    _inherit = "sales.assistant.day"

    @api.model
    def _my_day_section_team_reports(self, users, today):
        """Yesterday's team reports, for a team leader whose team reports: who did not report
        (named in the note, with or without a report to open), who was late, the highlights
        and the problems raised; each entry opens its report. First of the day (sequence 1)."""
        leader = self.env.user
        members = users - leader  # the members of the teams they lead (My day's ``users``)
        Report = self.env["sales.work.report"]
        if not members or not Report.has_access("read"):
            return None
        yesterday = previous_working_day(today)
        base = [
            *DAILY,
            ("team_id.user_id", "=", leader.id),
            ("date_from", "=", yesterday),
            ("user_id", "!=", leader.id),
        ]
        # the team reports yesterday (the preparing cron makes a report per rep and working
        # day): without any, there is no meeting to open
        reports = self._my_day_search(Report, base)[0]
        if not reports:
            return None
        members |= reports.user_id
        handed_in = reports.filtered(lambda report: report.state != "draft")
        missing = (members - handed_in.user_id).sorted("name")
        late = handed_in.filtered(lambda report: report.discipline == "late").user_id
        notes = []
        if missing:
            notes.append(self.env._("Not reported: %s", ", ".join(missing.mapped("name"))))
        if late:
            notes.append(self.env._("Late: %s", ", ".join(late.sorted("name").mapped("name"))))
        if not notes:
            notes.append(self.env._("Everyone reported."))

        def entry(report):
            parts = []
            if report.state == "draft":
                parts.append(self.env._("Not reported"))
            elif report.discipline == "late":
                parts.append(self.env._("Late"))
            if report.highlights:
                parts.append(self.env._("Highlights: %s", shorten(report.highlights, TEXT_LENGTH)))
            if report.help_needed:
                parts.append(self.env._("Problems: %s", shorten(report.help_needed, TEXT_LENGTH)))
            return self._my_day_entry(
                report,
                report._name,
                report.id,
                report.user_id.name,
                " · ".join(parts),
                report.date_from,
                today,
                report.user_id,
            )

        return self._my_day_section(
            self.env._("Yesterday's Team Reports (%s)", yesterday.strftime("%Y-%m-%d")),
            "sales.work.report",
            [
                *base,
                "|",
                "|",
                "|",
                ("state", "=", "draft"),
                ("discipline", "=", "late"),
                ("highlights", "!=", False),
                ("help_needed", "!=", False),
            ],
            entry,
            sequence=1,
            icon="fa-users",
            order="state, id",
            note=" · ".join(notes),
        ) | {"missing": missing.mapped("name"), "day": str(yesterday)}

    @api.model
    def _my_day_section_work_report(self, users, today):
        """The user's own reports, for a member of a sales team: today's to submit, with its
        deadline, and the ones the leader commented on over the last 7 days, with the
        comment."""
        user = self.env.user
        Report = self.env["sales.work.report"]
        # the reps of the sales teams write the daily reports (the preparing cron makes one
        # per member and working day): a leader who is no member has none
        if not user.sale_team_id or not Report.has_access("read"):
            return None
        to_submit = [*DAILY, ("date_from", "=", today), ("state", "=", "draft")]
        commented = [
            ("review_comment", "!=", False),
            ("date_from", ">=", today - timedelta(days=7)),
        ]
        domain = expression.AND(
            [[("user_id", "=", user.id)], expression.OR([to_submit, commented])]
        )
        tz = user._sales_person_tz()

        def entry(report):
            if report.state == "draft":
                detail = (
                    self.env._(
                        "To submit by %s",
                        format_datetime(self.env, report.date_deadline, tz=tz, dt_format="short"),
                    )
                    if report.date_deadline
                    else self.env._("To submit")
                )
                name = self.env._("Today's report")
            else:
                detail = self.env._(
                    "%(leader)s: %(comment)s",
                    leader=report.reviewer_id.name or "",
                    comment=shorten(report.review_comment, TEXT_LENGTH),
                )
                name = report.display_name
            return self._my_day_entry(report, report._name, report.id, name, detail, False, today)

        section = self._my_day_section(
            self.env._("My Work Report"),
            "sales.work.report",
            domain,
            entry,
            sequence=5,
            icon="fa-pencil-square-o",
            order="state, date_from desc, id desc",
        )
        return section if section["count"] else None
