from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesComplianceRuleLevel(models.Model):
    _name = "sales.compliance.rule.level"
    _description = "Sales Compliance Approval Level"
    _order = "rule_id, sequence, id"

    rule_id = fields.Many2one("sales.compliance.rule", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    approver_type = fields.Selection(
        [("user", "User"), ("group", "Group"), ("team_leader", "Team leader")],
        required=True,
        default="team_leader",
    )
    user_id = fields.Many2one("res.users", string="Approver")
    group_id = fields.Many2one("res.groups", string="Approver Group")
    min_value = fields.Float(
        string="Above Value",
        help="The level is needed when the checked value (discount %, amount...) is above "
        "this value. Zero: always needed.",
    )
    company_id = fields.Many2one(related="rule_id.company_id", store=True)

    @api.constrains("approver_type", "user_id", "group_id", "min_value")
    def _check_approver(self):
        for level in self:
            if level.approver_type == "user" and not level.user_id:
                raise ValidationError(
                    self.env._("Approval level %s: choose the approver.", level.name)
                )
            if level.approver_type == "group" and not level.group_id:
                raise ValidationError(
                    self.env._("Approval level %s: choose the group.", level.name)
                )
            if level.min_value < 0:
                raise ValidationError(
                    self.env._("Approval level %s: the value cannot be negative.", level.name)
                )

    def _get_approvers(self, record):
        """Users who may decide this level for ``record``."""
        self.ensure_one()
        if self.approver_type == "user":
            return self.user_id
        if self.approver_type == "group":
            return self.group_id.sudo().users.filtered(lambda u: not u.share)
        team = record.team_id if "team_id" in record._fields else self.env["crm.team"]
        return team.sudo().user_id
