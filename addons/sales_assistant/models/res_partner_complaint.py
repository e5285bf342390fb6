from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        Complaint = self.env["sales.complaint"]
        counts = {}
        if Complaint.has_access("read"):
            commercial = self.commercial_partner_id
            counts = {}
            for partner, count in Complaint._read_group(
                [("partner_id", "child_of", commercial.ids)], ["partner_id"], ["__count"]
            ):
                key = partner.commercial_partner_id
                counts[key] = counts.get(key, 0) + count
        for partner in self:
            partner.complaint_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_complaints(self):
        self.ensure_one()
        customer = self.commercial_partner_id
        return self.env["sales.complaint"]._complaints_action(
            [("partner_id", "child_of", customer.id)], {"default_partner_id": customer.id}
        )

    def action_new_complaint(self):
        self.ensure_one()
        return self.env["sales.complaint"]._new_complaint_action(
            {"default_partner_id": self.commercial_partner_id.id}
        )
