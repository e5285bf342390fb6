from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.deferred_checks import check_or_defer
from odoo.exceptions import UserError

METHODS = [
    ("bank_transfer", "Bank Transfer"),
    ("acceptance_bill", "Acceptance Bill"),
    ("cash", "Cash"),
    ("cheque", "Cheque"),
    ("other", "Other"),
]
STATES = [
    ("planned", "Planned"),
    ("due", "Due"),
    ("partial", "Partially Paid"),
    ("paid", "Paid"),
    ("overdue", "Overdue"),
]
# What the user plans; the rest (state, amounts received) comes from the accounting.
PLANNED_FIELDS = {"plan_id", "date_due", "amount", "method", "sequence", "is_deposit"}


class SalesCollectionInstallment(models.Model):
    """One expected payment of a collection plan.

    ``state`` and the amounts received are never written by users: the plan computes them
    from the payments reconciled with the order's invoices (``_collection_refresh``).
    Planned (not invoiced yet, not due), due (invoiced, or due today), partially paid,
    paid, overdue (its due date has passed and something is still to collect).
    """

    _name = "sales.collection.installment"
    _description = "Collection Installment"
    _inherit = ["mail.thread"]
    _order = "date_due, sequence, id"
    _rec_names_search = ["order_id", "partner_id"]

    plan_id = fields.Many2one(
        "sales.collection.plan", required=True, ondelete="cascade", index=True
    )
    order_id = fields.Many2one(related="plan_id.order_id", store=True, index=True)
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True, string="Customer")
    commercial_partner_id = fields.Many2one(
        related="plan_id.commercial_partner_id", store=True, index=True
    )
    user_id = fields.Many2one(related="plan_id.user_id", store=True, string="Salesperson")
    team_id = fields.Many2one(related="plan_id.team_id", store=True, string="Sales Team")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id", store=True)
    sequence = fields.Integer(default=10)
    date_due = fields.Date(string="Due Date", required=True, index=True)
    amount = fields.Monetary(required=True)
    method = fields.Selection(
        METHODS, string="Payment Method", required=True, default="bank_transfer"
    )
    is_deposit = fields.Boolean(
        string="Deposit", help="The deposit (预付款) asked before delivery."
    )
    amount_invoiced = fields.Monetary(string="Invoiced", readonly=True)
    amount_credited = fields.Monetary(string="Credited", readonly=True)
    amount_paid = fields.Monetary(string="Paid", readonly=True)
    amount_residual = fields.Monetary(string="Still Due", readonly=True)
    state = fields.Selection(STATES, default="planned", required=True, readonly=True, index=True)
    reminder_ids = fields.One2many(
        "sales.collection.reminder", "installment_id", string="Reminders"
    )
    days_overdue = fields.Integer(compute="_compute_days_overdue")

    @api.depends("date_due", "state")
    def _compute_days_overdue(self):
        today = {}
        for installment in self:
            company = installment.company_id
            if company.id not in today:
                today[company.id] = company._sales_today()
            installment.days_overdue = (
                (today[company.id] - installment.date_due).days
                if installment.state == "overdue"
                else 0
            )

    @api.depends("order_id", "date_due")
    def _compute_display_name(self):
        # the order's name as a many2one shows it (``Many2one.convert_to_read``): a team
        # leader reads the team's installments, not always the orders
        for installment in self:
            installment.display_name = (
                f"{installment.order_id.sudo().name} · {installment.date_due}"
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_no_state(vals)
        installments = super().create(vals_list)
        installments.plan_id._check_editable()
        check_or_defer(installments.plan_id, "_check_total")
        installments.plan_id._collection_refresh()
        return installments

    def write(self, vals):
        self._check_no_state(vals)
        plans = self.plan_id
        if PLANNED_FIELDS & set(vals):
            plans._check_editable()
        result = super().write(vals)
        if PLANNED_FIELDS & set(vals):
            plans |= self.plan_id
            plans._check_editable()
            check_or_defer(plans, "_check_total")
            plans._collection_refresh()
        return result

    def unlink(self):
        plans = self.plan_id
        plans._check_editable()
        result = super().unlink()
        check_or_defer(plans.exists(), "_check_total")
        return result

    def _check_no_state(self, vals):
        booked = {"state", "amount_paid", "amount_invoiced", "amount_credited", "amount_residual"}
        if booked & set(vals):
            raise UserError(
                self.env._(
                    "The state and amounts received of an installment follow the payments "
                    "reconciled with the order's invoices: they cannot be set by hand."
                )
            )
