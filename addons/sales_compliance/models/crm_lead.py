from odoo import api, models

from .sales_compliance_mixin import COMPLIANCE_SKIP

# Context value of the engine's own move of a lead back to the stage it waits in (a
# Python object: no client can send it)
KEEP_STAGE = object()

# What a lead tells of its company, compared with the existing customers (撞单)
LEAD_DUPLICATE_KEY_FIELDS = (
    "partner_name",
    "phone",
    "mobile",
    "country_id",
    "partner_id",
    "user_id",
)


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "sales.compliance.mixin"]

    def _compliance_hash_values(self):
        self.ensure_one()
        # the company chooses the approvers (team leader, officers) as the team does
        return {
            "partner": self.partner_id.id,
            "user": self.user_id.id,
            "team": self.team_id.id,
            "company": self.company_id.id,
        }

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._compliance_guard_duplicates()
        leads._compliance_run_rules()
        # a lead created in a stage of its own choosing has moved into it: the stage
        # rules hold it as well (the default, first stage is no move)
        staged = leads.browse(
            lead.id for lead, vals in zip(leads, vals_list, strict=True) if vals.get("stage_id")
        )
        waiting = staged._compliance_run_rules("stage")
        if waiting:
            first_stages = {
                lead.id: lead._stage_find(team_id=lead.team_id.id, domain=[("fold", "=", False)])
                for lead in staged
            }
            staged._compliance_keep_stage(waiting, first_stages)
        return leads

    _compliance_hash_trigger_fields = ("partner_id", "user_id", "team_id", "company_id")
    _compliance_amount_paths = ("expected_revenue",)
    _compliance_triggers = ("save", "stage")
    _compliance_has_amount = True

    def _compliance_approval_amount(self):
        self.ensure_one()
        return self.expected_revenue

    def write(self, vals):
        if self.env.context.get("compliance_keep_stage") is KEEP_STAGE:
            return super().write(vals)
        previous_stages = {}
        if "stage_id" in vals and not self._compliance_skipped():
            previous_stages = {lead.id: lead.stage_id for lead in self}
        res = super().write(vals)
        if not set(vals).isdisjoint(LEAD_DUPLICATE_KEY_FIELDS):
            self._compliance_guard_duplicates()
        if self._compliance_hash_changed(vals):
            self._compliance_void_stale_approvals()
        self._compliance_run_rules()
        if previous_stages:
            waiting = self._compliance_run_rules("stage")
            if waiting:
                self._compliance_keep_stage(waiting, previous_stages)
        return res

    def _compliance_keep_stage(self, approvals, previous_stages):
        """The leads waiting for the approval of their move go back to the stage they
        were in, unless the rule says "move and ask afterwards"; the user who moved
        them is told why."""
        held = approvals.filtered(
            lambda a: a.state == "pending" and not a.rule_id.approval_after_move
        )
        leads = self.filtered(lambda lead: lead.id in held.mapped("res_id"))
        for stage, back in leads.grouped(lambda lead: previous_stages[lead.id]).items():
            # the engine's own move: around the checks and the voiding of this write
            back.with_context(
                compliance_skip=COMPLIANCE_SKIP, compliance_keep_stage=KEEP_STAGE
            ).write({"stage_id": stage.id})
        for lead in leads:
            lead_approvals = held.filtered(lambda a, lead=lead: a.res_id == lead.id)
            self._compliance_notify(
                self.env._(
                    "%(lead)s stays in its stage until the approval of “%(rules)s” is "
                    "granted, requested from %(approvers)s.",
                    lead=lead.display_name,
                    rules=", ".join(lead_approvals.rule_id.mapped("name")),
                    approvers=", ".join(lead_approvals.pending_approver_ids.mapped("name")),
                ),
                title=self.env._("Approval needed"),
            )

    def _compliance_guard_duplicates(self):
        """A salesperson sees 撞单 before working a customer someone else owns: the
        company name and the phone numbers of their leads are checked against the
        existing customers, as a new customer is (res.partner, same keys, same
        normalised phone numbers). Leads on the salesperson's own customers, and the
        owner's own leads, are no conflict."""
        Partner = self.env["res.partner"]
        if not self or not Partner._compliance_creates_under_pool_rules():
            return
        keys = {
            lead: Partner._compliance_duplicate_keys(
                lead.partner_name, False, (lead.phone, lead.mobile), lead.country_id
            )
            for lead in self
        }
        found = Partner._compliance_find_duplicates(keys, self.partner_id.commercial_partner_id.ids)
        Partner._compliance_refuse_duplicates(
            {(lead, lead.partner_name or lead.name): dups for lead, dups in found.items()},
            {lead: lead.user_id for lead in found},
        )
