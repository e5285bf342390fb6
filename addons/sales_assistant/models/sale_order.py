from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    receipt_confirmation_ids = fields.One2many(
        "sales.receipt.confirmation", "order_id", string="Receipt Confirmations"
    )
    receipt_state = fields.Selection(
        [
            ("delivering", "Being Delivered"),
            ("awaiting", "Awaiting Customer Receipt"),
            ("received", "Received by Customer"),
        ],
        string="Customer Receipt",
        compute="_compute_receipt_state",
        store=True,
        help="An order is complete only once the customer confirms receipt of the goods.",
    )
    receipt_date = fields.Date(string="Received On", compute="_compute_receipt_state", store=True)

    @api.depends("state", "delivery_status", "receipt_confirmation_ids.received_date")
    def _compute_receipt_state(self):
        for order in self:
            confirmation = order.receipt_confirmation_ids[:1]
            order.receipt_date = confirmation.received_date
            if order.state != "sale" or not order.delivery_status:
                order.receipt_state = False
            elif confirmation:
                order.receipt_state = "received"
            elif order.delivery_status == "full":
                order.receipt_state = "awaiting"
            else:
                order.receipt_state = "delivering"

    def action_record_receipt(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Confirm Customer Receipt"),
            "res_model": "sales.receipt.confirmation",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_order_id": self.id,
                "default_received_by": self.partner_id.name,
            },
        }
