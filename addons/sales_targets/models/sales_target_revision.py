from odoo import fields, models


class SalesTargetRevision(models.Model):
    _name = "sales.target.revision"
    _description = "Sales Target Revision"
    _order = "create_date desc, id desc"

    plan_id = fields.Many2one("sales.target.plan", required=True, ondelete="cascade", index=True)
    target_id = fields.Many2one("sales.target", ondelete="set null", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    reason = fields.Text(required=True)
    change = fields.Char()
    old_value = fields.Float()
    new_value = fields.Float()
