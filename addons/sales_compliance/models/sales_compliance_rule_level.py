from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_compliance_rule import LEVELS_WRITE


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
        help="The level is needed when the value is above this one. Zero: always needed. "
        "The value is the one the built-in check measures (discount %, amount, exposure, "
        "overdue amount); for other checks, domains and expressions it is the "
        "untaxed amount of the order (company currency) or the expected revenue of the "
        "lead.",
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

    def _in_rule_write(self):
        """Whether the levels are saved by their rule's own create or write, whose
        ``_check_levels`` checks them once they are all saved."""
        return self.env.context.get("compliance_levels_write") is LEVELS_WRITE

    @api.constrains("min_value", "rule_id")
    def _check_rule_covered(self):
        if not self._in_rule_write():
            self.rule_id._check_levels()

    def unlink(self):
        rules = self.rule_id
        res = super().unlink()
        if not self._in_rule_write():
            rules.exists()._check_levels()
        return res

    def _needed(self, value):
        """The levels of ``self`` needed for a request of ``value``."""
        return self.filtered(lambda lvl: lvl.min_value <= 0 or value > lvl.min_value)

    def _get_approvers(self, record):
        """Users who may decide this level for ``record``."""
        self.ensure_one()
        if self.approver_type == "user":
            return self.user_id
        if self.approver_type == "group":
            return self.group_id.sudo().users.filtered(lambda u: not u.share)
        # the leader of the salesperson's team in the record's company (res.users)
        salesperson = record._compliance_salesperson()
        if not salesperson:
            return salesperson
        company = record.company_id if "company_id" in record._fields else None
        return salesperson._sales_team_leader(company or None)
