from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.actions import form_action
from ..tools.http import request_ip as _request_ip
from .sales_compliance_rule import engine_models


class SalesComplianceApproval(models.Model):
    """An approval request for a rule that requires approval on one record.

    The request is bound to a hash of the values it approves (see
    ``_compliance_hash_values`` on the record): when the record changes, the request is
    voided and the rule must be approved again. Its steps (the levels it needs) are
    decided in sequence; the step to decide gets a ``mail.activity`` for its approvers.
    """

    _name = "sales.compliance.approval"
    _description = "Compliance Approval Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    rule_id = fields.Many2one(
        "sales.compliance.rule", required=True, readonly=True, ondelete="restrict", index=True
    )
    res_model = fields.Selection(engine_models, string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True, index=True
    )
    record_ref = fields.Reference(engine_models, string="Record", compute="_compute_record_ref")
    record_name = fields.Char(readonly=True)
    # a hash of a few known values (a credit limit...) is easily reversed: readable as
    # the values it stands for
    values_hash = fields.Char(
        readonly=True,
        required=True,
        groups="sales_compliance.group_compliance_officer,account.group_account_invoice,"
        "account.group_account_readonly",
    )
    # the bound values may hold a customer's credit data (credit limit...): readable as
    # such by officers and accounting users only, as Odoo restricts ``credit_limit``;
    # ``approved_values`` shows them to the other users allowed to see them
    values_snapshot = fields.Text(
        string="Approved Values (raw)",
        readonly=True,
        groups="sales_compliance.group_compliance_officer,account.group_account_invoice,"
        "account.group_account_readonly",
    )
    approved_values = fields.Text(
        compute="_compute_approved_values",
        help="The values the request binds; shown to the approvers, the customer's "
        "salesperson and team leader, compliance officers and accounting users.",
    )
    value = fields.Float(string="Checked Value", readonly=True)
    message = fields.Text(readonly=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("voided", "Voided"),
        ],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    requested_by_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    request_date = fields.Datetime(default=fields.Datetime.now, readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True, index=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    step_ids = fields.One2many(
        "sales.compliance.approval.step", "approval_id", string="Approval Steps", readonly=True
    )
    current_step_id = fields.Many2one("sales.compliance.approval.step", readonly=True)
    pending_approver_ids = fields.Many2many(
        "res.users",
        "sales_compliance_approval_pending_user_rel",
        "approval_id",
        "user_id",
        string="Waiting For",
        readonly=True,
    )
    violation_ids = fields.Many2many(
        "sales.compliance.violation", string="Violations", readonly=True
    )
    can_decide = fields.Boolean(compute="_compute_can_decide")

    @api.depends("rule_id", "record_name")
    def _compute_name(self):
        for approval in self:
            approval.name = f"{approval.rule_id.name or ''} — {approval.record_name or ''}"

    @api.depends("res_model", "res_id")
    def _compute_record_ref(self):
        for approval in self:
            approval.record_ref = (
                f"{approval.res_model},{approval.res_id}" if approval.res_id else False
            )

    @api.depends_context("uid")
    @api.depends("state", "current_step_id.approver_ids", "requested_by_id", "salesperson_id")
    def _compute_can_decide(self):
        for approval in self:
            approval.can_decide = not approval._decision_refusal(with_record=False)

    @api.depends_context("uid")
    @api.depends("values_snapshot", "res_model", "res_id", "step_ids.approver_ids")
    def _compute_approved_values(self):
        visible = self._credit_visible()
        for approval in self:
            approval.approved_values = (
                approval.sudo().values_snapshot if approval in visible else False
            )

    def _credit_visible(self):
        """The requests whose bound values the current user may see: those they decide
        and those of customers whose credit they may see (see res.partner)."""
        if self.env["res.partner"]._compliance_sees_all_credit():
            return self
        visible = self.filtered(lambda a: self.env.user in a.sudo().step_ids.approver_ids)
        no_partner = self.env["res.partner"]
        for res_model, approvals in (self - visible).grouped("res_model").items():
            records = self.env[res_model].sudo().browse(approvals.mapped("res_id")).exists()
            partners = {record.id: record._compliance_partner() for record in records}
            shown = no_partner.union(*partners.values()).with_env(self.env)
            shown = shown.filtered("compliance_credit_visible")
            visible |= approvals.filtered(
                lambda a, p=partners, s=shown: p.get(a.res_id, no_partner) in s
            )
        return visible

    def _record(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id).exists()

    # ------------------------------------------------------------------
    # Request
    # ------------------------------------------------------------------
    @api.model
    def _request(self, record, rule, value=0.0, message=""):
        """Create (or return the pending) approval of ``rule`` for ``record``."""
        record.ensure_one()
        snapshot = record._compliance_snapshot()
        values_hash = record._compliance_hash(snapshot)
        existing = self.sudo().search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("rule_id", "=", rule.id),
                ("state", "in", ("pending", "approved")),
                ("values_hash", "=", values_hash),
            ],
            limit=1,
        )
        if existing:
            # violations logged while the request is pending belong to it (decided with it)
            existing._link_open_violations()
            return existing
        # for domains and expressions the failure's value is a count of lines: levels
        # pick on the amount of the document instead (see rule._approval_value)
        value = rule._approval_value(record, value)
        levels = rule.level_ids._needed(value)
        if not levels:
            raise UserError(
                self.env._(
                    "The rule “%s” requires an approval but has no approval level.", rule.name
                )
            )
        steps = []
        requester = self.env.user
        # nobody approves their own request nor a request about their own record (the
        # salesperson, even when someone else asked for the approval)
        # (the salesperson or the owner of the customer, even when someone else asked)
        excluded = requester.union(*record._compliance_case_parties().values())
        company = record.company_id if "company_id" in record._fields else record.browse()
        for level in levels:
            # without another approver at this level, the compliance officers of the
            # company decide instead
            approvers = level._get_approvers(record) - excluded
            if not approvers:
                approvers = record._compliance_officers(company) - excluded
            if not approvers:
                raise UserError(
                    self.env._(
                        "Nobody can approve the level “%(level)s” of “%(rule)s” for %(record)s "
                        "(no user, empty group or no team leader), and nobody decides on their "
                        "own case (%(excluded)s): ask an administrator to make another user a "
                        "compliance officer.",
                        level=level.name,
                        rule=rule.name,
                        record=record.display_name,
                        excluded=", ".join(excluded.mapped("name")),
                    )
                )
            steps.append(
                fields.Command.create(
                    {
                        "sequence": level.sequence,
                        "name": level.name,
                        "level_id": level.id,
                        "approver_ids": [fields.Command.set(approvers.ids)],
                    }
                )
            )
        approval = (
            self.sudo()
            .with_context(mail_create_nolog=True)
            .create(
                {
                    "rule_id": rule.id,
                    "res_model": record._name,
                    "res_id": record.id,
                    "record_name": record.display_name,
                    "values_hash": values_hash,
                    "values_snapshot": snapshot,
                    # a credit figure stays in the violation's credit fields
                    "value": 0.0 if rule._credit_figures() else value,
                    "message": message,
                    "requested_by_id": self.env.uid,
                    **record._compliance_ownership_values(),
                    "step_ids": steps,
                }
            )
        )
        approval._link_open_violations()
        approval._activate_next_step()
        body = self.env._(
            "Approval requested for “%(rule)s”: %(message)s", rule=rule.name, message=message
        )
        approval.message_post(body=body, author_id=self.env.user.partner_id.id)
        record._compliance_note(body)
        return approval

    def _open_violations(self):
        """The open violations of the request's rule on its record."""
        self.ensure_one()
        return (
            self.env["sales.compliance.violation"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self.res_model),
                    ("res_id", "=", self.res_id),
                    ("rule_id", "=", self.rule_id.id),
                    ("state", "=", "open"),
                ]
            )
        )

    def _link_open_violations(self):
        for approval in self.sudo():
            missing = approval._open_violations() - approval.violation_ids
            if missing:
                approval.violation_ids = [fields.Command.link(v.id) for v in missing]

    def _activate_next_step(self, comment=False):
        for approval in self.sudo():
            step = approval.step_ids.filtered(lambda s: s.state == "upcoming")[:1]
            if not step:
                approval._finish("approved", comment)
                continue
            step.state = "to_decide"
            approval.write(
                {
                    "current_step_id": step.id,
                    "pending_approver_ids": [fields.Command.set(step.approver_ids.ids)],
                }
            )
            # the request e-mail tells the approvers: no second "assigned to you" mail
            for user in step.approver_ids:
                approval.with_context(mail_activity_quick_update=True).activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Approve: %s", approval.name),
                    note=approval.message,
                    user_id=user.id,
                )
            approval._send_request_mails()

    def _finish(self, state, comment=False):
        """Close the request; record the decision on its open violations."""
        for approval in self.sudo():
            approval.activity_ids.unlink()
            approval.write(
                {"state": state, "current_step_id": False, "pending_approver_ids": [(5,)]}
            )
            if state in ("approved", "rejected"):
                # including the violations logged (e.g. by confirm attempts) meanwhile
                approval._link_open_violations()
                approval.violation_ids.filtered(lambda v: v.state == "open").write(
                    {
                        "state": state,
                        "decision_user_id": self.env.uid,
                        "decision_date": fields.Datetime.now(),
                        "decision_comment": comment or False,
                    }
                )
            record = approval._record()
            if record:
                label = dict(self._fields["state"]._description_selection(self.env))[state]
                note = self.env._(
                    "Approval of “%(rule)s”: %(state)s.", rule=approval.rule_id.name, state=label
                )
                if comment:
                    note = f"{note} {comment}"
                record._compliance_note(note)
                record._compliance_approval_decided(approval, state)

    # ------------------------------------------------------------------
    # Decisions
    # ------------------------------------------------------------------
    def _decision_refusal(self, with_record=True):
        """Why the current user may not decide this request now (the error to raise),
        or None. The one home of these rules: the decisions raise it, the form shows
        its buttons when there is none (``can_decide``, without ``with_record``, which
        reads the record to compare its values with the approved ones)."""
        self.ensure_one()
        user = self.env.user
        if self.state == "voided":
            return UserError(
                self.env._(
                    "This approval request was voided because %s changed after the "
                    "request. Ask for a new approval.",
                    self.record_name,
                )
            )
        if self.state != "pending":
            return UserError(self.env._("This approval request has already been decided."))
        refusal = self._own_case_refusal()
        if refusal:
            return refusal
        if user not in self.current_step_id.approver_ids:
            return AccessError(
                self.env._("You are not an approver of the level “%s”.", self.current_step_id.name)
            )
        if with_record:
            record = self._record()
            if not record or record._compliance_hash() != self.sudo().values_hash:
                return UserError(
                    self.env._(
                        "%s changed after the approval was requested: the request is void. "
                        "Ask for a new approval.",
                        self.record_name,
                    )
                )
        return None

    def _own_case_refusal(self):
        """The four-eyes refusal (see the mixin) of the current user on this request:
        its requester, its salesperson (then and now) and the owner of the customer."""
        self.ensure_one()
        record = self.sudo()._record()
        Mixin = self.env["sales.compliance.mixin"]
        parties = {
            self.env._("it is your own request"): self.sudo().requested_by_id,
            self.env._("you are the salesperson of %s", self.record_name): (
                self.sudo().salesperson_id
            ),
        }
        if record:
            parties.update(record._compliance_case_parties())
        step = self.sudo().current_step_id
        deciders = step.approver_ids or Mixin._compliance_officers(self.sudo().company_id)
        return Mixin._compliance_own_case_refusal(
            self.env.user, parties, deciders, self.record_name, self.sudo().company_id
        )

    def _check_can_decide(self):
        for approval in self:
            refusal = approval._decision_refusal()
            if refusal:
                raise refusal

    def action_approve(self, comment=False):
        return self._decide("approve", comment, "web", _request_ip())

    def action_reject(self, comment=False):
        return self._decide("reject", comment, "web", _request_ip())

    def _decide_from(self, user, decision, comment, channel, channel_ref):
        """Decide as ``user`` from a channel other than the web client: a signed link
        (``link``, ``robot``) or a reply to the request e-mail (``mail``). The one entry
        of those paths: every check of ``_decide`` holds for ``user`` (four eyes, the
        step's approvers, the record unchanged)."""
        self.ensure_one()
        return self.with_user(user)._decide(decision, comment, channel, channel_ref)

    def _decide(self, decision, comment, channel, channel_ref):
        """The decision of the current user, recorded with its channel (``web``, ``link``,
        ``mail``, ``robot``) and ``channel_ref`` (the IP address or the message id)."""
        if decision not in ("approve", "reject"):
            raise UserError(self.env._("Unknown decision: %s", decision))
        self._check_can_decide()
        if decision == "reject" and not comment:
            raise UserError(self.env._("Please give the reason of the rejection."))
        state = "approved" if decision == "approve" else "rejected"
        for approval in self.sudo():
            step = approval.current_step_id
            step._decide(state, comment, channel, channel_ref)
            label = (
                self.env._("Level “%s” approved.", step.name)
                if state == "approved"
                else self.env._("Level “%s” rejected.", step.name)
            )
            approval.message_post(
                body=Markup("%s<br/>%s") % (label, comment or ""),
                author_id=self.env.user.partner_id.id,
            )
            if state == "approved":
                approval._activate_next_step(comment)
            else:
                approval._finish("rejected", comment)
        return True

    def _void(self, reason=None):
        """Close these open requests as voided, with ``reason`` in their chatter (by default:
        the record changed after the request)."""
        reason = reason or self.env._("Voided: the record changed after the request.")
        for approval in self.sudo().filtered(lambda a: a.state in ("pending", "approved")):
            approval.step_ids.filtered(lambda s: s.state in ("upcoming", "to_decide")).write(
                {"state": "voided"}
            )
            approval._finish("voided")
            approval.message_post(body=reason)

    def action_open_decision(self):
        self.ensure_one()
        self._check_can_decide()
        return self.env["sales.compliance.decision.wizard"]._open_for(
            {
                "default_approval_id": self.id,
                "default_decision": self.env.context.get("decision", "approve"),
            }
        )

    def action_open_record(self):
        self.ensure_one()
        return form_action(self.res_model, self.res_id)
