from odoo import api, models


class SalesCustomerReceipt(models.Model):
    _inherit = "sales.customer.receipt"

    @api.model_create_multi
    def create(self, vals_list):
        """Once the customer confirms receipt (on the portal or recorded by sales), invite
        them to the satisfaction survey about the order."""
        receipts = super().create(vals_list)
        receipts._satisfaction_invite()
        return receipts

    def _satisfaction_invite(self):
        self.env["sales.satisfaction"]._invite(
            [
                {
                    "trigger": "receipt",
                    "company": order.company_id,
                    "partner": order.partner_id,
                    "order": order,
                    "user": order.user_id,
                    "team": order.team_id,
                }
                for order in self.sudo().order_id
            ]
        )
