from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.deferred_checks import check_or_defer
from odoo.exceptions import UserError, ValidationError


class SalesCommissionTier(models.Model):
    _name = "sales.commission.tier"
    _description = "Commission Tier"
    _order = "scheme_id, from_pct, id"

    scheme_id = fields.Many2one("sales.commission.scheme", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="scheme_id.company_id", store=True)
    from_pct = fields.Float("From Achievement (%)", required=True)
    to_pct = fields.Float("To Achievement (%)", help="Leave 0 on the last tier: no upper bound.")
    rate = fields.Float("Rate (%)", required=True)

    @api.constrains("from_pct", "to_pct", "rate")
    def _check_values(self):
        for tier in self:
            if tier.rate < 0:
                raise ValidationError(self.env._("A tier rate cannot be negative (%s).", tier.rate))
            if tier.from_pct < 0:
                raise ValidationError(self.env._("A tier cannot start below 0%."))
            if tier.to_pct and tier.to_pct <= tier.from_pct:
                raise ValidationError(
                    self.env._(
                        "A tier must end after it starts (%(start)s%% - %(end)s%%).",
                        start=tier.from_pct,
                        end=tier.to_pct,
                    )
                )

    @api.constrains("scheme_id", "from_pct", "to_pct", "rate")
    def _check_scheme_tiers(self):
        """A tier created or written on its own must leave its plan without gap or overlap."""
        check_or_defer(self.sudo().scheme_id, "_check_tiers")

    # A tier is a term of its scheme: it changes as its scheme's terms may
    # (``_check_terms_editable``), and a change voids a submitted adoption.
    @api.model_create_multi
    def create(self, vals_list):
        tiers = super().create(vals_list)
        tiers.sudo().scheme_id._check_terms_editable()
        tiers.scheme_id._adoption_terms_changed()
        return tiers

    def write(self, vals):
        schemes = self.sudo().scheme_id
        if "scheme_id" in vals and any(tier.scheme_id.id != vals["scheme_id"] for tier in self):
            raise UserError(self.env._("A tier stays in its commission scheme."))
        schemes._check_terms_editable()
        result = super().write(vals)
        schemes.with_env(self.env)._adoption_terms_changed()
        return result

    def unlink(self):
        schemes = self.sudo().scheme_id
        schemes._check_terms_editable()
        result = super().unlink()
        check_or_defer(schemes, "_check_tiers")
        schemes.with_env(self.env)._adoption_terms_changed()
        return result
