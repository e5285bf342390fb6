from odoo import api, fields, models


class SalesContractLine(models.Model):
    """A product and its agreed price under a contract: quotations from the contract take
    them."""

    _name = "sales.contract.line"
    _description = "Contract Line"
    _order = "contract_id, sequence, id"

    contract_id = fields.Many2one("sales.contract", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", domain="[('sale_ok', '=', True)]")
    name = fields.Char(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Float(string="Unit Price", digits="Product Price")
    price_subtotal = fields.Monetary(string="Subtotal", compute="_compute_price_subtotal")

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id and not line.name:
                line.name = line.product_id.get_product_multiline_description_sale()

    @api.depends("quantity", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.quantity * line.price_unit

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.contract_id._contract_child_changed()
        return lines

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
