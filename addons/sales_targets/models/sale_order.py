from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.deferred_checks import deferred_checks


class SaleOrder(models.Model):
    _inherit = "sale.order"

    credit_share_ids = fields.One2many(
        "sales.credit.share", "order_id", string="Credit Split", copy=True
    )

    @api.constrains("credit_share_ids")
    def _check_credit_shares(self):
        self.env["sales.credit.share"]._check_document_shares(self)

    @api.model_create_multi
    def create(self, vals_list):
        inherit = [
            index
            for index, vals in enumerate(vals_list)
            if vals.get("opportunity_id") and not vals.get("credit_share_ids")
        ]
        # iterating one recordset reads the shares of all the opportunities at once
        leads = self.env["crm.lead"].browse({vals_list[i]["opportunity_id"] for i in inherit})
        shares_of = {lead.id: lead.credit_share_ids for lead in leads}
        with deferred_checks(self.env):
            orders = super().create(vals_list)
            for index in inherit:
                if shares := shares_of[vals_list[index]["opportunity_id"]]:
                    # the opportunity's split, overlays included, whoever quotes: its
                    # overlays were granted by a team leader, not by this user
                    orders[index].sudo().credit_share_ids = shares._copy_values()
        return orders

    def copy_data(self, default=None):
        return self.env["sales.credit.share"]._without_overlays_unless_allowed(
            super().copy_data(default)
        )

    def _has_posted_invoice(self):
        self.ensure_one()
        return any(move.state == "posted" for move in self.sudo().invoice_ids)

    def write(self, vals):
        if "credit_share_ids" not in vals:
            return super().write(vals)
        with deferred_checks(self.env):
            return super().write(vals)
