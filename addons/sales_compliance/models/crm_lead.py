from odoo import api, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "sales.compliance.mixin"]

    def _compliance_hash_values(self):
        self.ensure_one()
        return {"partner": self.partner_id.id, "user": self.user_id.id, "team": self.team_id.id}

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._compliance_check_save()
        return leads

    _compliance_hash_trigger_fields = ("partner_id", "user_id", "team_id")

    def write(self, vals):
        res = super().write(vals)
        if set(vals) & set(self._compliance_hash_trigger_fields):
            self._compliance_void_stale_approvals()
        self._compliance_check_save()
        if "stage_id" in vals:
            self._compliance_check_save("stage")
        return res
