from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import date_utils

from .sales_work_report import FACT_FIELDS

# The discipline of a daily report, counted (summed in lists, pivots and roll-ups)
DISCIPLINE_COUNTS = {
    "report_on_time": lambda report: report.discipline == "on_time",
    "report_late": lambda report: report.discipline == "late",
    "report_missing": lambda report: report.discipline == "missing",
    "report_reviewed": lambda report: report.state == "reviewed",
}
# Facts of a team roll-up that are not sums of its members' facts
TEAM_RATIO_FACTS = ("target_pct",)


def previous_working_day(day):
    """The working day before ``day``: Friday for a Monday, Saturday and Sunday being off."""
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


class SalesWorkReport(models.Model):
    """Weekly and monthly reports, and a leader's team roll-up.

    A person's week or month report shows the dailies of its period (their highlights,
    problems and market feedback) and the rep's summary; its facts are the facts readers run
    over the whole period, like any report (never the sum of the dailies: a month-to-date
    target or an open late delivery does not add up).

    A team report (``scope`` team) belongs to the team's leader: its facts are the sums of its
    members' person reports of the same period and days (``_work_report_facts_team``), and it
    counts the discipline of their dailies: on time, late, missing, reviewed.
    """

    _inherit = "sales.work.report"

    daily_report_ids = fields.Many2many(
        "sales.work.report",
        string="Daily Reports",
        compute="_compute_daily_report_ids",
        help="The daily reports of the period: the rep's own, or the team members' for a "
        "team report.",
    )
    report_on_time = fields.Integer(
        "On Time", compute="_compute_discipline_counts", store=True, aggregator="sum"
    )
    report_late = fields.Integer(
        "Late", compute="_compute_discipline_counts", store=True, aggregator="sum"
    )
    report_missing = fields.Integer(
        "Missing", compute="_compute_discipline_counts", store=True, aggregator="sum"
    )
    report_reviewed = fields.Integer(
        "Reviewed", compute="_compute_discipline_counts", store=True, aggregator="sum"
    )
    member_discipline_html = fields.Html(
        "Discipline of the Members",
        compute="_compute_member_discipline",
        sanitize=False,
        help="Per member, their daily reports of the period: on time, late, missing, reviewed.",
    )
    team_on_time_count = fields.Integer("Dailies On Time", compute="_compute_member_discipline")
    team_late_count = fields.Integer("Dailies Late", compute="_compute_member_discipline")
    team_missing_count = fields.Integer("Dailies Missing", compute="_compute_member_discipline")
    team_reviewed_count = fields.Integer("Dailies Reviewed", compute="_compute_member_discipline")

    @api.depends("discipline", "state")
    def _compute_discipline_counts(self):
        for report in self:
            for field, counts in DISCIPLINE_COUNTS.items():
                report[field] = int(counts(report))

    def _flag_missing(self, now):
        """The discipline cron flags the late drafts missing in one SQL ``UPDATE``, which
        recomputes nothing: count them as missing in the team views."""
        missing = super()._flag_missing(now)
        for field in DISCIPLINE_COUNTS:
            self.env.add_to_compute(self._fields[field], missing)
        missing.flush_recordset(list(DISCIPLINE_COUNTS))
        return missing

    # ------------------------------------------------------------------
    # The dailies of a period
    # ------------------------------------------------------------------
    def _daily_domain(self):
        """The person dailies that any of these reports (week, month or team) roll up."""
        rollups = self.filtered(lambda report: report.period != "day" or report.scope == "team")
        if not rollups:
            return None
        return [
            ("period", "=", "day"),
            ("scope", "=", "person"),
            ("date_from", ">=", min(rollups.mapped("date_from"))),
            ("date_from", "<=", max(rollups.mapped("date_to"))),
            "|",
            ("user_id", "in", rollups.filtered(lambda r: r.scope == "person").user_id.ids),
            ("team_id", "in", rollups.filtered(lambda r: r.scope == "team").team_id.ids),
        ]

    def _rolls_up(self, daily):
        """Whether the daily ``daily`` belongs to this (week, month or team) report."""
        self.ensure_one()
        if not (self.date_from <= daily.date_from <= self.date_to):
            return False
        if self.scope == "team":
            return daily.team_id == self.team_id
        return daily.user_id == self.user_id

    @api.depends("period", "scope", "user_id", "team_id", "date_from", "date_to")
    def _compute_daily_report_ids(self):
        domain = self._daily_domain()
        dailies = self.search(domain, order="date_from, user_id, id") if domain else self.browse()
        for report in self:
            if (report.period == "day" and report.scope == "person") or not report.date_to:
                report.daily_report_ids = False
                continue
            report.daily_report_ids = dailies.filtered(
                lambda daily, report=report: report._rolls_up(daily)
            )

    @api.depends("scope", "team_id", "date_from", "date_to")
    def _compute_member_discipline(self):
        """Per member of a team report, the discipline of their dailies, in one grouped query
        for all the team reports."""
        teams = self.filtered(lambda report: report.scope == "team" and report.date_to)
        rows = []
        if teams:
            rows = self._read_group(
                [
                    ("period", "=", "day"),
                    ("scope", "=", "person"),
                    ("team_id", "in", teams.team_id.ids),
                    ("date_from", ">=", min(teams.mapped("date_from"))),
                    ("date_from", "<=", max(teams.mapped("date_to"))),
                ],
                ["team_id", "user_id", "date_from:day"],
                [f"{field}:sum" for field in DISCIPLINE_COUNTS] + ["__count"],
            )
        labels = [
            self._fields[field].get_description(self.env)["string"] for field in DISCIPLINE_COUNTS
        ]
        for report in self:
            counts = defaultdict(lambda: [0] * (len(DISCIPLINE_COUNTS) + 1))
            if report in teams:
                for team, user, day, *values in rows:
                    if team == report.team_id and report.date_from <= day <= report.date_to:
                        member = counts[user]
                        for index, value in enumerate(values):
                            member[index] += value
            totals = [sum(member[index] for member in counts.values()) for index in range(4)]
            (
                report.team_on_time_count,
                report.team_late_count,
                report.team_missing_count,
                report.team_reviewed_count,
            ) = totals
            if report not in teams:
                report.member_discipline_html = False
                continue
            head = Markup("").join(
                Markup("<th class='text-end'>%s</th>") % label
                for label in [self.env._("Reports"), *labels]
            )
            body = Markup("").join(
                Markup("<tr><td>%s</td>%s</tr>")
                % (
                    user.name,
                    Markup("").join(
                        Markup("<td class='text-end'>%s</td>") % value
                        for value in [member[-1], *member[:-1]]
                    ),
                )
                for user, member in sorted(counts.items(), key=lambda item: item[0].name or "")
            )
            report.member_discipline_html = Markup(
                "<table class='table table-sm o_work_report_members'>"
                "<thead><tr><th>%s</th>%s</tr></thead><tbody>%s</tbody></table>"
            ) % (escape(self.env._("Salesperson")), head, body)

    # ------------------------------------------------------------------
    # The team roll-up
    # ------------------------------------------------------------------
    @api.constrains("scope", "team_id", "user_id")
    def _check_team_report(self):
        """A team report is its team leader's: made by them, or by a sales manager."""
        manager = self.env.su or self.env.user.has_group("sales_team.group_sale_manager")
        for report in self.filtered(lambda report: report.scope == "team"):
            team = report.team_id.sudo()
            if not team:
                raise ValidationError(self.env._("A team report needs its sales team."))
            if not team.user_id or report.user_id != team.user_id:
                raise ValidationError(
                    self.env._("The report of team %(team)s belongs to its leader.", team=team.name)
                )
            if not manager and self.env.user != team.user_id:
                raise ValidationError(
                    self.env._(
                        "Only the leader of team %(team)s or a sales manager makes its report.",
                        team=team.name,
                    )
                )

    def _gather_facts(self):
        """A team report's facts are its members' (``_work_report_facts_team``), not those
        the person readers would read for its leader."""
        teams = self.filtered(lambda report: report.scope == "team")
        facts = super(SalesWorkReport, self - teams)._gather_facts()
        if teams:
            team_facts = teams._work_report_facts_team()
            for report in teams:
                facts[report.id] = dict(dict.fromkeys(FACT_FIELDS, 0), **team_facts[report.id])
        return facts

    def _work_report_facts_team(self):
        """Facts of the team reports: the sums of the members' person reports of the same
        period and days, in one grouped query; the target progress is the team's sum of
        actuals over its sum of targets."""
        teams = self.filtered(lambda report: report.scope == "team")
        if not teams:
            return {}
        summed = [field for field in FACT_FIELDS if field not in TEAM_RATIO_FACTS]
        rows = self.sudo()._read_group(
            [
                ("scope", "=", "person"),
                ("team_id", "in", teams.team_id.ids),
                ("period", "in", list(set(teams.mapped("period")))),
                ("date_from", "in", list(set(teams.mapped("date_from")))),
            ],
            ["team_id", "period", "date_from:day", "date_to:day"],
            [f"{field}:sum" for field in summed],
        )
        sums = {(team.id, period, start, end): values for team, period, start, end, *values in rows}
        facts = {}
        for report in teams:
            key = (report.team_id.id, report.period, report.date_from, report.date_to)
            values = dict(zip(summed, sums.get(key, [0] * len(summed)), strict=True))
            target = values.get("target_value") or 0.0
            values["target_pct"] = values["target_actual"] / target * 100.0 if target else 0.0
            facts[report.id] = values
        return facts

    # ------------------------------------------------------------------
    # New weekly and monthly reports
    # ------------------------------------------------------------------
    @api.model
    def action_new_weekly_report(self):
        """Opens the current user's report of the current week (Monday to Sunday), made if
        it does not exist yet."""
        return self._open_current_report("week", "person")

    @api.model
    def action_new_monthly_report(self):
        """Opens the current user's report of the current month, made if needed."""
        return self._open_current_report("month", "person")

    @api.model
    def action_new_team_weekly_report(self):
        """Opens the team roll-up of the current week of the team the user leads."""
        return self._open_current_report("week", "team")

    @api.model
    def action_new_team_monthly_report(self):
        """Opens the team roll-up of the current month of the team the user leads."""
        return self._open_current_report("month", "team")

    @api.model
    def _period_bounds(self, period, day):
        return date_utils.start_of(day, period), date_utils.end_of(day, period)

    @api.model
    def _open_current_report(self, period, scope):
        user = self.env.user
        if not user.has_group("sales_assistant.group_assistant_user"):
            raise AccessError(self.env._("Only salespeople write work reports."))
        team = self.env["crm.team"]
        if scope == "team":
            team = user._sales_teams_led()[:1]
            if not team:
                raise ValidationError(self.env._("Only a team leader makes a team report."))
        company = team.company_id or self.env.company
        date_from, date_to = self._period_bounds(period, company._sales_today())
        report = self.search(
            [
                ("user_id", "=", user.id),
                ("scope", "=", scope),
                ("period", "=", period),
                ("date_from", "=", date_from),
                *([("team_id", "=", team.id)] if team else []),
            ],
            limit=1,
        )
        if not report:
            report = self.create(
                {
                    "user_id": user.id,
                    "scope": scope,
                    "period": period,
                    "date_from": date_from,
                    "date_to": date_to,
                    "company_id": company.id,
                    # a person's team: the report's own default (the rep's team)
                    **({"team_id": team.id} if team else {}),
                }
            )
            report._refresh_facts()
        return {
            "type": "ir.actions.act_window",
            "name": report.display_name,
            "res_model": self._name,
            "res_id": report.id,
            # the roll-up's form: its dailies, summary and team discipline
            "views": [(self.env.ref("sales_assistant.view_work_report_rollup_form").id, "form")],
            "target": "current",
        }
