from odoo import api, fields, models


class SalesContractInstallment(models.Model):
    """A dated installment of a contract's payment schedule, by amount or in percent of
    the contract. Orders under the contract take their collection plan from it."""

    _name = "sales.contract.installment"
    _description = "Contract Payment Installment"
    _order = "contract_id, sequence, date_due, id"

    contract_id = fields.Many2one("sales.contract", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    sequence = fields.Integer(default=10)
    date_due = fields.Date(string="Due Date", required=True)
    kind = fields.Selection(
        [("percent", "Percent"), ("amount", "Amount")], required=True, default="percent"
    )
    value = fields.Float(required=True, help="The percentage of the contract, or the amount.")
    is_deposit = fields.Boolean(string="Deposit")
    amount = fields.Monetary(compute="_compute_amount")
    share = fields.Float(
        compute="_compute_amount", help="The share of the contract's amount (0 to 1)."
    )

    @api.depends("kind", "value", "contract_id.amount")
    def _compute_amount(self):
        for installment in self:
            total = installment.contract_id.amount
            if installment.kind == "percent":
                installment.share = installment.value / 100.0
                installment.amount = total * installment.share
            else:
                installment.amount = installment.value
                installment.share = installment.value / total if total else 0.0

    def _label(self):
        self.ensure_one()
        return f"{self.value:g} %" if self.kind == "percent" else f"{self.value:g}"

    @api.model_create_multi
    def create(self, vals_list):
        installments = super().create(vals_list)
        installments.contract_id._contract_child_changed()
        return installments

    def write(self, vals):
        self.contract_id._check_children_stay(vals)
        self.contract_id._check_terms_editable()
        res = super().write(vals)
        self.contract_id._contract_child_changed()
        return res

    def unlink(self):
        contracts = self.contract_id
        contracts._check_terms_editable()
        res = super().unlink()
        contracts.exists()._contract_child_changed()
        return res
