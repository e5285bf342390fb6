from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    collection_no_remind = fields.Boolean(
        string="Do Not Remind",
        tracking=True,
        help="No payment reminder is sent to this customer (e.g. collection handled by a "
        "lawyer, a dispute, or a key account followed by hand).",
    )
    collection_no_remind_reason = fields.Char(string="Why Not Remind", tracking=True)

    @api.constrains("collection_no_remind", "collection_no_remind_reason")
    def _check_collection_no_remind(self):
        for partner in self:
            reason = (partner.collection_no_remind_reason or "").strip()
            if partner.collection_no_remind and not reason:
                raise ValidationError(
                    self.env._("Say why %s must not be reminded of payments.", partner.name)
                )

    @api.model
    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "collection_no_remind",
            "collection_no_remind_reason",
        ]
