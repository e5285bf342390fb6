from odoo import api, fields, models
from odoo.exceptions import UserError

OWNERSHIP_REASONS = [
    ("claim", "Claimed from the pool"),
    ("release", "Released to the pool"),
    ("auto_release", "Released automatically (no follow-up)"),
    ("assign", "Assigned"),
]


class SalesComplianceOwnershipLog(models.Model):
    """Every change of a customer's owner, with the reason (客户归属)."""

    _name = "sales.compliance.ownership.log"
    _description = "Customer Ownership Change"
    _order = "date desc, id desc"

    # restrict: deleting a customer must not wipe its history (archive it instead)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="restrict", index=True
    )
    old_user_id = fields.Many2one("res.users", string="Previous Owner")
    new_user_id = fields.Many2one("res.users", string="New Owner")
    reason = fields.Selection(OWNERSHIP_REASONS, required=True, default="assign")
    note = fields.Char()
    user_id = fields.Many2one(
        "res.users", string="Changed By", required=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    # the customer's company (empty for a customer shared between companies)
    company_id = fields.Many2one("res.company", index=True)

    def write(self, vals):
        # the history is append-only: refuse every change, even as superuser
        if vals:
            raise UserError(self.env._("The ownership history cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The ownership history cannot be deleted."))
