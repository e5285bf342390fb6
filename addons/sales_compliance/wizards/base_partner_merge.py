from odoo import api, models

from ..models.res_partner import MERGE_KEEPS_OWNERSHIP_DATES


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        # the contacts and documents of the sources go to the customer of the
        # destination: through the ownership path (res.partner), before anything moves
        changes = src_partners._compliance_merge_ownership(dst_partner)
        res = super()._update_foreign_keys(src_partners, dst_partner)
        for old, new, note in changes:
            dst_partner._compliance_log_ownership([(dst_partner, old, new)], note=note)
        return res

    @api.model
    def _update_values(self, src_partners, dst_partner):
        # protection and release notice are the ownership path's, not values to copy
        return super()._update_values(
            src_partners, dst_partner.with_context(compliance_merge=MERGE_KEEPS_OWNERSHIP_DATES)
        )
