from odoo import fields, models


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
        "('partner_id', '=', commercial_partner_id), ('company_id', '=', company_id)]",
        help="The contract the order is placed under: its performance counts the order.",
    )
