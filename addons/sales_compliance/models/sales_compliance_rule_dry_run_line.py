from odoo import fields, models

from .sales_compliance_rule import engine_models


class SalesComplianceRuleDryRunLine(models.Model):
    """A record a dry-run's rule (or the rule it changes) would have hit: what it would
    have done, with the value against the limit, and who else already catches it.
    Written by the dry-run only (officers read them)."""

    _name = "sales.compliance.rule.dry.run.line"
    _description = "Compliance Rule Dry-Run Result"
    _order = "date desc, id desc"
    _rec_name = "record_name"

    dry_run_id = fields.Many2one(
        "sales.compliance.rule.dry.run", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="dry_run_id.company_id", store=True, index=True)
    res_model = fields.Selection(engine_models, string="Model", required=True)
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", required=True)
    record_name = fields.Char(string="Record")
    salesperson_id = fields.Many2one("res.users")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    partner_id = fields.Many2one("res.partner", string="Customer")
    date = fields.Date(help="The day the order was confirmed, or the record created.")
    outcome = fields.Selection(
        [("block", "Block"), ("warn", "Warn"), ("approval", "Require approval")],
        required=True,
    )
    value = fields.Float(string="Checked Value")
    limit = fields.Float()
    message = fields.Text()
    comparison = fields.Selection(
        [("alone", "This rule alone"), ("caught", "Already caught")],
        help="Whether another active rule of the same records and trigger already catches it.",
    )
    caught_by = fields.Char(
        string="Already Caught By", help="The other active rules that catch the record."
    )
    change = fields.Selection(
        [("new", "New only"), ("old", "Old only"), ("both", "Both")],
        string="Old vs New",
        help="For a draft change: whether the record is hit by the changed rule, the "
        "active rule, or both.",
    )
    level_id = fields.Many2one(
        "sales.compliance.rule.level",
        string="Highest Level",
        ondelete="set null",
        help="The highest approval level the record would have needed.",
    )
    level_ids = fields.Many2many(
        "sales.compliance.rule.level",
        "sales_compliance_dry_run_line_level_rel",
        string="Levels Needed",
    )
    approver_ids = fields.Many2many(
        "res.users",
        "sales_compliance_dry_run_line_approver_rel",
        string="Approvers",
        help="The users the levels would have asked (a team leader, a named approver).",
    )
    approver_group_ids = fields.Many2many(
        "res.groups",
        "sales_compliance_dry_run_line_group_rel",
        string="Approver Groups",
        help="The groups the levels would have asked.",
    )

    def action_open_record(self):
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id)
        record.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
