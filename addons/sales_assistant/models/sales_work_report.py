from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.registry import MethodRegistry, accepts

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
    date_from = fields.Date(string="Day", required=True, index=True)
    date_to = fields.Date(string="Last Day", required=True)
    state = fields.Selection(
        [("draft", "To Submit"), ("submitted", "Submitted"), ("reviewed", "Reviewed")],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
    )
    date_deadline = fields.Datetime(string="Due", readonly=True)
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

    @api.depends("period", "scope", "user_id", "team_id", "date_from")
    def _compute_name(self):
        periods = dict(self._fields["period"]._description_selection(self.env))
        for report in self:
            who = report.team_id if report.scope == "team" else report.user_id
            report.name = " · ".join(
                filter(None, [periods.get(report.period), who.name, str(report.date_from or "")])
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
