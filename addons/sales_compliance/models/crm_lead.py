from odoo import api, models

# What a lead tells of its company, compared with the existing customers (撞单)
LEAD_DUPLICATE_KEY_FIELDS = (
    "partner_name",
    "phone",
    "mobile",
    "country_id",
    "partner_id",
    "user_id",
)


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "sales.compliance.mixin"]

    def _compliance_hash_values(self):
        self.ensure_one()
        return {"partner": self.partner_id.id, "user": self.user_id.id, "team": self.team_id.id}

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._compliance_check_duplicates()
        leads._compliance_check_save()
        return leads

    _compliance_hash_trigger_fields = ("partner_id", "user_id", "team_id")

    def write(self, vals):
        res = super().write(vals)
        if not set(vals).isdisjoint(LEAD_DUPLICATE_KEY_FIELDS):
            self._compliance_check_duplicates()
        if set(vals) & set(self._compliance_hash_trigger_fields):
            self._compliance_void_stale_approvals()
        self._compliance_check_save()
        if "stage_id" in vals:
            self._compliance_check_save("stage")
        return res

    def _compliance_check_duplicates(self):
        """A salesperson sees 撞单 before working a customer someone else owns: the
        company name and the phone numbers of their leads are checked against the
        existing customers, as a new customer is (res.partner, same keys, same
        normalised phone numbers). Leads on the salesperson's own customers, and the
        owner's own leads, are no conflict."""
        Partner = self.env["res.partner"]
        if not self or not Partner._compliance_creates_under_pool_rules():
            return
        keys = {
            lead: Partner._compliance_duplicate_keys(
                lead.partner_name, False, (lead.phone, lead.mobile), lead.country_id
            )
            for lead in self
        }
        found = Partner._compliance_find_duplicates(keys, self.partner_id.commercial_partner_id.ids)
        Partner._compliance_refuse_duplicates(
            {(lead, lead.partner_name or lead.name): dups for lead, dups in found.items()},
            {lead: lead.user_id for lead in found},
        )
