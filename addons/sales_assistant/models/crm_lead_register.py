from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def action_register_log(self):
        """The compact form of a new call or visit about this lead, in a dialog."""
        self.ensure_one()
        self.check_access("read")
        return self.env["sales.register.entry"]._register_log_action(
            {"default_lead_id": self.id, "default_partner_id": self.partner_id.id}
        )
