from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.addons.sales_compliance.tools.actions import form_action
from odoo.exceptions import UserError

from ..models.sales_handover_log import DISTRIBUTIONS

# the kinds the preview counts in columns of their own; "other" counts the kinds
# added later (collection follow-ups...)
SHOWN_KINDS = ("customer", "opportunity", "quotation", "order", "activity", "joint")


class SalesHandoverWizard(models.TransientModel):
    """Hand a salesperson's customers, deals and activities over (商机移交 / 离职交接):
    choose the successors, preview who gets what, then run it."""

    _name = "sales.handover.wizard"
    _description = "Sales Hand-over"

    from_user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="The salesperson who leaves or is reassigned.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    distribution = fields.Selection(DISTRIBUTIONS, required=True, default="single")
    successor_ids = fields.Many2many(
        "res.users",
        string="Successors",
        domain="[('share', '=', False), ('id', '!=', from_user_id), "
        "('company_ids', 'in', company_id)]",
    )
    notify_customers = fields.Boolean(
        string="Email the Customers",
        help="Tell each customer who their new contact is (in the customer's language).",
    )
    joint_visit_probability = fields.Float(
        string="Joint Visit From (%)",
        default=lambda self: self._default_joint_visit_probability(),
        help="Opportunities at or above this probability are flagged for a visit by both "
        "salespeople. Zero: none.",
    )
    state = fields.Selection([("draft", "Choose"), ("preview", "Preview")], default="draft")
    preview_line_ids = fields.One2many(
        "sales.handover.wizard.line", "wizard_id", string="Preview", readonly=True
    )
    preview_total = fields.Integer(string="Records to Move", readonly=True)

    @api.model
    def _default_joint_visit_probability(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("sales_assistant.handover_joint_visit_probability", "70")
        )
        try:
            return float(value)
        except ValueError:
            return 70.0

    def _successors(self):
        # archived users too: they are refused, not silently dropped
        return self.with_context(active_test=False).successor_ids.with_context(active_test=True)

    def _check_inputs(self):
        """Every refusal before anything is written: a clear error, nothing moved."""
        self.ensure_one()
        successors = self._successors()
        self.env["sales.handover.log"]._check_handover_rights()
        company = self.company_id
        if company not in self.env.user.company_ids:
            raise UserError(self.env._("You cannot hand over in a company that is not yours."))
        if not self.from_user_id.exists():
            raise UserError(self.env._("Choose the salesperson to hand over."))
        self.env["sales.handover.log"]._check_handover_rights(self.from_user_id, company)
        if self.joint_visit_probability < 0 or self.joint_visit_probability > 100:
            raise UserError(self.env._("The joint visit probability is between 0 and 100%."))
        if self.distribution == "pool":
            if successors:
                raise UserError(
                    self.env._("Back to the public pool takes no successor: remove them.")
                )
            return
        if not successors:
            raise UserError(self.env._("Choose at least one successor."))
        if self.distribution == "single" and len(successors) > 1:
            raise UserError(self.env._("One successor only: choose another distribution to split."))
        for successor in successors:
            if successor == self.from_user_id:
                raise UserError(self.env._("%s cannot hand over to themselves.", successor.name))
            if not successor.active:
                raise UserError(
                    self.env._(
                        "%s is archived (inactive): choose an active successor.", successor.name
                    )
                )
            if successor.share:
                raise UserError(
                    self.env._("%s is not an internal user: choose a colleague.", successor.name)
                )
            if company not in successor.company_ids:
                raise UserError(
                    self.env._(
                        "%(user)s does not work for %(company)s: choose a successor of "
                        "this company.",
                        user=successor.name,
                        company=company.name,
                    )
                )

    def _plan(self):
        self._check_inputs()
        Log = self.env["sales.handover.log"]
        plan = Log._handover_plan(
            self.from_user_id,
            self.company_id,
            self.distribution,
            self.successor_ids,
            self.joint_visit_probability,
        )
        if not plan:
            raise UserError(
                self.env._(
                    "%(user)s holds nothing to hand over in %(company)s: no customer, open "
                    "opportunity, quotation, unpaid order or open activity.",
                    user=self.from_user_id.name,
                    company=self.company_id.name,
                )
            )
        return plan

    def action_preview(self):
        """Who gets what, before anything moves: counts and records per successor."""
        self.ensure_one()
        plan = self._plan()
        per_successor = defaultdict(lambda: defaultdict(list))
        for vals in plan:
            per_successor[vals["successor_id"]][vals["kind"]].append(vals["res_id"])
            if vals["joint_visit"]:
                per_successor[vals["successor_id"]]["joint"].append(vals["res_id"])
        held = self.env["res.partner"]._compliance_customers_held(self.successor_ids)
        cap = self.env["res.partner"]._compliance_param("claim_cap", 0)
        lines = [Command.clear()]
        for successor_id, kinds in sorted(per_successor.items(), key=lambda i: i[0] or 0):
            after = held.get(successor_id, 0) + len(kinds["customer"])
            lines.append(
                Command.create(
                    {
                        "successor_id": successor_id,
                        "customers_after": after if successor_id else 0,
                        "over_cap": bool(successor_id and cap and after > cap),
                        "customer_ids": [Command.set(kinds["customer"])],
                        "opportunity_ids": [Command.set(kinds["opportunity"])],
                        "quotation_count": len(kinds["quotation"]),
                        "order_count": len(kinds["order"]),
                        "activity_count": len(kinds["activity"]),
                        "joint_visit_count": len(kinds["joint"]),
                        "other_count": sum(
                            len(ids) for kind, ids in kinds.items() if kind not in SHOWN_KINDS
                        ),
                    }
                )
            )
        self.write({"state": "preview", "preview_line_ids": lines, "preview_total": len(plan)})
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.write({"state": "draft", "preview_line_ids": [Command.clear()]})
        return self._reopen()

    def _reopen(self):
        return form_action(self._name, self.id, target="new", name=self.env._("Hand-over"))

    def action_confirm(self):
        """Run the hand-over: the plan is made again here (never taken from the client),
        the first batch moves now, the rest in the background."""
        self.ensure_one()
        plan = self._plan()
        log = self.env["sales.handover.log"]._handover_start(
            {
                "from_user_id": self.from_user_id.id,
                "company_id": self.company_id.id,
                "distribution": self.distribution,
                "successor_ids": [Command.set(self.successor_ids.ids)],
                "notify_customers": self.notify_customers,
                "joint_visit_probability": self.joint_visit_probability,
            },
            plan,
        )
        return form_action("sales.handover.log", log.id, target="current")


class SalesHandoverWizardLine(models.TransientModel):
    _name = "sales.handover.wizard.line"
    _description = "Sales Hand-over Preview"
    _order = "successor_id"

    wizard_id = fields.Many2one("sales.handover.wizard", required=True, ondelete="cascade")
    successor_id = fields.Many2one("res.users")
    successor_label = fields.Char(string="Goes To", compute="_compute_successor_label")
    customer_ids = fields.Many2many("res.partner", string="Customers Planned")
    opportunity_ids = fields.Many2many("crm.lead", string="Opportunities Planned")
    customer_count = fields.Integer(string="Customers", compute="_compute_counts")
    opportunity_count = fields.Integer(string="Opportunities", compute="_compute_counts")
    quotation_count = fields.Integer(string="Quotations")
    order_count = fields.Integer(string="Orders")
    activity_count = fields.Integer(string="Activities")
    joint_visit_count = fields.Integer(string="Joint Visits")
    customers_after = fields.Integer(
        string="Customers Held After", help="The customers the successor owns after the hand-over."
    )
    over_cap = fields.Boolean(
        string="Over the Cap",
        help="The successor ends above the cap of customers per salesperson: they claim no "
        "more customers from the pool until back under it.",
    )
    other_count = fields.Integer(string="Other")

    @api.depends("successor_id")
    def _compute_successor_label(self):
        for line in self:
            line.successor_label = line.successor_id.name or self.env._("Public pool")

    def action_open_records(self):
        """The customers and opportunities this successor gets, before they move."""
        self.ensure_one()
        model = self.env.context.get("handover_open") == "opportunity" and "crm.lead"
        records = self.opportunity_ids if model else self.customer_ids
        return {
            "type": "ir.actions.act_window",
            "name": self.successor_label,
            "res_model": records._name,
            "domain": [("id", "in", records.ids)],
            "views": [(False, "list")],
            "target": "new",
        }

    @api.depends("customer_ids", "opportunity_ids")
    def _compute_counts(self):
        for line in self:
            line.customer_count = len(line.customer_ids)
            line.opportunity_count = len(line.opportunity_ids)
