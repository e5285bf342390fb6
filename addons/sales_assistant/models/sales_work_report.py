from datetime import timedelta

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.batches import run_batches
from odoo.addons.sales_compliance.tools.registry import MethodRegistry, accepts
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, mute_logger

from ..tools.defaults import without_readonly_defaults

# Context value of the report's own changes (facts, state, submission, review): only Python
# code holds this object, so no client writes a fact, a state or a review through ``write``.
WORK_REPORT_FLOW = object()

# The facts of a report: gathered from the records of its period, frozen at submission.
# Each reader is a method ``_work_report_facts_<name>(self)`` on a recordset of reports that
# returns ``{report.id: {fact field: value}}`` with grouped queries for all of them (never a
# query per report); other files add readers without editing this one.
FACT_FIELDS = (
    "order_count",
    "order_amount",
    "quotation_sent_count",
    "visit_count",
    "call_count",
    "new_customer_count",
    "new_lead_count",
    "collected_amount",
    "target_value",
    "target_actual",
    "target_pct",
    "late_delivery_count",
    "broken_promise_count",
    "inbound_call_count",
    "visitor_count",
)
# What the rep writes
TEXT_FIELDS = (
    "market_feedback",
    "competitor_ids",
    "competitor_news",
    "help_needed",
    "plan_next",
    "summary",
    "highlights",
)
# Written only by the report's own flow (``_flow_write``)
FLOW_FIELDS = (
    *FACT_FIELDS,
    "facts_date",
    "state",
    "submitted_at",
    "discipline",
    "reminder_sent",
    "reviewer_id",
    "reviewed_at",
    "review_comment",
)
# Fixed once the report exists: whose report it is and which period it covers
KEY_FIELDS = (
    "user_id",
    "period",
    "scope",
    "date_from",
    "date_to",
    "company_id",
    "date_deadline",
    "name",
)
# Users prepared per run of the preparing cron
PREPARE_BATCH = 1000


def _facts_problem(value, *args, **kwargs):
    if not isinstance(value, dict):
        return f"must return {{report id: {{fact: value}}}}, not {type(value).__name__}"
    for facts in value.values():
        unknown = set(facts) - set(FACT_FIELDS)
        if unknown:
            return f"returns facts that are not fact fields: {', '.join(sorted(unknown))}"
    return None


FACT_READERS = MethodRegistry(
    "_work_report_facts_",
    check=lambda model, name, function: accepts(function),
    result=_facts_problem,
)


class SalesWorkReport(models.Model):
    """The report a salesperson hands in (日报, 周报, 月报): the facts of the period, read
    from the suite's records, and what the rep writes; the team leader reviews it (点评).

    A daily report covers one working day in the company's timezone; a weekly or monthly one
    rolls up the period. ``scope`` ``team`` is a leader's roll-up of their team.
    """

    _name = "sales.work.report"
    _description = "Work Report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, user_id, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    period = fields.Selection(
        [("day", "Daily"), ("week", "Weekly"), ("month", "Monthly")],
        required=True,
        default="day",
        index=True,
    )
    scope = fields.Selection(
        [("person", "Salesperson"), ("team", "Team")], required=True, default="person"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        string="Day",
        required=True,
        index=True,
        default=lambda self: self.env.company._sales_today(),
    )
    date_to = fields.Date(
        string="Last Day", compute="_compute_date_to", store=True, readonly=True, precompute=True
    )
    state = fields.Selection(
        [("draft", "To Submit"), ("submitted", "Submitted"), ("reviewed", "Reviewed")],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
    )
    date_deadline = fields.Datetime(
        string="Due",
        compute="_compute_date_deadline",
        store=True,
        readonly=True,
        precompute=True,
        help="The configured hour of the report's last day, in the company's timezone.",
    )
    submitted_at = fields.Datetime(readonly=True, copy=False)
    discipline = fields.Selection(
        [("pending", "Pending"), ("on_time", "On Time"), ("late", "Late"), ("missing", "Missing")],
        required=True,
        default="pending",
        readonly=True,
        index=True,
    )
    reminder_sent = fields.Boolean(readonly=True, copy=False)

    # the facts, as of ``facts_date``; frozen at submission
    facts_date = fields.Datetime(string="Facts as of", readonly=True)
    order_count = fields.Integer(string="Orders Confirmed", readonly=True)
    order_amount = fields.Monetary(string="Amount Confirmed", readonly=True)
    quotation_sent_count = fields.Integer(string="Quotations Sent", readonly=True)
    visit_count = fields.Integer(string="Visits Done", readonly=True)
    call_count = fields.Integer(string="Calls and Meetings Logged", readonly=True)
    new_customer_count = fields.Integer(string="New Customers", readonly=True)
    new_lead_count = fields.Integer(string="New Leads", readonly=True)
    collected_amount = fields.Monetary(string="Payments Collected", readonly=True)
    target_value = fields.Float(string="Month Target", readonly=True)
    target_actual = fields.Float(string="Month to Date", readonly=True)
    target_pct = fields.Float(string="Target Progress (%)", readonly=True)
    late_delivery_count = fields.Integer(string="Late Deliveries Open", readonly=True)
    broken_promise_count = fields.Integer(string="Broken Promises Open", readonly=True)
    inbound_call_count = fields.Integer(string="Calls Received", readonly=True)
    visitor_count = fields.Integer(string="Visitors Received", readonly=True)

    # what the rep writes
    market_feedback = fields.Text()
    competitor_ids = fields.Many2many("sales.competitor", string="Competitors")
    competitor_news = fields.Text()
    help_needed = fields.Text(string="Problems Needing Help")
    plan_next = fields.Text(string="Plan for Tomorrow")
    summary = fields.Text()
    highlights = fields.Text()

    # the leader's review (点评)
    reviewer_id = fields.Many2one("res.users", readonly=True, copy=False)
    reviewed_at = fields.Datetime(readonly=True, copy=False)
    review_comment = fields.Text(string="Comment", readonly=True, copy=False)
    can_review = fields.Boolean(compute="_compute_can_review")

    _sql_constraints = [
        (
            "report_unique",
            "unique(company_id, user_id, period, scope, date_from)",
            "There is already a report of this salesperson for this period.",
        ),
    ]

    @api.depends_context("uid")
    def _compute_can_review(self):
        for report in self:
            report.can_review = bool(report.id) and report._can_review(self.env.user)

    @api.onchange("period", "date_from")
    def _onchange_period_start(self):
        """The form moves the day to the first of its period (the Monday, the 1st)."""
        if self.date_from:
            self.date_from = self._period_start(self.period, self.date_from)

    @api.depends("period", "date_from")
    def _compute_date_to(self):
        for report in self:
            report.date_to = report._period_end(report.period, report.date_from)

    @api.model
    def _period_start(self, period, day):
        """The first day of the ``period`` (day, week from Monday, month) holding ``day``."""
        if not day:
            return day
        if period == "week":
            return day - timedelta(days=day.weekday())
        if period == "month":
            return day.replace(day=1)
        return day

    @api.model
    def _period_end(self, period, day):
        """The last day of the ``period`` starting on ``day``."""
        if not day:
            return day
        if period == "week":
            return day + timedelta(days=6)
        if period == "month":
            return day + relativedelta(day=31)
        return day

    @api.depends("date_to", "company_id")
    def _compute_date_deadline(self):
        for report in self:
            company = report.company_id.sudo()
            if not (report.date_to and company):
                report.date_deadline = False
                continue
            report.date_deadline = company._sales_utc(report.date_to) + timedelta(
                hours=company.work_report_hour
            )

    @api.depends("scope", "user_id", "team_id", "date_from")
    def _compute_name(self):
        # stored, so in no language: the period's label joins it in ``display_name``
        for report in self:
            who = report.team_id if report.scope == "team" else report.user_id
            report.name = " · ".join(filter(None, [who.name, str(report.date_from or "")]))

    @api.depends_context("lang")
    @api.depends("name", "period")
    def _compute_display_name(self):
        periods = dict(self._fields["period"]._description_selection(self.env))
        for report in self:
            report.display_name = " · ".join(
                filter(None, [periods.get(report.period), report.name])
            )

    # ------------------------------------------------------------------
    # The flow
    # ------------------------------------------------------------------
    def _is_flow(self):
        return self.env.context.get("sales_work_report_flow") is WORK_REPORT_FLOW

    def _flow_write(self, vals):
        """Writes flow fields (facts, state, submission, review) as the report's own flow."""
        return self.with_context(sales_work_report_flow=WORK_REPORT_FLOW).write(vals)

    def _gather_facts(self):
        """``{report.id: {fact: value}}`` from every reader, zero where none says more."""
        facts = {report.id: dict.fromkeys(FACT_FIELDS, 0) for report in self}
        for name in FACT_READERS.keys(self):
            for report_id, values in FACT_READERS.call(self, name).items():
                facts[report_id].update(values)
        return facts

    def _refresh_facts(self):
        """Reads the facts again for the reports still to submit."""
        drafts = self.filtered(lambda report: report.state == "draft")
        now = fields.Datetime.now()
        for report_id, values in drafts._gather_facts().items():
            self.browse(report_id)._flow_write(dict(values, facts_date=now))

    # ------------------------------------------------------------------
    # Creating and changing
    # ------------------------------------------------------------------
    def _is_sales_manager(self, user=None):
        user = user or self.env.user
        return self.env.su or user.has_group("sales_team.group_sale_manager")

    @api.model
    def _prepare_defaults(self, vals):
        """The rep's company and team, and the first day of the period, for ``vals``."""
        vals = dict(vals)
        user = self.env["res.users"].browse(vals.get("user_id") or self.env.uid).sudo()
        vals.setdefault("user_id", user.id)
        if not vals.get("company_id"):
            vals["company_id"] = (
                user.company_id if user.company_id in self.env.companies else self.env.company
            ).id
        company = self.env["res.company"].browse(vals["company_id"])
        # a form sends an empty team: the rep's own, as when it sends none
        if not vals.get("team_id") and (vals.get("scope") or "person") == "person":
            vals["team_id"] = user._sales_team(company).id or False
        if not vals.get("date_from"):
            vals["date_from"] = self._period_start(
                vals.get("period") or "day", company._sales_today()
            )
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        flow = self._is_flow()
        if not flow:
            self = without_readonly_defaults(self)
        vals_list = [self._prepare_defaults(vals) for vals in vals_list]
        for vals in vals_list:
            forged = set(vals) & set(FLOW_FIELDS)
            if forged and not flow:
                raise UserError(
                    self.env._(
                        "A report's facts, state and review are set by the report itself, "
                        "not written: %s.",
                        ", ".join(sorted(forged)),
                    )
                )
            if vals["user_id"] != self.env.uid and not self._is_sales_manager():
                raise AccessError(
                    self.env._("Only a sales manager creates a report for someone else.")
                )
            self._check_new_period(vals)
            if not flow:
                self._check_computed_not_given(vals)
                self._check_own_team(vals["user_id"], vals["company_id"], vals)
        self._check_no_duplicates(vals_list)
        return super().create(vals_list)

    @api.model
    def _check_new_period(self, vals):
        """A report starts on the first day of its period, which has begun."""
        period = vals.get("period") or "day"
        day = fields.Date.to_date(vals["date_from"])
        if self._period_start(period, day) != day:
            raise ValidationError(
                self.env._(
                    "A weekly report starts on a Monday and a monthly report on the first day "
                    "of the month."
                )
            )
        company = self.env["res.company"].browse(vals["company_id"])
        if day > company._sales_today():
            raise ValidationError(
                self.env._("No report for a day to come: %s has not begun yet.", day)
            )

    @api.model
    def _check_computed_not_given(self, vals):
        """The deadline and the last day follow from the period, the day and the company: a
        client does not set them (a report made with a deadline to come is never late)."""
        if "date_deadline" in vals:
            raise UserError(
                self.env._("A report's deadline follows from its day and its company's hour.")
            )
        if "date_to" in vals:
            period = vals.get("period") or "day"
            last = self._period_end(period, fields.Date.to_date(vals["date_from"]))
            if fields.Date.to_date(vals["date_to"]) != last:
                raise UserError(
                    self.env._("A report's last day is the last day of its period: %s.", last)
                )

    def _check_own_team(self, user_id, company_id, vals):
        """A salesperson's report is in their own team (``res.users._sales_team``): its
        leader reads and reviews it, and its figures add up in that team. Only a sales
        manager puts it in another team."""
        if "team_id" not in vals or self._is_sales_manager():
            return
        if (vals.get("scope") or self[:1].scope or "person") != "person":
            return
        user = self.env["res.users"].browse(user_id)
        company = self.env["res.company"].browse(company_id)
        own = user._sales_team(company)
        # their team, or another team of the company they are a member of
        member_of = user.sudo().crm_team_member_ids.crm_team_id.filtered(
            lambda team: not team.company_id or team.company_id == company
        )
        if (vals["team_id"] or False) not in [own.id or False, *member_of.ids]:
            raise AccessError(
                self.env._(
                    "A report is in its salesperson's own team (%(team)s): their leader reviews "
                    "it, not the leader of another team.",
                    team=own.sudo().display_name or self.env._("none"),
                )
            )

    @api.model
    def _check_no_duplicates(self, vals_list):
        """One report per salesperson, period, scope and day (the unique index guards too)."""
        keys = [
            (
                vals["company_id"],
                vals["user_id"],
                vals.get("period") or "day",
                vals.get("scope") or "person",
                fields.Date.to_date(vals["date_from"]),
            )
            for vals in vals_list
        ]
        if len(set(keys)) < len(keys):
            raise ValidationError(self.env._("The same report is asked twice."))
        existing = self.sudo().search_fetch(
            [
                ("user_id", "in", list({key[1] for key in keys})),
                ("date_from", "in", list({key[4] for key in keys})),
            ],
            ["company_id", "user_id", "period", "scope", "date_from"],
        )
        taken = {(r.company_id.id, r.user_id.id, r.period, r.scope, r.date_from) for r in existing}
        for key in keys:
            if key in taken:
                user = self.env["res.users"].browse(key[1]).sudo()
                raise ValidationError(
                    self.env._(
                        "%(user)s already has a report for %(day)s.", user=user.name, day=key[4]
                    )
                )

    def copy_data(self, default=None):
        """A copy is a new report: none of the flow (facts, state, review) comes along."""
        return [
            {key: value for key, value in vals.items() if key not in FLOW_FIELDS}
            for vals in super().copy_data(default=default)
        ]

    def write(self, vals):
        flow = self._is_flow()
        forged = set(vals) & set(FLOW_FIELDS)
        if forged and not flow:
            raise UserError(
                self.env._(
                    "A report's facts, state and review are set by the report itself, "
                    "not written: %s.",
                    ", ".join(sorted(forged)),
                )
            )
        if not flow:
            self._check_key_unchanged(vals)
            self._check_computed_unwritten(vals)
            self._check_text_writable(vals)
            for report in self:
                report._check_own_team(report.user_id.id, report.company_id.id, vals)
        return super().write(vals)

    def _check_computed_unwritten(self, vals):
        """What the report computes (the discipline counts of the team views, ...) is not
        written by a client: only its keys, checked unchanged above, may be sent back."""
        computed = sorted(
            name
            for name in vals
            if name not in KEY_FIELDS
            and self._fields[name].compute
            and self._fields[name].store
            and self._fields[name].readonly
        )
        if computed:
            raise UserError(
                self.env._(
                    "A report computes these itself, they are not written: %s.",
                    ", ".join(computed),
                )
            )

    def _check_key_unchanged(self, vals):
        changed = [name for name in KEY_FIELDS if name in vals]
        for report in self:
            for name in changed:
                value = report._fields[name].convert_to_write(report[name], report)
                new = vals[name]
                if name in ("date_from", "date_to") and new:
                    new = fields.Date.to_date(new)
                elif name == "date_deadline" and new:
                    new = fields.Datetime.to_datetime(new)
                if (value or False) != (new or False):
                    raise UserError(
                        self.env._(
                            "A report keeps its salesperson, period, days and company once "
                            "created: create another report instead."
                        )
                    )

    def _check_text_writable(self, vals):
        """Only the rep writes the text of their report, and only while it is to submit."""
        if not set(vals) & {*TEXT_FIELDS, "team_id"}:
            return
        for report in self:
            if report.state != "draft":
                raise UserError(
                    self.env._(
                        "Report %s was submitted: its text is frozen as it was handed in.",
                        report.display_name,
                    )
                )
            if not self.env.su and report.user_id != self.env.user:
                raise AccessError(
                    self.env._("Only %s writes their own report.", report.user_id.name)
                )

    # ------------------------------------------------------------------
    # Facts on opening
    # ------------------------------------------------------------------
    def web_read(self, specification):
        """A draft opened in its form shows the facts as of now (read again when older than a
        minute); a submitted report keeps those of its submission. Shown, not stored: opening
        a report is a read (served by a read replica when there is one); the facts are stored
        by "Refresh" and at submission."""
        result = super().web_read(specification)
        shown = set(specification) & {*FACT_FIELDS, "facts_date"}
        if len(self) == 1 and isinstance(self.id, int) and "order_count" in shown:
            report = self.sudo()
            now = fields.Datetime.now()
            stale = now - timedelta(minutes=1)
            if report.state == "draft" and (not report.facts_date or report.facts_date < stale):
                facts = report._gather_facts()[report.id]
                facts["facts_date"] = fields.Datetime.to_string(now)
                result[0].update({name: facts[name] for name in shown})
        return result

    def action_refresh_facts(self):
        """Button "Refresh": the facts of these drafts as of now."""
        self.check_access("read")
        self.sudo()._refresh_facts()
        return True

    # ------------------------------------------------------------------
    # Submitting
    # ------------------------------------------------------------------
    def action_submit(self):
        """The rep hands in their report: its facts and text are frozen as they are now."""
        self.check_access("write")
        for report in self:
            if report.user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "Only %s submits their own report, not their leader nor a mate.",
                        report.user_id.name,
                    )
                )
            if report.state != "draft":
                raise UserError(self.env._("Report %s is already submitted.", report.display_name))
        now = fields.Datetime.now()
        reports = self.sudo()
        reports._refresh_facts()
        for report in reports:
            late = report.discipline == "missing" or (
                report.date_deadline and now > report.date_deadline
            )
            report._flow_write(
                {
                    "state": "submitted",
                    "submitted_at": now,
                    "discipline": "late" if late else "on_time",
                }
            )
        reports.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self._reminder_type()
        ).unlink()
        return True

    @api.model
    def _reminder_type(self):
        return self.env.ref("sales_assistant.mail_activity_type_work_report")

    # ------------------------------------------------------------------
    # Review (点评)
    # ------------------------------------------------------------------
    def _can_review(self, user):
        """The leader of the report's team, or a sales manager; never its own author."""
        self.ensure_one()
        report = self.sudo()
        if report.user_id == user:
            return False
        return report.team_id.user_id == user or user.has_group("sales_team.group_sale_manager")

    def _check_reviewer(self, user):
        for report in self:
            if not report._can_review(user):
                raise AccessError(
                    self.env._(
                        "Only the leader of the team of %s or a sales manager comments on it, "
                        "and never on their own report.",
                        report.sudo().display_name,
                    )
                )

    def action_open_review(self):
        """Opens the review wizard (点评) on this report."""
        self.ensure_one()
        self._check_reviewer(self.env.user)
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review"),
            "res_model": "sales.work.report.review",
            "view_mode": "form",
            "target": "new",
            "context": {"default_report_id": self.id},
        }

    def _review(self, comment):
        """The leader's comment: the report becomes reviewed and the rep is notified."""
        user = self.env.user
        self._check_reviewer(user)
        # and the reports the leader reads (their companies'): never one by its id only
        self.check_access("read")
        comment = (comment or "").strip()
        if not comment:
            raise ValidationError(self.env._("A review needs a comment."))
        for report in self.sudo():
            if report.state != "submitted":
                raise UserError(
                    self.env._(
                        "Only a submitted report is reviewed: %s is not.", report.display_name
                    )
                )
        now = fields.Datetime.now()
        for report in self.sudo():
            report._flow_write(
                {
                    "state": "reviewed",
                    "reviewer_id": user.id,
                    "reviewed_at": now,
                    "review_comment": comment,
                }
            )
            report.message_post(
                author_id=user.partner_id.id,
                body=self.env._(
                    "%(leader)s commented: %(comment)s", leader=user.name, comment=comment
                ),
                partner_ids=report.user_id.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True

    # ------------------------------------------------------------------
    # Preparing the day's drafts
    # ------------------------------------------------------------------
    @api.model
    def _salespeople_sql(self, company):
        """SQL: the active salespeople of ``company`` (id, name, team): members of its sales
        teams and users of the group Salesperson whose company it is."""
        salesman = self.env.ref("sales_team.group_sale_salesman").id
        team = self.env["res.users"]._sales_team_sql(SQL("u.id"), SQL("%s", company.id))
        return SQL(
            """
            SELECT u.id, p.name, %(team)s AS team_id
              FROM res_users u
              JOIN res_partner p ON p.id = u.partner_id
             WHERE u.active AND u.share IS NOT TRUE
               AND (u.id IN (SELECT m.user_id
                               FROM crm_team_member m
                               JOIN crm_team t ON t.id = m.crm_team_id
                              WHERE m.active AND t.active
                                AND (t.company_id = %(company)s
                                     OR (t.company_id IS NULL AND u.company_id = %(company)s)))
                    OR (u.company_id = %(company)s
                        AND u.id IN (SELECT gu.uid FROM res_groups_users_rel gu
                                      WHERE gu.gid = %(salesman)s)))
          ORDER BY u.id
            """,
            team=team,
            company=company.id,
            salesman=salesman,
        )

    @api.model
    def _prepare_step(self, company, day, batch_size=PREPARE_BATCH):
        """Creates the daily drafts of ``day`` of one batch of the salespeople of ``company``
        who have none yet, with their facts. Returns ``(created, remaining)``.

        Safe with two workers: a transaction lock per company and day lets one worker prepare
        them while the other skips, and the unique index is the last guard."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT pg_try_advisory_xact_lock(hashtext('sales.work.report'), hashtext(%s))",
                f"{company.id}:{day}",
            )
        )
        if not cr.fetchone()[0]:
            return 0, 0
        self.env.flush_all()
        cr.execute(
            SQL(
                """
                SELECT s.id, s.team_id FROM (%(people)s) s
                 WHERE NOT EXISTS (
                       SELECT 1 FROM sales_work_report r
                        WHERE r.user_id = s.id AND r.company_id = %(company)s
                          AND r.period = 'day' AND r.scope = 'person' AND r.date_from = %(day)s)
                """,
                people=self._salespeople_sql(company),
                company=company.id,
                day=day,
            )
        )
        rows = cr.fetchall()
        batch, rest = rows[:batch_size], rows[batch_size:]
        if not batch:
            return 0, 0
        reports = (
            self.sudo()
            .with_context(
                tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
            )
            .create(
                [
                    {
                        "user_id": user_id,
                        "team_id": team_id or False,
                        "company_id": company.id,
                        "period": "day",
                        "scope": "person",
                        "date_from": day,
                    }
                    for user_id, team_id in batch
                ]
            )
        )
        reports._refresh_facts()
        return len(reports), len(rest)

    @api.model
    def _prepare_work_reports(self, companies=None, day=None, batch_size=PREPARE_BATCH):
        """Every salesperson's daily draft of ``day`` (each company's today by default), in
        the current transaction (scripts, tests, benchmark). Returns the number created."""
        total = 0
        for company in companies or self.env["res.company"].sudo().search([("active", "=", True)]):
            total += run_batches(
                self.sudo()._prepare_step, company, day or company._sales_today(), batch_size
            )
        return total

    @api.model
    def _cron_prepare_work_reports(self):
        """Daily cron: today's drafts of every salesperson of every company, one batch per
        company and run; the cron runner runs again at once while some remain."""
        done = remaining = 0
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            created, left = self._prepare_step_safely(company, company._sales_today())
            done += created
            remaining += left
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _prepare_step_safely(self, company, day):
        """``_prepare_step`` in a cron: when another worker prepared the same reports since
        this transaction began (the unique index, or PostgreSQL refusing to update rows it
        changed), stop here without failing: they are there."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                return self.sudo()._prepare_step(company, day)
        except (psycopg2.IntegrityError, psycopg2.errors.SerializationFailure):
            self.env.invalidate_all()
            return 0, 0

    # ------------------------------------------------------------------
    # Discipline: late and missing reports
    # ------------------------------------------------------------------
    @api.model
    def _cron_work_report_discipline(self):
        """After the deadline, a daily report still to submit (or never prepared: prepared now)
        is missing, and its rep gets one reminder. The reminder is marked in the same UPDATE
        that picks the reports, so a second run or worker never reminds twice."""
        Report = self.sudo()
        now = fields.Datetime.now()
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            today = company._sales_today()
            deadline_today = company._sales_utc(today) + timedelta(hours=company.work_report_hour)
            day = today if now >= deadline_today else today - timedelta(days=1)
            run_batches(Report._prepare_step_safely, company, day)
        self.env.flush_all()
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                missing = Report._flag_missing(now)
        except psycopg2.errors.SerializationFailure:
            # another worker flagged and reminded them since this transaction began
            self.env.invalidate_all()
            return Report
        activity_type = self._reminder_type()
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": report.id,
                    "user_id": report.user_id.id,
                    "summary": self.env._("Your report of %s is missing", report.date_from),
                    "date_deadline": report.company_id._sales_today(),
                }
                for report in missing
            ]
        )
        return missing

    @api.model
    def _flag_missing(self, now):
        """Flags the drafts past their deadline missing and marks their reminder, in one
        UPDATE: the reports it returns are the ones to remind, once."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE sales_work_report
                   SET discipline = 'missing', reminder_sent = TRUE,
                       write_date = %(now)s, write_uid = %(uid)s
                 WHERE state = 'draft' AND scope = 'person' AND date_deadline < %(now)s
                   AND reminder_sent IS NOT TRUE
             RETURNING id
                """,
                now=now,
                uid=self.env.uid,
            )
        )
        missing = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        self.env.invalidate_all()
        return missing
