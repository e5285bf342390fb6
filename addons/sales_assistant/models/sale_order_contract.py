from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.actions import form_action
from odoo.exceptions import ValidationError

from .sales_contract import IN_FORCE_STATES


class SaleOrder(models.Model):
    """Orders under a sales contract (合同下的订单)."""

    _inherit = "sale.order"

    contract_id = fields.Many2one(
        "sales.contract",
        index=True,
        copy=False,
        check_company=True,
        tracking=True,
        domain="[('is_head', '=', True), ('state', 'in', ('signed', 'performance')), "
        "('partner_id', '=', contract_partner_id), ('company_id', '=', company_id)]",
        help="The contract the order is placed under: its performance counts the order.",
    )
    contract_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Contracting Customer"
    )

    @api.depends("contract_id")
    def _compute_payment_term_id(self):
        """An order placed under a contract is paid on the contract's payment terms."""
        result = super()._compute_payment_term_id()
        for order in self:
            term = order.contract_id.sudo().payment_term_id
            if term:
                order.payment_term_id = term
        return result

    @api.constrains("contract_id", "partner_id", "company_id")
    def _check_contract_id(self):
        """An order is placed only under the version in force of a contract of its own
        customer and company, whatever path writes it."""
        for order in self.filtered("contract_id"):
            contract = order.contract_id.sudo()
            if not contract.is_head or contract.state not in IN_FORCE_STATES:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s cannot be placed under contract %(contract)s: only "
                        "the version of a contract in force (signed or in performance) takes "
                        "orders.",
                        order=order.name,
                        contract=contract.display_name,
                    )
                )
            if (
                contract.partner_id != order.partner_id.commercial_partner_id
                or contract.company_id != order.company_id
            ):
                raise ValidationError(
                    self.env._(
                        "Order %(order)s cannot be placed under contract %(contract)s: the "
                        "contract is with another customer or company.",
                        order=order.name,
                        contract=contract.display_name,
                    )
                )

    def _action_confirm(self):
        result = super()._action_confirm()
        # the first order confirmed under a signed contract starts its performance (履行)
        roots = self.filtered(lambda o: o.state == "sale").contract_id.sudo().root_id
        if roots:
            signed = (
                self.env["sales.contract"]
                .sudo()
                .search([("root_id", "in", roots.ids), ("state", "=", "signed")])
            )
            signed._flow_write({"state": "performance"})
        return result

    def _collection_installment_vals(self, tz=None):
        """Under a contract with a payment schedule, the installments follow the schedule:
        each installment's share of the contract applied to the order's total, on its date
        (never before the order's), the rounding remainder on the last one."""
        schedule = self.contract_id.sudo().schedule_ids.sorted(lambda i: (i.sequence, i.date_due))
        if not schedule:
            return super()._collection_installment_vals(tz)
        currency = self.currency_id
        date_ref = self._collection_date_ref(tz)
        total = self.amount_total
        amounts = [currency.round(total * installment.share) for installment in schedule[:-1]]
        amounts.append(currency.round(total - sum(amounts)))
        by_date = {}
        for installment, amount in zip(schedule, amounts, strict=True):
            day = max(installment.date_due, date_ref)
            vals = by_date.setdefault(day, {"amount": 0.0, "is_deposit": False})
            vals["amount"] = currency.round(vals["amount"] + amount)
            vals["is_deposit"] = vals["is_deposit"] or installment.is_deposit
        return [
            {"sequence": sequence, "date_due": day, "method": "bank_transfer", **vals}
            for sequence, (day, vals) in enumerate(sorted(by_date.items()), start=1)
            if vals["amount"] > 0
        ]

    def action_view_contract(self):
        self.ensure_one()
        self.check_access("read")
        self.contract_id.check_access("read")
        return form_action("sales.contract", self.contract_id.id, name=self.env._("Contract"))
