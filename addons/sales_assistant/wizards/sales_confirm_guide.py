from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.actions import form_action, notification_action
from odoo.exceptions import UserError

CHECK_STATES = [
    ("block", "Blocked"),
    ("approval", "Approval required"),
    ("pending", "Approval pending"),
    ("approved", "Approved"),
    ("warn", "Warning"),
]


class SalesConfirmGuide(models.TransientModel):
    """The guided confirmation screen: everything that decides a confirmation, side by side,
    before anything changes.

    Only a screen: it reads sales_compliance's engine (the confirmation rules, approvals,
    credit exposure) and the order's own computations (line availability, deposit), and
    its actions call the order's ``action_confirm``, whose compliance gate decides. Every
    action reads the order again: nothing the client sent in the wizard is trusted.
    """

    _name = "sales.confirm.guide"
    _description = "Guided Order Confirmation"

    order_id = fields.Many2one(
        "sale.order", string="Quotation", required=True, readonly=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="order_id.currency_id")
    amount_total = fields.Monetary(related="order_id.amount_total")
    check_ids = fields.One2many(
        "sales.confirm.guide.check", "guide_id", string="Compliance", readonly=True
    )
    line_ids = fields.One2many(
        "sales.confirm.guide.line", "guide_id", string="Availability", readonly=True
    )
    blocked = fields.Boolean(readonly=True, help="A rule refuses the confirmation.")
    approval_requestable = fields.Boolean(readonly=True)
    unavailable_count = fields.Integer(string="Lines Not Available", readonly=True)
    splittable = fields.Boolean(readonly=True)
    contract_missing = fields.Char(string="Contract Terms Missing", readonly=True)
    deposit_asked = fields.Monetary(readonly=True)
    deposit_received = fields.Monetary(readonly=True)
    # the customer's credit, as sales_compliance computes and shows it: read with the
    # rights of the user (not as superuser, as related fields are), who may not see it
    credit_visible = fields.Boolean(
        related="order_id.compliance_credit_visible", compute_sudo=False
    )
    credit_currency_id = fields.Many2one(related="order_id.compliance_currency_id")
    credit_exposure = fields.Monetary(
        related="order_id.compliance_credit_exposure",
        currency_field="credit_currency_id",
        compute_sudo=False,
    )
    credit_limit = fields.Monetary(
        related="order_id.compliance_credit_limit",
        currency_field="credit_currency_id",
        compute_sudo=False,
    )
    credit_rating_id = fields.Many2one(
        related="order_id.compliance_credit_rating_id", compute_sudo=False
    )
    credit_review_valid = fields.Boolean(
        related="order_id.compliance_credit_review_valid", compute_sudo=False
    )

    @api.model
    def _open_for(self, order):
        guide = self.create({"order_id": order.id})
        return form_action(
            self._name, guide.id, name=self.env._("Confirm %s", order.name), target="new"
        )

    @api.model_create_multi
    def create(self, vals_list):
        """The screen's content is read from the order, never taken from the client."""
        order_ids = [vals.get("order_id") for vals in vals_list]
        orders = self.env["sale.order"].browse(
            [i for i in order_ids if isinstance(i, int) and not isinstance(i, bool)]
        )
        if len(orders) != len(order_ids) or orders.exists() != orders:
            raise UserError(self.env._("The quotation to confirm does not exist."))
        orders.check_access("read")
        return super().create([self._prepare_values(order) for order in orders])

    @api.model
    def _prepare_values(self, order):
        if order.state not in ("draft", "sent"):
            raise UserError(self.env._("Order %s is not a quotation any more.", order.name))
        failures = order._compliance_failures("confirm")
        checks = self._prepare_checks(order, failures)
        availability = order.order_line._assistant_availability()
        asked, received = order._assistant_deposit()[order.id]
        lines = [
            fields.Command.create(
                {
                    "order_line_id": line.id,
                    "ordered_qty": values["ordered"],
                    "free_qty": values["free"],
                    "forecast_qty": values["forecast"],
                    "available_date": values["date"],
                    "available": values["available"],
                    "stocked": values["stocked"],
                }
            )
            for line in order.order_line
            if not line.display_type
            for values in [availability[line.id]]
        ]
        unavailable = sum(1 for values in availability.values() if not values["available"])
        # what a split leaves on the order: products, not down payments nor notes
        products = order.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )
        blocked = any(check[2]["state"] in ("block", "approval", "pending") for check in checks)
        return {
            "order_id": order.id,
            "check_ids": checks,
            "line_ids": lines,
            "blocked": blocked,
            "approval_requestable": any(check[2]["state"] == "approval" for check in checks),
            "unavailable_count": unavailable,
            "splittable": bool(unavailable) and unavailable < len(products),
            "contract_missing": self._contract_missing(order, failures),
            "deposit_asked": asked,
            "deposit_received": received,
        }

    @api.model
    def _prepare_checks(self, order, failures):
        """The confirmation rules' result as the gate would see it now, written nowhere:
        blocks, warnings, approvals to ask, pending or granted (for the current values)."""
        approvals = order._compliance_open_approvals()
        current = order._compliance_hash() if approvals else None
        approvals = approvals.filtered(lambda a: a.values_hash == current)
        pending = {a.rule_id.id for a in approvals if a.state == "pending"}
        checks = []
        for failure in failures:
            state = failure["outcome"]
            if state == "approval" and failure["rule"].id in pending:
                state = "pending"
            checks.append(
                fields.Command.create(
                    {
                        "rule_name": failure["rule"].name,
                        "state": state,
                        "message": failure["message"],
                    }
                )
            )
        checks.extend(
            fields.Command.create(
                {
                    "rule_name": approval.rule_id.name,
                    "state": "approved",
                    "message": approval.name,
                }
            )
            for approval in approvals
            if approval.state == "approved"
        )
        order_of_states = [key for key, _label in CHECK_STATES]
        checks.sort(key=lambda command: order_of_states.index(command[2]["state"]))
        return checks

    @api.model
    def _contract_missing(self, order, failures):
        """The contract terms the company's confirmation rules still ask for (labels)."""
        names = []
        for failure in failures:
            for name in (failure["values"] or {}).get("missing", ()):
                if name not in names and name in order._fields:
                    names.append(name)
        return ", ".join(order._fields[name]._description_string(self.env) for name in names)

    # ------------------------------------------------------------------
    # Actions (public: callable over RPC, each checks the order again)
    # ------------------------------------------------------------------
    def _checked_order(self):
        self.ensure_one()
        order = self.order_id
        order.check_access("write")
        if order.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "Order %s is already confirmed: its lines cannot be moved to a new "
                    "quotation any more.",
                    order.name,
                )
            )
        return order

    def action_confirm(self):
        """Confirm the order through its compliance gate."""
        result = self._checked_order()._assistant_confirm()
        return result if isinstance(result, dict) else {"type": "ir.actions.act_window_close"}

    def action_confirm_available(self):
        """Move the lines not available into a new quotation, then confirm the rest."""
        order = self._checked_order()
        split = order._assistant_split_unavailable()
        result = order._assistant_confirm()
        if isinstance(result, dict):
            return result
        return notification_action(
            self.env._(
                "%(order)s is confirmed; the lines not available wait in quotation %(quotation)s.",
                order=order.name,
                quotation=split.name,
            ),
            close_dialog=True,
        )

    def action_request_approval(self):
        """Ask for the approvals the confirmation rules require (sales_compliance's action)."""
        self.ensure_one()
        order = self.order_id
        order.check_access("read")
        return order.action_compliance_request_approval()


class SalesConfirmGuideCheck(models.TransientModel):
    _name = "sales.confirm.guide.check"
    _description = "Guided Confirmation: Compliance Result"

    guide_id = fields.Many2one("sales.confirm.guide", required=True, ondelete="cascade")
    rule_name = fields.Char(string="Rule", readonly=True)
    state = fields.Selection(CHECK_STATES, string="Result", required=True, readonly=True)
    message = fields.Char(readonly=True)


class SalesConfirmGuideLine(models.TransientModel):
    _name = "sales.confirm.guide.line"
    _description = "Guided Confirmation: Line Availability"

    guide_id = fields.Many2one("sales.confirm.guide", required=True, ondelete="cascade")
    order_line_id = fields.Many2one("sale.order.line", readonly=True)
    product_id = fields.Many2one(related="order_line_id.product_id")
    product_uom = fields.Many2one(related="order_line_id.product_uom", string="Unit")
    ordered_qty = fields.Float(string="Ordered", digits="Product Unit of Measure", readonly=True)
    free_qty = fields.Float(string="Free", digits="Product Unit of Measure", readonly=True)
    forecast_qty = fields.Float(
        string="Forecasted", digits="Product Unit of Measure", readonly=True
    )
    available_date = fields.Date(string="Available On", readonly=True)
    available = fields.Boolean(readonly=True)
    stocked = fields.Boolean(readonly=True)
