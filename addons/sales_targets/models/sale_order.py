from odoo import api, fields, models

from .deferred_checks import deferred_checks


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
            vals
            for vals in vals_list
            if vals.get("opportunity_id") and not vals.get("credit_share_ids")
        ]
        # iterating one recordset reads the shares of all the opportunities at once
        leads = self.env["crm.lead"].browse({vals["opportunity_id"] for vals in inherit})
        shares_of = {lead.id: lead.credit_share_ids for lead in leads}
        for vals in inherit:
            if shares := shares_of[vals["opportunity_id"]]:
                vals["credit_share_ids"] = shares._copy_values()
        with deferred_checks(self.env):
            return super().create(vals_list)

    def write(self, vals):
        if "credit_share_ids" not in vals:
            return super().write(vals)
        with deferred_checks(self.env):
            return super().write(vals)
