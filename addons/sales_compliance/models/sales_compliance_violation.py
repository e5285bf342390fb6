import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .sales_compliance_rule import RULE_MODELS, TRIGGERS

DECISION_FIELDS = {"state", "decision_user_id", "decision_date", "decision_comment"}
# decisions a compliance officer records himself (approved / rejected come from the
# approval requests, written as superuser)
OFFICER_DECISIONS = ("resolved", "overridden")


class SalesComplianceViolation(models.Model):
    """Permanent log of failed compliance rules.

    Records are created by the rule engine only (as superuser), can never be deleted,
    and after creation only the decision fields can be written, by approvers.
    """

    _name = "sales.compliance.violation"
    _description = "Sales Compliance Violation"
    _order = "date desc, id desc"
    _rec_name = "record_name"

    rule_id = fields.Many2one(
        "sales.compliance.rule", required=True, ondelete="restrict", index=True, readonly=True
    )
    res_model = fields.Selection(RULE_MODELS, string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True, index=True
    )
    record_ref = fields.Reference(
        RULE_MODELS, string="Record", compute="_compute_record_ref", readonly=True
    )
    record_name = fields.Char(readonly=True)
    outcome = fields.Selection(
        [("block", "Block"), ("warn", "Warn"), ("approval", "Require approval")],
        required=True,
        readonly=True,
    )
    trigger = fields.Selection(TRIGGERS, required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        index=True,
        help="The user whose action was checked.",
    )
    salesperson_id = fields.Many2one(
        "res.users",
        readonly=True,
        index=True,
        help="The salesperson of the checked record.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    values_checked = fields.Text(string="Checked Values", readonly=True)
    value = fields.Float(string="Checked Value", readonly=True)
    limit = fields.Float(readonly=True)
    message = fields.Text(readonly=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("resolved", "Resolved"),
            ("overridden", "Overridden"),
        ],
        required=True,
        default="open",
        index=True,
    )
    decision_user_id = fields.Many2one("res.users", string="Decided By")
    decision_date = fields.Datetime()
    decision_comment = fields.Text(string="Comment")
    count = fields.Integer(default=1, readonly=True, aggregator="sum")

    @api.depends("res_model", "res_id")
    def _compute_record_ref(self):
        for violation in self:
            violation.record_ref = (
                f"{violation.res_model},{violation.res_id}"
                if violation.res_model and violation.res_id
                else False
            )

    @api.depends("rule_id", "record_name")
    def _compute_display_name(self):
        for violation in self:
            violation.display_name = f"{violation.rule_id.name} — {violation.record_name or ''}"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Violations are recorded by the compliance rules only."))
        return super().create(vals_list)

    def write(self, vals):
        forbidden = set(vals) - DECISION_FIELDS
        if forbidden:
            raise UserError(
                self.env._(
                    "A compliance violation cannot be edited; only its decision can be "
                    "recorded. Fields refused: %s",
                    ", ".join(sorted(forbidden)),
                )
            )
        if not (
            self.env.su or self.env.user.has_group("sales_compliance.group_compliance_officer")
        ):
            raise AccessError(self.env._("Only approvers can record a decision on a violation."))
        # the log is permanent: a decision is recorded once, on an open violation
        if vals and any(violation.state != "open" for violation in self):
            raise UserError(
                self.env._("This violation has already been decided; its decision is final.")
            )
        if not self.env.su:
            if vals.get("state") not in OFFICER_DECISIONS:
                raise UserError(
                    self.env._("An open violation can only be marked resolved or overridden.")
                )
            # who decided and when are recorded by the server, never taken from the client
            vals = dict(vals, decision_user_id=self.env.uid, decision_date=fields.Datetime.now())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Compliance violations are kept for ever and cannot be deleted.")
        )

    @api.model
    def _log_failures(self, failures, trigger):
        """Create the violations of ``failures`` (see rule._evaluate) and post one chatter
        note per record. Runs in the current transaction."""
        if not failures:
            return self.browse()
        vals_list = []
        for failure in failures:
            record = failure["record"]
            partner = record._compliance_partner()
            vals_list.append(
                {
                    "rule_id": failure["rule"].id,
                    "res_model": record._name,
                    "res_id": record.id,
                    "record_name": record.display_name,
                    "outcome": failure["outcome"],
                    "trigger": trigger,
                    "user_id": self.env.uid,
                    **record._compliance_ownership_values(),
                    "partner_id": partner.id,
                    "values_checked": json.dumps(failure["values"], default=str, sort_keys=True),
                    "value": failure["value"] if isinstance(failure["value"], int | float) else 0,
                    "limit": failure["limit"] if isinstance(failure["limit"], int | float) else 0,
                    "message": failure["message"],
                }
            )
        violations = self.sudo().create(vals_list)
        for record, record_violations in violations.grouped(
            lambda v: (v.res_model, v.res_id)
        ).items():
            target = self.env[record[0]].browse(record[1])
            target._compliance_post_violations(record_violations)
        return violations

    def _format_list(self):
        return "\n".join(
            f"- [{dict(v._fields['outcome']._description_selection(v.env))[v.outcome]}] "
            f"{v.rule_id.name}: {v.message}"
            for v in self
        )

    def _officer_decide(self, state, comment):
        if not self.env.user.has_group("sales_compliance.group_compliance_officer"):
            raise AccessError(self.env._("Only compliance officers can decide on violations."))
        if any(v.state != "open" for v in self):
            raise UserError(self.env._("Only open violations can be decided."))
        self.write(
            {
                "state": state,
                "decision_user_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
                "decision_comment": comment or False,
            }
        )

    def action_resolve(self, comment=False):
        """The cause was fixed (officers)."""
        self._officer_decide("resolved", comment)
        return True

    def action_override(self, comment=False):
        """Accepted as an exception (officers)."""
        self._officer_decide("overridden", comment)
        return True

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
