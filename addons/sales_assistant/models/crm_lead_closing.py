from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.actions import form_action, notification_action
from odoo.exceptions import UserError, ValidationError

# Context value set by ``action_set_lost`` (a Python object: no client can send it): the
# archive that follows is a loss whose summary was checked.
CLOSING_CHECKED = object()
# Set by ``action_sales_reactivate`` only: a suspended opportunity comes back through it
# (and its approval), not by a plain unarchive.
REACTIVATING = object()

# Set by the closing actions only (suspend, terminate, reactivate, the stage reached):
# the fields below change through them, never through a plain write or create.
CLOSING_WRITE = object()
CLOSING_FIELDS = ("closing_state", "closing_stage_id", "resume_date", "suspend_reason")

CLOSING_STATES = [("suspended", "Suspended"), ("terminated", "Terminated")]


class CrmLead(models.Model):
    """Closing discipline (商机总结, 中止 / 终止).

    Won or lost, an opportunity is summarised: the reason, the competitor that won
    (lost to a competitor) and the lesson learned; required when the setting says so.
    Suspended (中止): out of the pipeline (archived, its probability kept: not a loss)
    until a resume date, then reactivated (with an approval of sales_compliance when a
    "reactivate" rule asks for one). Terminated (终止): lost for good, never reopened.
    """

    _inherit = "crm.lead"

    won_reason_id = fields.Many2one(
        "crm.lost.reason",
        domain="[('closing_type', '=', 'won')]",
        tracking=True,
        index="btree_not_null",
        copy=False,
    )
    lost_competitor_id = fields.Many2one(
        "sales.competitor",
        string="Lost To",
        tracking=True,
        index="btree_not_null",
        copy=False,
        help="The competitor that won the deal.",
    )
    lost_to_competitor = fields.Boolean(related="lost_reason_id.lost_to_competitor")
    closing_lesson = fields.Text(
        string="Lesson Learned", copy=False, help="What the team should repeat or avoid."
    )
    closing_stage_id = fields.Many2one(
        "crm.stage",
        string="Stage Reached",
        readonly=True,
        copy=False,
        help="The stage the opportunity had reached when it was won, lost or suspended.",
    )
    closing_state = fields.Selection(
        CLOSING_STATES,
        string="Suspended / Terminated",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
    )
    resume_date = fields.Date(
        string="Resume On",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the suspended opportunity is to be looked at again.",
    )
    suspend_reason = fields.Text(string="Suspension Reason", readonly=True, copy=False)
    # hand-over (sales.handover.log): a late-stage deal is visited by both salespeople
    handover_joint_visit = fields.Boolean(
        string="Joint Visit",
        copy=False,
        help="Handed over in a late stage: the successor visits the customer together with "
        "the former salesperson (离职交接).",
    )
    handover_previous_user_id = fields.Many2one(
        "res.users", string="Former Salesperson", copy=False, readonly=True
    )

    @api.constrains("closing_state", "resume_date")
    def _check_resume_date(self):
        for lead in self:
            if lead.closing_state == "suspended" and not lead.resume_date:
                raise ValidationError(
                    self.env._("A suspended opportunity needs a resume date (%s).", lead.name)
                )

    # ------------------------------------------------------------------
    # Summary (商机总结)
    # ------------------------------------------------------------------
    @api.model
    def _closing_summary_required(self):
        return bool(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("sales_assistant.closing_summary_required")
        )

    def _closing_missing(self, outcome, values=None):
        """What the summary of each lead lacks for ``outcome`` ('won' or 'lost'), as
        {lead: [labels]}; ``values`` are about to be written with the outcome."""
        values = values or {}
        reasons = self.env["crm.lost.reason"]
        field = "won_reason_id" if outcome == "won" else "lost_reason_id"
        missing = {}
        for lead in self:
            reason = reasons.browse(values[field]) if field in values else lead[field]
            competitor = values.get("lost_competitor_id", lead.lost_competitor_id)
            lesson = values.get("closing_lesson", lead.closing_lesson)
            lacks = []
            if not reason:
                lacks.append(self.env._("the reason"))
            if outcome == "lost" and reason.lost_to_competitor and not competitor:
                lacks.append(self.env._("the competitor that won"))
            if not (lesson or "").strip():
                lacks.append(self.env._("the lesson learned"))
            if lacks:
                missing[lead] = lacks
        return missing

    def _closing_check_summary(self, outcome, values=None):
        if not self._closing_summary_required():
            return
        missing = self._closing_missing(outcome, values)
        if missing:
            lead, lacks = next(iter(missing.items()))
            raise UserError(
                self.env._(
                    "Summarise %(lead)s before closing it: %(missing)s. "
                    "Use the Won or Lost button.",
                    lead=lead.name,
                    missing=", ".join(lacks),
                )
            )

    def _closing_record_stage(self):
        """Remember the stage reached, before a won stage replaces it."""
        for stage, leads in (
            self.filtered(lambda lead: not lead.stage_id.is_won).grouped("stage_id").items()
        ):
            leads._closing_write({"closing_stage_id": stage.id})

    def _closing_write(self, vals):
        """The closing actions' own write of the closing fields (see ``write``)."""
        return self.with_context(sales_closing_write=CLOSING_WRITE).write(vals)

    def _sales_terminate(self):
        """Terminate (终止) the opportunities: lost for good, never reopened."""
        return self._closing_write(
            {"closing_state": "terminated", "probability": 0, "resume_date": False}
        )

    def action_set_lost(self, **additional_values):
        self._closing_check_terminable()
        self._closing_check_summary("lost", additional_values)
        self._closing_record_stage()
        return super(CrmLead, self.with_context(sales_closing=CLOSING_CHECKED)).action_set_lost(
            **additional_values
        )

    def action_archive(self):
        """Archiving an opportunity loses it (Odoo's meaning): without a summary only
        when none is required."""
        if (
            self.env.context.get("sales_closing") is not CLOSING_CHECKED
            and self._closing_summary_required()
        ):
            self.filtered(
                lambda lead: lead.active and lead.type == "opportunity"
            )._closing_check_summary("lost")
        return super().action_archive()

    def action_open_won_summary(self):
        """The summary first, then the opportunity is won."""
        return self._closing_wizard_action("sales.lead.won", self.env._("Won: summary"))

    def action_set_won_rainbowman(self):
        """Odoo's own Won button (kept, so that its flow and tours stay as they are): when
        the summary is required and missing, it opens the summary first, which then marks
        the opportunity won."""
        if self._closing_summary_required() and self._closing_missing("won"):
            return self.action_open_won_summary()
        return super().action_set_won_rainbowman()

    def _closing_wizard_action(self, model, name, context=None):
        return form_action(
            model,
            name=name,
            target="new",
            context={"default_lead_ids": self.ids, **(context or {})},
        )

    # ------------------------------------------------------------------
    # Suspended (中止) and terminated (终止)
    # ------------------------------------------------------------------
    def action_open_suspend(self):
        return self._closing_wizard_action("sales.lead.suspend", self.env._("Suspend"))

    def action_open_terminate(self):
        return self._closing_wizard_action(
            "crm.lead.lost", self.env._("Terminate: summary"), {"default_terminate": True}
        )

    def _closing_check_terminable(self):
        terminated = self.filtered(lambda lead: lead.closing_state == "terminated")
        if terminated:
            raise UserError(
                self.env._(
                    "%s is terminated: a terminated opportunity is final and cannot come back.",
                    terminated[0].name,
                )
            )

    def _sales_suspend(self, resume_date, reason=False):
        """Take the opportunities out of the pipeline until ``resume_date``; their
        salesperson gets an activity on that day."""
        self.check_access("write")
        self._closing_check_terminable()
        if not resume_date:
            raise UserError(self.env._("Give the date on which to resume the opportunity."))
        resume_date = fields.Date.to_date(resume_date)
        if resume_date <= self.env.company._sales_today():
            raise UserError(self.env._("The resume date must be after today."))
        for lead in self:
            if not lead.active or lead.stage_id.is_won or lead.type != "opportunity":
                raise UserError(
                    self.env._("Only an open opportunity can be suspended (%s).", lead.name)
                )
        self._closing_record_stage()
        # archived, the probability kept: out of the pipeline, not a loss
        self._closing_write(
            {
                "active": False,
                "closing_state": "suspended",
                "resume_date": resume_date,
                "suspend_reason": reason or False,
            }
        )
        for lead in self.filtered("user_id"):
            lead.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=resume_date,
                summary=self.env._("Resume or terminate the suspended opportunity"),
                user_id=lead.user_id.id,
            )
        return True

    def action_sales_reactivate(self):
        """Bring suspended opportunities back into the pipeline. When a "reactivate"
        rule of sales_compliance asks for an approval, the approval is requested
        (or its pending request kept) and the opportunity waits for it."""
        self.check_access("write")
        self._closing_check_terminable()
        not_suspended = self.filtered(lambda lead: lead.closing_state != "suspended")
        if not_suspended:
            raise UserError(
                self.env._("%s is not suspended: nothing to reactivate.", not_suspended[0].name)
            )
        violations = self._compliance_enforce("reactivate", refusing=("block",))
        waiting = violations.filtered(lambda v: v.outcome == "approval")
        if waiting:
            Approval = self.env["sales.compliance.approval"]
            approvals = Approval
            for violation in waiting:
                approvals |= Approval._request(
                    self.browse(violation.res_id),
                    violation.rule_id,
                    value=violation._request_value(),
                    message=violation.message,
                )
            return notification_action(
                self.env._(
                    "Reactivating needs an approval: requested from %s. Reactivate "
                    "again once it is approved.",
                    ", ".join(approvals.pending_approver_ids.mapped("name")),
                ),
                kind="warning",
                sticky=True,
            )
        self.with_context(sales_reactivating=REACTIVATING)._closing_write(
            {"active": True, "closing_state": False, "resume_date": False}
        )
        for lead in self:
            lead.message_post(
                body=Markup("<p>%s</p>") % self.env._("Reactivated by %s.", self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------
    def _closing_check_fields(self, vals_list):
        """The closing fields change through the closing actions only: a plain write or
        create over RPC cannot suspend, unsuspend or move the resume date or the stage
        reached (the marker is a Python object: no client can send it)."""
        if self.env.context.get("sales_closing_write") is CLOSING_WRITE:
            return
        sent = sorted({name for vals in vals_list for name in CLOSING_FIELDS if name in vals})
        if sent:
            raise UserError(
                self.env._(
                    "%(fields)s change through Suspend, Terminate and Reactivate only.",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"] for name in sent
                    ),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._closing_check_fields(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("active") or (
            "closing_state" in vals and vals["closing_state"] != "terminated"
        ):
            self._closing_check_terminable()
        self._closing_check_fields([vals])
        if vals.get("active") and self.env.context.get("sales_reactivating") is not REACTIVATING:
            suspended = self.filtered(lambda lead: lead.closing_state == "suspended")
            if suspended:
                raise UserError(
                    self.env._(
                        "%s is suspended: use Reactivate to bring it back.", suspended[0].name
                    )
                )
        if vals.get("stage_id"):
            stage = self.env["crm.stage"].browse(vals["stage_id"])
            if stage.is_won:
                reaching = self.filtered(lambda lead: not lead.stage_id.is_won)
                reaching._closing_check_terminable()
                reaching._closing_check_summary("won", vals)
                reaching._closing_record_stage()
        return super().write(vals)

    def toggle_active(self):
        self._closing_check_terminable()
        return super().toggle_active()

    def _compliance_hash_values(self):
        """A new suspension needs a new approval to come back: the approval of an
        earlier reactivation does not cover it."""
        values = super()._compliance_hash_values()
        if self.resume_date:
            values["resume_date"] = str(self.resume_date)
        return values
