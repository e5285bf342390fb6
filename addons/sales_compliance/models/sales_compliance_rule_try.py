"""Trying a rule before it is live: "Try on past records" (a dry-run, see
``sales.compliance.rule.dry.run``), "Try a Change" (an active rule copied as an
inactive draft) and "Apply the Change" (the draft written onto the rule it changes)."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.actions import form_action
from ..tools.defaults import without_readonly_defaults

# Context value of the copy made by ``action_try_change`` (a Python object: no client
# can send it): only it sets ``dry_run_of_id``
CHANGE_COPY = object()
# What "Apply the Change" leaves as it is on the original rule (its scope is the draft's:
# see ``_check_change_scope``)
KEPT_ON_APPLY = {
    "name",
    "active",
    "sequence",
    "dry_run_of_id",
    "level_ids",
    "company_id",
    "model_name",
    "trigger",
}


class SalesComplianceRuleTry(models.Model):
    _inherit = "sales.compliance.rule"

    dry_run_of_id = fields.Many2one(
        "sales.compliance.rule",
        string="Change of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="cascade",
        help="This rule is a draft change of that active rule: try it on past records, "
        "then apply it to the rule.",
    )

    @api.constrains("active", "dry_run_of_id")
    def _check_change_inactive(self):
        for rule in self:
            if rule.active and rule.dry_run_of_id:
                raise ValidationError(
                    self.env._(
                        "Rule %s is a draft change: it stays archived. Use “Apply the "
                        "Change” to put it into the rule it changes.",
                        rule.name,
                    )
                )

    @api.constrains("model_name", "trigger", "company_id", "dry_run_of_id")
    def _check_change_scope(self):
        """A draft change keeps the model, trigger and company of the rule it changes (its
        dry-run compares both on the same records), and so does that rule while it has one."""
        Rule = self.sudo().with_context(active_test=False)
        drafts = Rule.browse(self.filtered("dry_run_of_id").ids) | Rule.search(
            [("dry_run_of_id", "in", self.ids)]
        )
        for draft in drafts:
            original = draft.dry_run_of_id
            if (draft.model_name, draft.trigger, draft.company_id) != (
                original.model_name,
                original.trigger,
                original.company_id,
            ):
                raise ValidationError(
                    self.env._(
                        "Rule %(draft)s is a draft change of %(rule)s: both keep the same "
                        "records, trigger and company. Apply or delete the draft first, or "
                        "make a new rule.",
                        draft=draft.name,
                        rule=original.name,
                    )
                )

    def _change_copy(self):
        return self.env.context.get("compliance_change_copy") is CHANGE_COPY

    @api.model_create_multi
    def create(self, vals_list):
        # a client's default_dry_run_of_id forges no draft
        self = without_readonly_defaults(self)
        if not self._change_copy() and any(vals.get("dry_run_of_id") for vals in vals_list):
            raise UserError(self.env._("A draft change is made with “Try a Change” only."))
        return super().create(vals_list)

    def write(self, vals):
        if "dry_run_of_id" in vals:
            raise UserError(self.env._("The rule a draft change belongs to cannot be changed."))
        return super().write(vals)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if self._change_copy():
            for rule, vals in zip(self, vals_list, strict=True):
                vals["name"] = self.env._("%s (change)", rule.name)
        return vals_list

    # ------------------------------------------------------------------
    # Actions of the rule form
    # ------------------------------------------------------------------
    def action_try_on_past_records(self):
        """Open a dry-run of the rule (the form saved it first): officers only, and a
        Python rule for system administrators only (checked again when it runs)."""
        self.ensure_one()
        DryRun = self.env["sales.compliance.rule.dry.run"]
        DryRun.check_access("create")
        dry_run = DryRun.create({"rule_id": self.id})
        return form_action(DryRun._name, dry_run.id, name=self.env._("Try on Past Records"))

    def action_try_change(self):
        """Copy this active rule as an archived draft change and open it."""
        self.ensure_one()
        self.check_access("write")
        if not self.active or self.dry_run_of_id:
            raise UserError(
                self.env._("Only an active rule is changed through a draft: edit this one.")
            )
        # as the user: a Python rule is copied by system administrators only
        draft = self.with_context(compliance_change_copy=CHANGE_COPY).copy(
            {"active": False, "dry_run_of_id": self.id}
        )
        return form_action(self._name, draft.id, name=draft.name)

    def action_apply_change(self):
        """Write this draft's condition, limits, outcome and levels onto the rule it
        changes, then delete the draft. As the user: the rights of a write hold (officers;
        a Python condition for system administrators only)."""
        self.ensure_one()
        original = self.dry_run_of_id
        if not original:
            raise UserError(self.env._("Rule %s is not a draft change.", self.name))
        original.check_access("write")
        self.check_access("unlink")
        values = {
            name: value for name, value in self.copy_data()[0].items() if name not in KEPT_ON_APPLY
        }
        levels = []
        for level in self.level_ids:
            level_values = level.copy_data()[0]
            level_values.pop("rule_id", None)
            levels.append(fields.Command.create(level_values))
        values["level_ids"] = [
            *(fields.Command.delete(level.id) for level in original.level_ids),
            *levels,
        ]
        original.write(values)
        self.unlink()
        return form_action(self._name, original.id, name=original.name)
