import base64

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.actions import form_action
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, float_is_zero

from ..tools.scans import check_scan

# Context value of the contract's own state changes: only Python code holds this object,
# so no client can write a state, a version or a signature through a plain ``write``.
CONTRACT_FLOW = object()

# The terms of a version (and of its schedule and lines): approvals bind them, a signed
# version never changes them, a new version records what changed in them.
TERM_FIELDS = (
    "partner_id",
    "company_id",
    "currency_id",
    "contract_type",
    "amount",
    "ceiling",
    "date_start",
    "date_end",
    "payment_term_id",
    "deposit_percent",
    "delivery_terms",
    "schedule_ids",
    "line_ids",
)
# Written by the contract's own flow (``_flow_write``), never by a user; the number comes
# from the company's sequence, and a new version keeps it.
FLOW_FIELDS = (
    "name",
    "state",
    "version",
    "root_id",
    "previous_id",
    "is_head",
    "date_signed",
    "scan_ids",
    "change_kind",
    "renewed_from_id",
)
# Who is credited with the contract (its signed value counts for them and their team): set
# in draft; once submitted, only the sales desk reassigns it
CREDIT_FIELDS = ("user_id", "team_id")
EDITABLE_STATES = ("draft", "review", "approved")
IN_FORCE_STATES = ("signed", "performance")
# a version in one of these states is over: it changes nothing any more
CLOSED_STATES = ("completed", "terminated", "expired", "superseded", "cancelled")


class SalesContract(models.Model):
    """A sales contract (销售合同): drafted by sales, reviewed and approved through the
    compliance engine, signed, performed through its orders, changed by new versions.

    Each version is a record. The first version is the ``root_id`` of all of them; the
    version that stands for the contract (``is_head``) is the one in force, or the first
    while none has been signed. A change (变更) is a new version in draft: the version in
    force stays in force until the change is signed.
    """

    _name = "sales.contract"
    _description = "Sales Contract"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.compliance.mixin"]
    _order = "date_signed desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index=True
    )
    title = fields.Char(tracking=True)
    version = fields.Integer(default=1, readonly=True, copy=False)
    root_id = fields.Many2one(
        "sales.contract",
        string="Contract",
        readonly=True,
        copy=False,
        index=True,
        help="The first version: every version of the contract points to it.",
    )
    previous_id = fields.Many2one(
        "sales.contract", string="Previous Version", readonly=True, copy=False
    )
    version_ids = fields.One2many("sales.contract", "root_id", string="Versions")
    is_head = fields.Boolean(
        string="Current",
        default=True,
        readonly=True,
        copy=False,
        index=True,
        help="The version that stands for the contract: the one in force, or the first "
        "while none has been signed.",
    )
    change_kind = fields.Selection(
        [("new", "New contract"), ("change", "Change"), ("termination", "Termination")],
        default="new",
        required=True,
        readonly=True,
        copy=False,
    )
    change_reason = fields.Text(string="Reason for the Change", tracking=True)
    renewed_from_id = fields.Many2one(
        "sales.contract", string="Renewal Of", readonly=True, copy=False, index=True
    )

    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("review", "In Review"),
            ("approved", "Approved"),
            ("signed", "Signed"),
            ("performance", "In Performance"),
            ("completed", "Completed"),
            ("terminated", "Terminated"),
            ("expired", "Expired"),
            ("superseded", "Superseded"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Signing Company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
    )
    opportunity_id = fields.Many2one(
        "crm.lead", check_company=True, domain="[('type', '=', 'opportunity')]"
    )
    contract_type = fields.Selection(
        [
            ("one_off", "One-off contract"),
            ("framework", "Framework agreement"),
            ("annual", "Annual contract"),
        ],
        string="Type",
        required=True,
        default="one_off",
        tracking=True,
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
    )
    amount = fields.Monetary(
        required=True, tracking=True, help="The contract's value (合同金额), taxes included."
    )
    ceiling = fields.Monetary(
        tracking=True,
        help="Framework agreements: the most that orders under the agreement may total.",
    )
    amount_company = fields.Monetary(
        string="Amount (Company Currency)",
        compute="_compute_amount_company",
        store=True,
        currency_field="company_currency_id",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    date_signed = fields.Date(string="Signed On", readonly=True, copy=False, tracking=True)
    date_start = fields.Date(string="Start", required=True, tracking=True)
    date_end = fields.Date(string="End", tracking=True)
    payment_term_id = fields.Many2one(
        "account.payment.term", string="Payment Terms", check_company=True, tracking=True
    )
    payment_days = fields.Integer(
        compute="_compute_payment_days",
        store=True,
        help="The longest delay of the payment schedule or of the payment terms, in days "
        "after the start.",
    )
    deposit_percent = fields.Float(
        string="Deposit (%)", tracking=True, help="The deposit (预付款) due at signing."
    )
    deposit_amount = fields.Monetary(compute="_compute_deposit_amount")
    schedule_ids = fields.One2many(
        "sales.contract.installment", "contract_id", string="Payment Schedule", copy=True
    )
    delivery_terms = fields.Text(tracking=True)
    line_ids = fields.One2many("sales.contract.line", "contract_id", string="Lines", copy=True)
    scan_ids = fields.Many2many(
        "ir.attachment",
        "sales_contract_scan_rel",
        "contract_id",
        "attachment_id",
        string="Signed Scans",
        readonly=True,
        copy=False,
    )
    order_ids = fields.One2many(
        "sale.order", "contract_id", string="Orders of this Version", readonly=True
    )
    note = fields.Html()
    change_summary = fields.Text(
        string="What Changed",
        compute="_compute_change_summary",
        help="The key terms of this version that differ from the previous one.",
    )

    _sql_constraints = [
        (
            "number_version_unique",
            "UNIQUE(company_id, name, version)",
            "A contract number has one record per version in a company.",
        ),
    ]

    def init(self):
        # one version in force per contract, whatever path writes the states
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS sales_contract_one_in_force
                ON sales_contract (root_id) WHERE state IN ('signed', 'performance')
            """
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("user_id", "company_id")
    def _compute_team_id(self):
        for contract in self:
            if contract.user_id and not contract.team_id:
                contract.team_id = contract.user_id._sales_team(contract.company_id)

    @api.depends("amount", "currency_id", "company_id", "date_start")
    def _compute_amount_company(self):
        for contract in self:
            company = contract.company_id or self.env.company
            contract.amount_company = (
                contract.currency_id._convert(
                    contract.amount,
                    company.currency_id,
                    company,
                    contract.date_start or company._sales_today(),
                )
                if contract.currency_id
                else contract.amount
            )

    @api.depends(
        "payment_term_id.line_ids.nb_days",
        "schedule_ids.date_due",
        "date_start",
    )
    def _compute_payment_days(self):
        for contract in self:
            days = max(contract.payment_term_id.line_ids.mapped("nb_days") or [0])
            if contract.date_start:
                dates = [d for d in contract.schedule_ids.mapped("date_due") if d]
                if dates:
                    days = max(days, (max(dates) - contract.date_start).days)
            contract.payment_days = days

    @api.depends("amount", "deposit_percent")
    def _compute_deposit_amount(self):
        for contract in self:
            contract.deposit_amount = (
                contract.currency_id.round(contract.amount * contract.deposit_percent / 100.0)
                if contract.currency_id
                else 0.0
            )

    @api.depends("version", "previous_id")
    def _compute_display_name(self):
        for contract in self:
            name = contract.name or ""
            if contract.version > 1:
                name = f"{name} v{contract.version}"
            contract.display_name = name

    def _terms(self):
        """The key terms of the version as comparable values (what a change records)."""
        self.ensure_one()
        return {
            self.env._("Amount"): self.amount,
            self.env._("Ceiling"): self.ceiling,
            self.env._("Start"): self.date_start,
            self.env._("End"): self.date_end,
            self.env._("Payment terms"): self.payment_term_id.display_name or "",
            self.env._("Deposit (%)"): self.deposit_percent,
            self.env._("Payment schedule"): ", ".join(
                f"{i.date_due}: {i._label()}" for i in self.schedule_ids.sorted("sequence")
            ),
            self.env._("Lines"): ", ".join(
                f"{line.product_id.display_name or line.name} x {line.quantity:g} @ "
                f"{line.price_unit:g}"
                for line in self.line_ids.sorted("sequence")
            ),
        }

    @api.depends(
        "previous_id",
        "amount",
        "ceiling",
        "date_start",
        "date_end",
        "payment_term_id",
        "deposit_percent",
        "schedule_ids.date_due",
        "schedule_ids.value",
        "line_ids.price_unit",
        "line_ids.quantity",
    )
    def _compute_change_summary(self):
        for contract in self:
            if not contract.previous_id:
                contract.change_summary = False
                continue
            before, after = contract.previous_id._terms(), contract._terms()
            changes = [
                f"{label}: {before[label] or '-'} → {after[label] or '-'}"
                for label in after
                if before[label] != after[label]
            ]
            contract.change_summary = "\n".join(changes) or self.env._("No key term changed.")

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            start, end = contract.date_start, contract.date_end
            if start and end and end < start:
                raise ValidationError(
                    self.env._(
                        "Contract %s: the end date cannot be before the start date.",
                        contract.display_name,
                    )
                )

    @api.constrains("amount", "ceiling", "deposit_percent", "contract_type")
    def _check_amounts(self):
        for contract in self:
            if contract.amount <= 0:
                raise ValidationError(
                    self.env._("Contract %s: the amount must be positive.", contract.display_name)
                )
            if contract.ceiling < 0 or not 0 <= contract.deposit_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "Contract %s: the ceiling cannot be negative and the deposit is a "
                        "percentage between 0 and 100.",
                        contract.display_name,
                    )
                )
            if contract.contract_type == "framework" and not (
                contract.ceiling > 0 and contract.date_end
            ):
                raise ValidationError(
                    self.env._(
                        "Framework agreement %s: give its ceiling and the end of its validity.",
                        contract.display_name,
                    )
                )

    def _check_none_other_in_force(self):
        """Before these versions come into force: no other version of their contracts is
        (the unique index ``sales_contract_one_in_force`` is the backstop)."""
        others = self.search(
            [
                ("root_id", "in", self.root_id.ids),
                ("state", "in", IN_FORCE_STATES),
                ("id", "not in", self.ids),
            ],
            limit=1,
        )
        if others or len(self.root_id) < len(self):
            raise ValidationError(
                self.env._(
                    "Contract %s already has a version in force: a change comes into force "
                    "when it is signed, and the version it changes is superseded then.",
                    (others or self).root_id[:1].name,
                )
            )

    def _schedule_problem(self):
        """What is wrong with the payment schedule, or None: by amount it adds up to the
        contract's amount, by percentage to 100 %."""
        self.ensure_one()
        schedule = self.schedule_ids
        if not schedule:
            return None
        kinds = set(schedule.mapped("kind"))
        if len(kinds) > 1:
            return self.env._("give every installment by amount, or every one in percent")
        if any(i.value <= 0 for i in schedule):
            return self.env._("every installment is positive")
        total = sum(schedule.mapped("value"))
        if kinds == {"percent"}:
            if float_compare(total, 100.0, precision_digits=2):
                return self.env._("the percentages add up to %s %%, not 100 %%", round(total, 2))
        elif not float_is_zero(total - self.amount, precision_rounding=self.currency_id.rounding):
            return self.env._(
                "the installments add up to %(total)s, not to the amount %(amount)s",
                total=total,
                amount=self.amount,
            )
        return None

    @api.constrains("schedule_ids", "amount")
    def _check_schedule(self):
        for contract in self:
            problem = contract._schedule_problem()
            if problem:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the payment schedule does not add up: %(problem)s.",
                        contract=contract.display_name,
                        problem=problem,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: terms of signed versions and flow fields are never written by hand
    # ------------------------------------------------------------------
    def _in_flow(self):
        return self.env.context.get("sales_contract_flow") is CONTRACT_FLOW

    def _flow_write(self, vals):
        if vals.get("state") in IN_FORCE_STATES:
            self._check_none_other_in_force()
        return self.with_context(sales_contract_flow=CONTRACT_FLOW).write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        flow = self._in_flow()
        for vals in vals_list:
            if not flow:
                for field in FLOW_FIELDS:
                    vals.pop(field, None)
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .sudo()
                    .next_by_code("sales.contract")
                    or "/"
                )
            if not flow:
                self._check_team_of_salesperson(vals.get("user_id", self.env.uid), vals)
        contracts = super().create(vals_list)
        for contract in contracts.filtered(lambda c: not c.root_id):
            contract.with_context(sales_contract_flow=CONTRACT_FLOW).root_id = contract
        return contracts

    def write(self, vals):
        if not self._in_flow():
            flow_fields = set(FLOW_FIELDS) & set(vals)
            if flow_fields:
                raise UserError(
                    self.env._(
                        "The state, version and signature of a contract follow its review, "
                        "approval and signing: use the buttons of the contract (%s).",
                        ", ".join(sorted(flow_fields)),
                    )
                )
            if set(TERM_FIELDS) & set(vals):
                self._check_terms_editable()
            self._check_credit_unchanged(vals)
            for contract in self:
                contract._check_team_of_salesperson(vals.get("user_id", contract.user_id.id), vals)
        hash_changed = self._compliance_hash_changed(vals)
        reopened = self.filtered(lambda c: c.state in ("review", "approved"))
        res = super().write(vals)
        if hash_changed and not self._in_flow():
            self._terms_edited(reopened)
        return res

    def _check_terms_editable(self):
        locked = self.filtered(lambda c: c.state not in EDITABLE_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "The terms of %s can no longer be edited: a signed version is never "
                    "edited in place. Create a new version (变更) to change them.",
                    ", ".join(locked.mapped("display_name")),
                )
            )

    def _check_credit_unchanged(self, vals):
        """The salesperson and team of a submitted version (credited with its signed value in
        the targets) are reassigned by the sales desk only: a leader never takes a rep's
        contract for themselves, nor a rep moves it to another team."""
        if self.env.su or self.env.user.has_group("sales_assistant.group_assistant_desk"):
            return
        changed = [name for name in CREDIT_FIELDS if name in vals]
        moved = self.filtered(
            lambda c: (
                c.state != "draft" and any(c[name].id != (vals[name] or False) for name in changed)
            )
        )
        if moved:
            raise AccessError(
                self.env._(
                    "Contract %s was submitted: only the sales desk changes its salesperson or "
                    "its team, who are credited with its value.",
                    ", ".join(moved.mapped("display_name")),
                )
            )

    @api.model
    def _check_team_of_salesperson(self, user_id, vals):
        """A contract is in a team of its salesperson (one they belong to or lead): its value
        counts for that team and its leader reads it. Only the sales desk puts it in another."""
        if not vals.get("team_id") or not user_id:
            return
        if self.env.su or self.env.user.has_group("sales_assistant.group_assistant_desk"):
            return
        user = self.env["res.users"].browse(user_id).sudo()
        teams = user._sales_teams_joined_or_led()
        if vals["team_id"] not in teams.ids:
            raise AccessError(
                self.env._(
                    "A contract is in a sales team of its salesperson (%(teams)s): only the "
                    "sales desk puts it in another team.",
                    teams=", ".join(teams.mapped("name")) or self.env._("none"),
                )
            )

    def _check_children_stay(self, vals):
        """A line or an installment belongs to its version (these): it never moves to another
        contract, whose rights and terms its own do not check."""
        if "contract_id" in vals and any(c.id != vals["contract_id"] for c in self):
            raise UserError(
                self.env._(
                    "A line or an installment belongs to its contract: it cannot be moved to "
                    "another one. Delete it and add it to the other contract instead."
                )
            )

    def _contract_child_changed(self):
        """A line or an installment of these versions was created, changed or deleted."""
        self._check_terms_editable()
        self._check_schedule()
        if not self._in_flow():
            self._terms_edited(self.filtered(lambda c: c.state in ("review", "approved")))

    def _terms_edited(self, reopened):
        """Terms changed: approvals of other values no longer count; a version in review
        or approved goes back to draft and is submitted again."""
        self._compliance_void_stale_approvals()
        reopened = reopened.filtered(lambda c: c.state in ("review", "approved"))
        if reopened:
            reopened._flow_write({"state": "draft"})
            for contract in reopened:
                contract.message_post(
                    body=self.env._(
                        "The terms changed after the submission: the contract is back in "
                        "draft and its approvals of the former terms no longer count."
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts_without_orders(self):
        for contract in self:
            if contract.state not in ("draft", "cancelled"):
                raise UserError(
                    self.env._(
                        "Contract %s cannot be deleted: only drafts can. A signed contract "
                        "ends by termination or expiry.",
                        contract.display_name,
                    )
                )
            if contract.version_ids - contract:
                raise UserError(
                    self.env._(
                        "Contract %s cannot be deleted: it has other versions.",
                        contract.display_name,
                    )
                )
        if self.sudo().with_context(active_test=False).order_ids:
            raise UserError(self.env._("A contract that has orders cannot be deleted."))

    # ------------------------------------------------------------------
    # The compliance engine: reviews and approvals
    # ------------------------------------------------------------------
    _compliance_triggers = ("review",)
    _compliance_has_amount = True
    _compliance_amount_paths = ("amount_company",)
    _compliance_hash_trigger_fields = TERM_FIELDS

    def _compliance_approval_amount(self):
        self.ensure_one()
        return self.amount_company

    def _compliance_hash_values(self):
        self.ensure_one()
        return {
            "id": self.id,
            "version": self.version,
            "partner": self.partner_id.id,
            "company": self.company_id.id,
            "currency": self.currency_id.id,
            "type": self.contract_type,
            "amount": self.amount,
            "ceiling": self.ceiling,
            "dates": [str(self.date_start), str(self.date_end)],
            "payment_term": self.payment_term_id.id,
            "deposit": self.deposit_percent,
            "delivery_terms": self.delivery_terms or "",
            "schedule": [
                (str(i.date_due), i.kind, i.value) for i in self.schedule_ids.sorted("sequence")
            ],
            "lines": [
                (line.product_id.id, line.name, line.quantity, line.price_unit)
                for line in self.line_ids.sorted("sequence")
            ],
        }

    def _compliance_pending_approvals(self):
        """The requests of these versions still waiting for a decision on their values."""
        approvals = self._compliance_open_approvals().filtered(lambda a: a.state == "pending")
        hashes = {contract.id: contract._compliance_hash() for contract in self}
        return approvals.filtered(lambda a: a.values_hash == hashes.get(a.res_id))

    def action_submit(self):
        """Submit for review (法务审核, 总经理审批...): the review rules ask for their
        approvals; without any left to wait for, the version is approved at once."""
        self.check_access("write")
        for contract in self:
            if contract.state != "draft":
                raise UserError(self.env._("Contract %s is not a draft.", contract.display_name))
            problem = contract._schedule_problem()
            if problem:
                raise UserError(problem)
        self._flow_write({"state": "review"})
        self._compliance_run_rules("review")
        self._review_settle()
        return True

    def _review_settle(self):
        """Versions in review without a pending request left are approved, unless a review
        rule still asks an approval none gave (its request could not be made: nobody but
        the parties could decide): the version waits in review, it is never approved by
        default."""
        for contract in self.filtered(lambda c: c.state == "review"):
            if contract._compliance_pending_approvals():
                continue
            if any(
                failure["outcome"] in ("approval", "block")
                for failure in contract._compliance_failures("review")
            ):
                continue
            contract._flow_write({"state": "approved"})

    def _compliance_approval_decided(self, approval, state):
        """Hook of sales_compliance: a request on the version was decided."""
        for contract in self.filtered(lambda c: c.state == "review"):
            if state == "rejected":
                contract._flow_write({"state": "draft"})
            elif state == "approved":
                contract._review_settle()

    def action_back_to_draft(self):
        self.check_access("write")
        for contract in self:
            if contract.state not in ("review", "approved"):
                raise UserError(self.env._("Contract %s is not in review.", contract.display_name))
        self._compliance_open_approvals()._void()
        self._flow_write({"state": "draft"})
        return True

    # ------------------------------------------------------------------
    # Signing, versions, termination, renewal
    # ------------------------------------------------------------------
    def _sign(self, date_signed, scans):
        """Sign the approved version with ``date_signed`` and ``scans`` [(filename, bytes)]:
        the version comes into force, the one it changes is superseded (or terminated)."""
        self.ensure_one()
        if self.state != "approved":
            raise UserError(
                self.env._("Contract %s must be approved before it is signed.", self.display_name)
            )
        if not date_signed:
            raise UserError(self.env._("Give the date the contract was signed."))
        # the signed value counts in the month of this date: never one to come
        today = self.company_id._sales_today()
        if fields.Date.to_date(date_signed) > today:
            raise UserError(
                self.env._(
                    "Contract %(contract)s cannot be signed on %(day)s: that day has not come "
                    "yet (today is %(today)s).",
                    contract=self.display_name,
                    day=date_signed,
                    today=today,
                )
            )
        if not scans:
            raise UserError(self.env._("Attach the signed scan of the contract before signing it."))
        what = self.env._("The signed scan")
        for _filename, content in scans:
            check_scan(self.env, content, what)
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": filename or f"{self.name}.pdf",
                        "datas": base64.b64encode(content),
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for filename, content in scans
                ]
            )
        )
        in_force = self._in_force_version()
        if in_force:
            in_force._flow_write(
                {
                    "state": "terminated" if self.change_kind == "termination" else "superseded",
                    "is_head": False,
                }
            )
            # out of force in the database before the new version comes into force: one
            # flush of both could hit the unique index of the version in force first
            in_force.flush_recordset(["state"])
        self._flow_write(
            {
                "state": "terminated" if self.change_kind == "termination" else "signed",
                "date_signed": date_signed,
                "scan_ids": [fields.Command.link(a.id) for a in attachments],
                "is_head": True,
            }
        )
        self.message_post(
            body=self.env._("Signed on %s.", date_signed),
            attachment_ids=attachments.ids,
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _in_force_version(self):
        """The version of this contract in force, if any."""
        self.ensure_one()
        return self.search(
            [("root_id", "=", self.root_id.id), ("state", "in", IN_FORCE_STATES)], limit=1
        )

    def _open_change(self):
        self.ensure_one()
        return self.search(
            [
                ("root_id", "=", self.root_id.id),
                ("state", "in", EDITABLE_STATES),
                ("id", "!=", self._in_force_version().id),
            ],
            limit=1,
        )

    def _new_version(self, kind):
        self.ensure_one()
        self.check_access("write")
        if self.state not in IN_FORCE_STATES:
            raise UserError(
                self.env._(
                    "Only a contract in force can be changed or terminated; %s is not.",
                    self.display_name,
                )
            )
        pending = self._open_change()
        if pending:
            raise UserError(
                self.env._(
                    "Contract %(contract)s already has a change in progress: %(change)s.",
                    contract=self.display_name,
                    change=pending.display_name,
                )
            )
        last = self.search([("root_id", "=", self.root_id.id)], order="version desc", limit=1)
        version = self.with_context(sales_contract_flow=CONTRACT_FLOW).copy(
            {
                "name": self.name,
                "version": last.version + 1,
                "root_id": self.root_id.id,
                "previous_id": self.id,
                "is_head": False,
                "change_kind": kind,
                "user_id": self.user_id.id,
                "team_id": self.team_id.id,
            }
        )
        return version

    def action_new_version(self):
        """Change (变更) the contract in force: a new version in draft, reviewed and
        approved again; this one stays in force until the new one is signed."""
        version = self._new_version("change")
        return form_action(self._name, version.id, name=self.env._("Contract Change"))

    def action_terminate(self):
        """Termination (解除) goes through review and approval as a change does: it takes
        effect when its version is signed."""
        version = self._new_version("termination")
        return form_action(self._name, version.id, name=self.env._("Contract Termination"))

    def action_renew(self):
        """A new contract in draft, linked to this one, its dates following on."""
        self.ensure_one()
        self.check_access("write")
        if self.state not in (*IN_FORCE_STATES, "expired", "completed"):
            raise UserError(self.env._("Only a signed contract can be renewed."))
        start = fields.Date.add(self.date_end, days=1) if self.date_end else self.date_start
        end = False
        if self.date_end:
            end = fields.Date.add(start, days=(self.date_end - self.date_start).days)
        renewal = self.with_context(sales_contract_flow=CONTRACT_FLOW).copy(
            {
                "name": "/",
                "renewed_from_id": self.id,
                "date_start": start,
                "date_end": end,
                "user_id": self.user_id.id,
                "schedule_ids": [],
            }
        )
        return form_action(self._name, renewal.id, name=self.env._("Contract Renewal"))

    def action_cancel(self):
        self.check_access("write")
        for contract in self:
            if contract.state not in EDITABLE_STATES:
                raise UserError(self.env._("Only a contract not yet signed can be cancelled."))
        self._compliance_open_approvals()._void()
        self._flow_write({"state": "cancelled", "is_head": False})
        # a cancelled first version leaves no contract: keep it as the head of its own
        self.filtered(lambda c: c.root_id == c)._flow_write({"is_head": True})
        return True

    def action_complete(self):
        """The sales desk closes a contract whose performance is over."""
        self.check_access("write")
        if not self.env.user.has_group("sales_assistant.group_assistant_desk"):
            raise AccessError(self.env._("Only the sales desk marks a contract completed."))
        for contract in self:
            if contract.state not in IN_FORCE_STATES:
                raise UserError(self.env._("Only a contract in force can be completed."))
        self._flow_write({"state": "completed"})
        return True

    def action_open_sign(self):
        self.ensure_one()
        self.check_access("write")
        return form_action(
            "sales.contract.sign",
            name=self.env._("Sign the Contract"),
            target="new",
            context={"default_contract_id": self.id},
        )
