from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.periods import first_overlap

# Context value with which the workflow actions change a statement's state. A plain object:
# no client can send it, so draft -> confirmed -> paid only goes through the actions.
_STATE_CHANGE = object()
_STATE_CHANGE_KEY = "sales_commission_statement_state_change"

# Context value with which ``_generate_statements`` creates statements it checked for overlaps
# itself (same plain-object trick: a client cannot send it).
_OVERLAP_CHECKED = object()
_OVERLAP_CHECKED_KEY = "sales_commission_statement_overlap_checked"

# advisory lock key of the statement cron ("sales_targets" statements)
CRON_LOCK_KEY = 5_417_180_041


class SalesCommissionStatement(models.Model):
    """Commission statement of one salesperson, one plan and one period (提成结算单).

    Here: the fields, the protections and the workflow (draft, confirmed, paid). The set-based
    computation is in ``sales_commission_statement_engine.py``, the xlsx/CSV export in
    ``sales_commission_statement_export.py``.
    """

    _name = "sales.commission.statement"
    _description = "Commission Statement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, user_id, id"

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one("res.users", string="Salesperson", required=True, index=True)
    team_id = fields.Many2one(
        "crm.team", compute="_compute_team_id", store=True, index=True, string="Sales Team"
    )
    scheme_id = fields.Many2one(
        "sales.commission.scheme",
        string="Commission Scheme",
        required=True,
        domain=[("version_of_id", "=", False)],
    )
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    version_id = fields.Many2one(
        "sales.commission.scheme",
        string="Scheme Version",
        readonly=True,
        help="The version of the scheme the statement was computed with: the one valid on "
        "its first day.",
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("paid", "Paid")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("sales.commission.statement.line", "statement_id", string="Lines")
    base_amount = fields.Monetary(readonly=True)
    target_value = fields.Monetary("Target", readonly=True)
    achievement_pct = fields.Float("Achievement (%)", readonly=True, aggregator="avg")
    commission_amount = fields.Monetary("Earned Commission", readonly=True)
    clawback_amount = fields.Monetary("Clawbacks", readonly=True)
    adjustment_amount = fields.Monetary(
        "Adjustments", compute="_compute_totals", store=True, readonly=True
    )
    total_amount = fields.Monetary("Total", compute="_compute_totals", store=True, readonly=True)
    next_tier_pct = fields.Float("Next Tier At (%)", readonly=True)
    next_tier_gap = fields.Monetary("Still Needed for Next Tier", readonly=True)
    next_tier_amount = fields.Monetary("Commission at Next Tier", readonly=True)
    computed_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "unique_period",
            "UNIQUE (user_id, scheme_id, date_from, date_to)",
            "There is already a statement for this salesperson, commission scheme and period.",
        ),
        # Overlapping periods would pay the same sale twice (January, then Q1). Ranges of one
        # value stand for equality: no btree_gist extension is needed. Checked at commit, so
        # that within a transaction ``_check_overlap`` explains the refusal first; at commit it
        # holds under concurrency, where that check cannot see the other transaction's rows.
        (
            "no_overlap",
            "EXCLUDE USING gist (int4range(user_id, user_id, '[]') WITH =, "
            "int4range(scheme_id, scheme_id, '[]') WITH =, "
            "daterange(date_from, date_to, '[]') WITH &&) DEFERRABLE INITIALLY DEFERRED",
            "A salesperson's commission statements of one commission scheme cannot overlap: "
            "the same sales would be paid twice.",
        ),
        ("date_check", "CHECK (date_from <= date_to)", "A statement must end after it starts."),
    ]

    @api.depends("user_id", "date_from", "scheme_id")
    def _compute_name(self):
        for statement in self:
            statement.name = (
                f"{statement.user_id.name or ''} {statement.date_from or ''} "
                f"({statement.scheme_id.name or ''})"
            )

    @api.depends("user_id", "scheme_id.company_id")
    def _compute_team_id(self):
        for statement in self:
            statement.team_id = statement.user_id and statement.user_id._sales_team(
                statement.company_id
            )

    @api.depends("commission_amount", "clawback_amount", "line_ids.amount", "line_ids.line_type")
    def _compute_totals(self):
        # one grouped query: statements may have tens of thousands of computed lines
        adjustments = (
            dict(
                self.env["sales.commission.statement.line"]._read_group(
                    [("statement_id", "in", self.ids), ("line_type", "=", "adjustment")],
                    ["statement_id"],
                    ["amount:sum"],
                )
            )
            if self.ids
            else {}
        )
        for statement in self:
            statement.adjustment_amount = adjustments.get(statement, 0.0)
            statement.total_amount = (
                statement.commission_amount
                + statement.clawback_amount
                + statement.adjustment_amount
            )

    # ------------------------------------------------------------------
    # Protection
    # ------------------------------------------------------------------
    @api.constrains("user_id", "scheme_id", "date_from", "date_to")
    def _check_overlap(self):
        """A salesperson's statements of one commission plan may not overlap, or a sale would
        be paid twice (January, then again in Q1). One query for all the checked statements;
        the ``no_overlap`` exclusion constraint holds the rule under concurrency as well.
        ``_generate_statements`` creates only statements it found no overlap for and skips
        this query, so that generating a month's statements costs no more queries."""
        if self.env.context.get(_OVERLAP_CHECKED_KEY) is _OVERLAP_CHECKED:
            return
        clash = first_overlap(self, ["user_id", "scheme_id"])
        if clash:
            statement, other = clash[0].sudo(), clash[1].sudo()
            raise ValidationError(
                self.env._(
                    "%(user)s already has a commission statement of scheme %(scheme)s from "
                    "%(start)s to %(end)s: a statement from %(new_start)s to %(new_end)s would "
                    "pay the same sales twice. Choose a period that does not overlap it.",
                    user=statement.user_id.name,
                    scheme=statement.scheme_id.name,
                    start=other.date_from,
                    end=other.date_to,
                    new_start=statement.date_from,
                    new_end=statement.date_to,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("state", "draft") != "draft" for vals in vals_list):
            raise UserError(self.env._("A commission statement starts as a draft."))
        if any(vals.get("version_id") for vals in vals_list):
            raise UserError(self.env._("The engine records the scheme version of a statement."))
        return super().create(vals_list)

    @api.constrains("scheme_id")
    def _check_scheme_is_root(self):
        if any(statement.sudo().scheme_id.version_of_id for statement in self):
            raise ValidationError(
                self.env._(
                    "A statement belongs to a commission scheme, not to one of its versions or "
                    "scenarios: the engine picks the version valid for its period."
                )
            )

    def write(self, vals):
        if "version_id" in vals:
            raise UserError(self.env._("The engine records the scheme version of a statement."))
        if "state" in vals and self.env.context.get(_STATE_CHANGE_KEY) is not _STATE_CHANGE:
            if any(statement.state != vals["state"] for statement in self):
                raise UserError(
                    self.env._(
                        "The state of a commission statement only moves forward, with the "
                        "Confirm and Mark as Paid buttons."
                    )
                )
        if any(name != "state" and not name.startswith(("message_", "activity_")) for name in vals):
            self._check_draft()
        return super().write(vals)

    def _set_state(self, state):
        self.with_context(**{_STATE_CHANGE_KEY: _STATE_CHANGE}).write({"state": state})

    def _check_draft(self):
        closed = self.filtered(lambda s: s.state != "draft")
        if closed:
            raise UserError(
                self.env._("Statement %s is confirmed: it cannot change.", closed[0].display_name)
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_draft_only(self):
        self._check_draft()

    def _check_manager(self):
        if not self.env.user.has_group("sales_targets.group_targets_manager"):
            raise UserError(self.env._("Only sales target managers can confirm or pay statements."))
        self._check_not_own()

    def _check_not_own(self):
        """Nobody decides on their own commission: confirms, pays or adjusts it."""
        if not self.env.su and self.env.user in self.sudo().user_id:
            raise UserError(
                self.env._(
                    "You cannot confirm, pay or adjust your own commission statement: ask "
                    "another sales targets manager."
                )
            )

    def action_confirm(self):
        self._check_manager()
        self._check_draft()
        self._set_state("confirmed")

    def action_paid(self):
        self._check_manager()
        if any(s.state != "confirmed" for s in self):
            raise UserError(self.env._("Only confirmed statements can be paid."))
        self._set_state("paid")

    def action_recompute(self):
        # set-based SQL over the plan's period: managers only; a salesperson computes their
        # own current month with "My Commission" (_earned_to_date)
        if not self.env.user.has_group("sales_targets.group_targets_manager"):
            raise UserError(
                self.env._(
                    "Only sales target managers recompute statements: see your current month "
                    "under My Commission, or ask your manager."
                )
            )
        self._check_draft()
        self._compute_statements()
        return True

    # ------------------------------------------------------------------
    # Generation (computed by the engine, sales_commission_statement_engine.py)
    # ------------------------------------------------------------------
    @api.model
    def _generate_statements(self, date_from, date_to, companies=None):
        """Create the missing draft statements of every assigned salesperson for the period and
        (re)compute all draft statements of the period. Entry point for the cron and the
        benchmark: the number of queries does not depend on the number of lines.

        A salesperson who already has a statement of the plan overlapping the period (e.g. a
        quarterly one) gets no new statement: the same sales are never paid twice."""
        companies = companies or self.env.companies
        schemes = self.env["sales.commission.scheme"].search(
            [("company_id", "in", companies.ids), ("version_of_id", "=", False)]
        )
        assigned = schemes._assigned_users(date_from, date_to)
        existing = self.search(
            [
                ("scheme_id", "in", schemes.ids),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
            ]
        )
        have = {(s.scheme_id.id, s.user_id.id) for s in existing}
        created = self.with_context(**{_OVERLAP_CHECKED_KEY: _OVERLAP_CHECKED}).create(
            [
                {
                    "scheme_id": scheme.id,
                    "user_id": user.id,
                    "date_from": date_from,
                    "date_to": date_to,
                }
                for scheme, users in assigned.items()
                for user in users
                if (scheme.id, user.id) not in have
            ]
        )
        statements = created.with_env(self.env) | existing.filtered(
            lambda s: s.date_from == date_from and s.date_to == date_to and s.state == "draft"
        )
        statements._compute_statements()
        return statements

    @api.model
    def _cron_generate_statements(self):
        """Daily: draft statements of the previous month (idempotent), the month as each
        company's timezone sees it.

        A transaction-level advisory lock keeps two workers from computing at the same time.
        """
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", CRON_LOCK_KEY))
        if not self.env.cr.fetchone()[0]:
            return self.browse()
        by_month = defaultdict(lambda: self.env["res.company"])
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            by_month[company._sales_today().replace(day=1)] |= company
        statements = self.browse()
        for first, companies in by_month.items():
            statements |= self._generate_statements(
                first - relativedelta(months=1),
                first - relativedelta(days=1),
                companies=companies,
            )
        return statements
