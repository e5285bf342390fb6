from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sales_commission_scheme import TERM_FIELDS

APPROVER_GROUP = "sales_targets.group_commission_approver"
# written by the adoption flow only, behind the version flow's marker (``_version_write``)
ADOPTION_FIELDS = (
    "adoption_state",
    "adoption_date",
    "adoption_submitted_by_id",
    "terms_author_ids",
)
# what an adoption's approval is bound to, besides the scenario's id and company
BOUND_FIELDS = (*TERM_FIELDS, "tier_ids", "adoption_date")


def first_of_next_month(company):
    """The default first day of an adopted version: the 1st of next month, in the
    company's calendar."""
    return company._sales_today().replace(day=1) + relativedelta(months=1)


class SalesCommissionScheme(models.Model):
    """Adopting a scenario: the commission scheme joins the compliance engine.

    Submitting a scenario (``_submit_adoption``, from the wizard of
    ``action_submit_adoption``) runs the rules of the trigger *adopt*; the shipped rule asks
    the approval of the commission approvers. When the request is approved
    (``_compliance_approval_decided``) the scenario is adopted, a version paying from the
    chosen date; rejected, it goes back to the submitter. Without any request to wait for
    (no active rule asks one), a commission approver other than the submitter adopts it
    with ``action_adopt``: adoption fails closed, never on the submitter's word alone.
    """

    _name = "sales.commission.scheme"
    _inherit = ["sales.commission.scheme", "sales.compliance.mixin"]

    adoption_state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("adopted", "Adopted"),
            ("rejected", "Rejected"),
        ],
        string="Adoption",
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        help="Of a scenario: submitted for adoption, waiting for its approval; adopted as a "
        "version; or rejected (changed and submitted again).",
    )
    adoption_date = fields.Date(
        "Adopt From",
        readonly=True,
        copy=False,
        help="The first day the scenario pays on once adopted, chosen when it is submitted.",
    )
    adoption_submitted_by_id = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False
    )
    terms_author_ids = fields.Many2many(
        "res.users",
        "sales_commission_scheme_terms_author_rel",
        "scheme_id",
        "user_id",
        string="Terms Written By",
        readonly=True,
        copy=False,
        help="Everyone who changed the terms or tiers of the scenario: none of them decides "
        "its adoption.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._in_version_flow() and any(
            vals.get(name) and (name, vals[name]) != ("adoption_state", "draft")
            for vals in vals_list
            for name in ADOPTION_FIELDS
        ):
            raise UserError(self.env._("A scenario is adopted with its buttons, after approval."))
        return super().create(vals_list)

    def write(self, vals):
        if self._in_version_flow():
            return super().write(vals)
        if set(ADOPTION_FIELDS) & set(vals):
            raise UserError(self.env._("A scenario is adopted with its buttons, after approval."))
        submitted = self.browse()
        if set(BOUND_FIELDS) & set(vals):
            submitted = self.filtered(lambda s: s.adoption_state == "submitted")
        result = super().write(vals)
        if set(BOUND_FIELDS) & set(vals):
            self._note_terms_author()
        submitted._adoption_terms_changed()
        return result

    def _note_terms_author(self):
        """The current user wrote terms of these scenarios: they never decide the adoption."""
        scenarios = self.sudo().filtered(
            lambda s: s.version_kind == "scenario" and self.env.user not in s.terms_author_ids
        )
        if scenarios:
            scenarios._version_write({"terms_author_ids": [Command.link(self.env.uid)]})

    def _adoption_terms_changed(self):
        """What was submitted changed (the scenario or one of its tiers): its requests are
        void, it is submitted again."""
        self._note_terms_author()
        submitted = self.filtered(lambda s: s.adoption_state == "submitted")
        if submitted:
            submitted._compliance_void_stale_approvals()
            submitted._adoption_back_to_draft(
                self.env._("The scenario changed after its submission: submit it again.")
            )

    # ------------------------------------------------------------------
    # The compliance engine's hooks
    # ------------------------------------------------------------------
    _compliance_triggers = ("adopt",)
    _compliance_hash_trigger_fields = BOUND_FIELDS

    def _compliance_partner(self):
        return self.env["res.partner"]

    def _compliance_salesperson(self):
        return self.env["res.users"]

    def _compliance_case_parties(self):
        """The submitter and the scenario's author never decide on the adoption (four
        eyes): an author does not adopt their scenario by having a colleague submit it."""
        self.ensure_one()
        return {
            self.env._("you submitted the adoption of %s", self.display_name): (
                self.sudo().adoption_submitted_by_id
            ),
            self.env._("you wrote the scenario %s", self.display_name): self.sudo().create_uid,
            self.env._("you changed the terms of the scenario %s", self.display_name): (
                self.sudo().terms_author_ids
            ),
        }

    def _compliance_hash_values(self):
        """An approval adopts these terms from this day, nothing else."""
        self.ensure_one()
        return {
            "id": self.id,
            "company": self.company_id.id,
            "source": self.scenario_source_id.id,
            "adoption_date": str(self.adoption_date),
            "terms": [
                (name, self[name].id if name == "metric_id" else self[name]) for name in TERM_FIELDS
            ],
            "tiers": [(t.from_pct, t.to_pct, t.rate) for t in self.tier_ids.sorted("from_pct")],
        }

    def action_compliance_request_approval(self):
        raise UserError(
            self.env._("A scenario asks for its approval when it is submitted for adoption.")
        )

    def _compliance_approval_decided(self, approval, state):
        """Hook of sales_compliance: a request on the adoption was decided."""
        for scenario in self.filtered(lambda s: s.adoption_state == "submitted"):
            if state == "approved":
                if scenario._adoption_approved():
                    scenario._adopt_approved()
            elif state == "rejected":
                # the engine posts the approver's reason on the scenario
                scenario.sudo()._version_write({"adoption_state": "rejected"})
            else:
                scenario._adoption_back_to_draft(
                    self.env._("The approval request was voided: submit the scenario again.")
                )

    # ------------------------------------------------------------------
    # Submission and adoption
    # ------------------------------------------------------------------
    def action_submit_adoption(self):
        """The wizard that asks from which day the scenario pays once adopted."""
        self.ensure_one()
        self._check_can_submit()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Submit for Adoption"),
            "res_model": "sales.commission.adoption",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_scheme_id": self.id,
                "default_date": first_of_next_month(self.company_id),
            },
        }

    def _check_can_submit(self):
        self.ensure_one()
        self._check_scenario_rights()
        self.check_access("write")
        if self.version_kind != "scenario":
            raise UserError(self.env._("%s is not a scenario.", self.display_name))
        if self.adoption_state not in ("draft", "rejected"):
            raise UserError(
                self.env._("Scenario %s is already submitted or adopted.", self.display_name)
            )

    def _submit_adoption(self, day):
        """Submit this scenario for adoption as a version paying from ``day``: the rules of
        the trigger *adopt* ask for their approvals."""
        self._check_can_submit()
        if not day:
            raise UserError(self.env._("Choose the day the scenario pays from."))
        self._check_scenario_changes()
        self._check_version_day(day)
        self._version_write(
            {
                "adoption_state": "submitted",
                "adoption_date": day,
                "adoption_submitted_by_id": self.env.uid,
            }
        )
        self._compliance_run_rules("adopt")
        if self._adoption_pending_requests():
            note = self.env._(
                "Submitted for adoption from %s: waiting for the approval.", self.adoption_date
            )
        elif self._adoption_rule_asks():
            note = self.env._(
                "Submitted for adoption from %s, but a rule asks for an approval that nobody "
                "but the scenario's own parties could give: it waits until a commission "
                "approver who neither wrote nor submitted it is appointed and it is submitted "
                "again.",
                self.adoption_date,
            )
        else:
            note = self.env._(
                "Submitted for adoption from %s. No rule asks for an approval: a commission "
                "approver other than the submitter adopts it with the Adopt button.",
                self.adoption_date,
            )
        self.message_post(body=note, subtype_xmlid="mail.mt_note")
        return True

    def action_adopt(self):
        """Adopt a submitted scenario for which the engine waits for no request (no rule
        asks one): a commission approver's decision, never the submitter's."""
        self.ensure_one()
        if not self.env.user.has_group(APPROVER_GROUP):
            raise UserError(self.env._("Only commission approvers adopt a scenario."))
        return self._adopt(self.adoption_date)

    def _adopt(self, valid_from):
        """Adopt only with the approval: an approved request on the submitted terms and date,
        or a commission approver other than the submitter (see ``action_adopt``)."""
        self.ensure_one()
        if self.adoption_state != "submitted" or valid_from != self.adoption_date:
            raise UserError(
                self.env._(
                    "Scenario %s is adopted from the day it was submitted for, once approved: "
                    "submit it for adoption first.",
                    self.display_name,
                )
            )
        self._check_adoption_cleared()
        super()._adopt(valid_from)
        self.sudo()._version_write({"adoption_state": "adopted"})
        return True

    def _adopt_approved(self):
        """Adopt after the approval. Should the day no longer fit (a statement of it was
        confirmed meanwhile), the scenario goes back to its submitter, with the reason."""
        try:
            with self.env.cr.savepoint():
                self._adopt(self.adoption_date)
        except (UserError, ValidationError) as error:
            self._adoption_back_to_draft(
                self.env._("Approved, but it cannot be adopted: %s", error.args[0])
            )

    def _adoption_back_to_draft(self, reason):
        for scenario in self.filtered(lambda s: s.adoption_state == "submitted"):
            scenario.sudo()._version_write({"adoption_state": "draft"})
            scenario.sudo().message_post(body=reason, subtype_xmlid="mail.mt_note")

    def _adoption_pending_requests(self):
        """The requests on the submitted terms still waiting for a decision."""
        self.ensure_one()
        values_hash = self._compliance_hash()
        return self._compliance_open_approvals().filtered(
            lambda a: a.state == "pending" and a.values_hash == values_hash
        )

    def _adoption_rule_asks(self):
        """Whether an active adoption rule still fails on the submitted terms (asks an
        approval, or blocks)."""
        return any(
            failure["outcome"] in ("approval", "block")
            for failure in self._compliance_failures("adopt")
        )

    def _adoption_approved(self):
        """Whether the engine approved the submitted terms: a request approved on them, and
        no adoption rule failing on them still (a request pending, a block)."""
        self.ensure_one()
        values_hash = self._compliance_hash()
        approved = self._compliance_open_approvals().filtered(
            lambda a: a.state == "approved" and a.values_hash == values_hash
        )
        return bool(approved) and not self._adoption_rule_asks()

    def _check_adoption_cleared(self):
        """Refuse the adoption without the approval (see ``_adopt``)."""
        self.ensure_one()
        if self._adoption_approved():
            return
        user = self.env.user
        # the Adopt button stands in for no rule: an active rule asking an approval is
        # decided through its request, even when none could be made
        asked = self._adoption_rule_asks()
        if not user.has_group(APPROVER_GROUP) or asked or self._adoption_pending_requests():
            raise UserError(
                self.env._(
                    "Scenario %s cannot be adopted without the approval of its adoption: a "
                    "commission approver decides the request from Compliance > My Approvals.",
                    self.display_name,
                )
            )
        refusal = self._compliance_own_case_refusal(
            user,
            self._compliance_case_parties(),
            self.env.ref(APPROVER_GROUP).sudo().users,
            self.display_name,
            self.company_id,
        )
        if refusal:
            raise refusal
