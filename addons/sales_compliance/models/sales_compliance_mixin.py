import hashlib
import json

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

from ..tools.actions import form_action, notification_action

# Value of the ``compliance_skip`` context key that skips the compliance checks. Only
# Python code can pass this exact object: a value sent over RPC (JSON) never is it, so a
# client cannot switch the checks off by setting ``compliance_skip`` in its context.
COMPLIANCE_SKIP = object()
# Value of the ``compliance_warnings_seen`` context key set by the compliance dialog when
# the user goes on after reading the warnings: the warnings are logged all the same, the
# click only does not count as another attempt. Unforgeable, like COMPLIANCE_SKIP.
WARNINGS_SEEN = object()


class ComplianceBlockedError(UserError):
    """Raised when compliance rules refuse an action (save, stage change, confirmation
    or sending from code).

    Its violations were committed in a transaction of their own before it was raised
    (see ``sales.compliance.violation._log_failures_apart``): they stay in the log
    when the error rolls back the caller's transaction.
    """

    def __init__(self, message, violations):
        super().__init__(message)
        self.violations = violations


class SalesComplianceMixin(models.AbstractModel):
    """The compliance engine, for any model that joins it: customers, leads and sales
    orders here, any model of another addon.

    A model joins the engine with two declarations, next to each other:

    - it inherits this mixin (``_inherit = [..., "sales.compliance.mixin"]``);
    - it adds itself to the models rules apply to, a ``selection_add`` on
      ``sales.compliance.rule.model_name`` (violations, approvals and the compliance
      rate read that selection: nothing else to declare).

    It then answers the hooks below that differ from the defaults (the triggers it
    fires, its lines, its amount, its salesperson and customer...) and calls
    ``_compliance_run_rules()`` where its rules apply (``create``/``write`` for the
    save trigger). See ``docs/extending.md`` and the test addon
    ``tests/addons/sales_compliance_engine_test``.
    """

    _name = "sales.compliance.mixin"
    _description = "Sales Compliance Hooks"

    compliance_violation_count = fields.Integer(
        string="Violations", compute="_compute_compliance_status"
    )
    compliance_status = fields.Selection(
        [
            ("ok", "Compliant"),
            ("warning", "Warnings"),
            ("pending", "Approval pending"),
            ("blocked", "Blocked"),
        ],
        compute="_compute_compliance_status",
    )

    def _compute_compliance_status(self):
        Violation = self.env["sales.compliance.violation"]
        records = self.filtered("id")
        groups = Violation._read_group(
            [("res_model", "=", self._name), ("res_id", "in", records.ids)],
            ["res_id", "outcome", "state"],
            ["__count"],
        )
        stats = {}
        for res_id, outcome, state, count in groups:
            stats.setdefault(res_id, []).append((outcome, state, count))
        for record in self:
            entries = stats.get(record.id, [])
            record.compliance_violation_count = sum(count for *_rest, count in entries)
            open_outcomes = {outcome for outcome, state, _count in entries if state == "open"}
            if "block" in open_outcomes:
                record.compliance_status = "blocked"
            elif "approval" in open_outcomes:
                record.compliance_status = "pending"
            elif "warn" in open_outcomes:
                record.compliance_status = "warning"
            else:
                record.compliance_status = "ok"

    # ------------------------------------------------------------------
    # Hooks to override per model
    # ------------------------------------------------------------------
    # The triggers of sales_compliance (``sales.compliance.rule.trigger``) the model's
    # rules may fire on; the model calls ``_compliance_run_rules(trigger)`` for each.
    # A trigger another addon adds is checked by that addon.
    _compliance_triggers = ("save",)
    # The one2many of lines that rules "Evaluate on lines" look at (orders: their
    # ``order_line``); None: the model has no such lines. Its inverse field leads a
    # line back to its record.
    _compliance_lines_field = None
    # Whether the approval levels of rules without a measured value pick on an amount
    # of the record (``_compliance_approval_amount``): orders and leads do, customers
    # do not (their levels cannot depend on a value).
    _compliance_has_amount = False

    def _compliance_approval_amount(self):
        """The amount the approval levels of the record's amount-based rules pick on
        (a model with ``_compliance_has_amount`` answers it)."""
        self.ensure_one()
        return 0.0

    def _compliance_partner(self):
        self.ensure_one()
        return self.partner_id.commercial_partner_id

    def _compliance_salesperson(self):
        self.ensure_one()
        return self.user_id

    def _compliance_ownership_values(self):
        """Salesperson, team and company that violations and approvals of the record belong to."""
        self.ensure_one()
        salesperson = self._compliance_salesperson()
        company = self.env.company
        if "company_id" in self._fields and self.company_id:
            company = self.company_id
        team = self.env["crm.team"]
        if "team_id" in self._fields:
            team = self.team_id
        elif salesperson:  # customers: the team their salesperson sells for
            team = salesperson._sales_team(company)
        return {"salesperson_id": salesperson.id, "team_id": team.id, "company_id": company.id}

    def _compliance_hash_values(self):
        """The values an approval is bound to, besides those its rules read (see
        ``_compliance_read_values``)."""
        self.ensure_one()
        return {"id": self.id}

    def _compliance_read_values(self):
        """The values the active rules of the model read on the record (their domains,
        the fields their checks declare, the amount their levels pick on): an approval
        binds them all, whatever model opts into the engine."""
        self.ensure_one()
        values = {}
        for path in self.env["sales.compliance.rule"]._bound_paths(self._name):
            value = self.mapped(path)
            if isinstance(value, models.BaseModel):
                value = sorted(value.ids)
            values[f"read:{path}"] = value
        return values

    def _compliance_snapshot(self):
        """The bound values as JSON (what ``_compliance_hash`` hashes)."""
        self.ensure_one()
        # the bound values may be restricted fields (credit limit...): read them as
        # superuser so that any user saving or approving the record gets the same hash
        record = self.sudo()
        if "company_id" in self._fields and self.company_id:
            # company-dependent values (credit limit...) as in the record's company,
            # whichever company the user saving or approving works in
            record = record.with_company(self.company_id)
        values = {**record._compliance_read_values(), **record._compliance_hash_values()}
        return json.dumps(values, sort_keys=True, default=str)

    def _compliance_hash(self, snapshot=None):
        """sha256 of ``snapshot`` (default: the record's current snapshot)."""
        if snapshot is None:
            snapshot = self._compliance_snapshot()
        return hashlib.sha256(snapshot.encode()).hexdigest()

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    def _compliance_failures(self, trigger):
        """Evaluate the active rules of ``trigger``; drop the failures an approval or an
        override covers. Returns the failures as in ``rule._evaluate``."""
        records = self.filtered("id")
        if not records:
            return []
        rules = self.env["sales.compliance.rule"]._get_rules(self._name, trigger)
        if not rules:
            return []
        # Rules see every field (credit limit, costs...) but keep the user in env.uid
        failures = rules._evaluate(records.sudo())
        if failures:
            failures = records._compliance_drop_decided(failures)
        return failures

    def _compliance_drop_decided(self, failures):
        """Drop the failures covered by an approved request (approval rules) or an
        overridden violation (any rule) whose values hash still matches the record:
        both let exactly that record through with exactly those values. One query
        each, only when rules failed."""
        rules = self.env["sales.compliance.rule"].union(*(f["rule"] for f in failures))
        domain = [
            ("res_model", "=", self._name),
            ("res_id", "in", self.ids),
            ("rule_id", "in", rules.ids),
        ]
        overridden = {
            (v.res_id, v.rule_id.id, v.values_hash)
            for v in self.env["sales.compliance.violation"]
            .sudo()
            .search([*domain, ("state", "=", "overridden")])
        }
        approved = set()
        if any(f["outcome"] == "approval" for f in failures):
            approved = {
                (a.res_id, a.rule_id.id, a.values_hash)
                for a in self.env["sales.compliance.approval"]
                .sudo()
                .search([*domain, ("state", "=", "approved")])
            }
        if not overridden and not approved:
            return failures
        hashes = {}
        kept = []
        for failure in failures:
            record = failure["record"]
            if record.id not in hashes:
                hashes[record.id] = record._compliance_hash()
            key = (record.id, failure["rule"].id, hashes[record.id])
            if key in overridden or (failure["outcome"] == "approval" and key in approved):
                continue
            kept.append(failure)
        return kept

    # Fields whose change voids the approvals of the record (see _compliance_hash_values),
    # besides the fields the rules read (``_compliance_hash_changed``)
    _compliance_hash_trigger_fields = ()
    # The amount the approval levels of amount-based rules pick on (see
    # ``sales.compliance.rule._approval_value``): bound by every approval of such rules
    _compliance_amount_paths = ()

    @api.model
    def _compliance_hash_changed(self, vals):
        """Whether writing ``vals`` may change the values approvals are bound to."""
        bound = {
            path.split(".")[0]
            for path in self.env["sales.compliance.rule"]._bound_paths(self._name)
        }
        return bool(set(vals) & (set(self._compliance_hash_trigger_fields) | bound))

    # ------------------------------------------------------------------
    # Four eyes: nobody decides on their own case
    # ------------------------------------------------------------------
    def _compliance_case_parties(self):
        """The users party to the record's case, as they are now: {role label: users}
        (its salesperson, the owner of its customer)."""
        self.ensure_one()
        record = self.sudo()
        return {
            self.env._("you are the salesperson of %s", record.display_name): (
                record._compliance_salesperson()
            ),
            self.env._("you are the salesperson of its customer"): (
                record._compliance_partner().user_id
            ),
        }

    @api.model
    def _compliance_own_case_refusal(self, user, parties, deciders, record_name, company):
        """The error refusing ``user`` a decision on ``record_name`` when they are one
        of ``parties`` ({role label: users}), or None. It names who else may decide
        (``deciders`` less the parties), or says that nobody else can. The one home of
        the four-eyes rule: approvals and violations both ask it."""
        roles = [label for label, users in parties.items() if user in users]
        if not roles:
            return None
        involved = self.env["res.users"].union(*parties.values())
        others = deciders.filtered(lambda u: u not in involved and not u.share and u.active)
        others = others.filtered(lambda u: u.id != SUPERUSER_ID)
        if others:
            who = self.env._("Ask %s.", ", ".join(sorted(others.mapped("name"))))
        else:
            who = self.env._(
                "There is no other compliance officer in %s who may decide: ask an "
                "administrator to make another user a compliance officer.",
                company.name or "",
            )
        return UserError(
            self.env._(
                "You cannot decide on %(record)s, your own case: %(roles)s. %(who)s",
                record=record_name,
                roles=", ".join(roles),
                who=who,
            )
        )

    @api.model
    def _compliance_officers(self, company):
        """The compliance officers who may act in ``company``."""
        return (
            self.env.ref("sales_compliance.group_compliance_officer")
            .sudo()
            .users.filtered(
                lambda u: (
                    not u.share
                    and u.id != SUPERUSER_ID
                    and (not company or company in u.company_ids)
                )
            )
        )

    @api.model
    def _compliance_has_approval_rules(self):
        """Whether an active rule of this model asks for approvals, from the rule cache:
        no query once the cache is warm."""
        Rule = self.env["sales.compliance.rule"]
        return any(
            Rule._get_rule_spec(rule_id)["outcome"] == "approval"
            for trigger in Rule._fields["trigger"].get_values(self.env)
            for rule_id in Rule._get_active_rule_ids(self._name, trigger)
        )

    def _compliance_open_approvals(self):
        """The approval requests of these records still open: pending or approved.

        Whatever values they were asked for: an approval only lets a record through while
        its ``values_hash`` matches the record's ``_compliance_hash()``, so a caller that
        needs the ones that still count filters on it. Read as superuser (the requests
        name other users' decisions); one query for the whole set.
        """
        records = self.filtered("id")
        if not records:
            return self.env["sales.compliance.approval"]
        return (
            self.env["sales.compliance.approval"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", records.ids),
                    ("state", "in", ("pending", "approved")),
                ]
            )
        )

    @api.ondelete(at_uninstall=False)
    def _compliance_void_requests_of_deleted(self):
        """Nobody is asked to decide on a record that is gone: the open requests of deleted
        records are voided, and stay in the log as every request does."""
        self._compliance_open_approvals()._void(self.env._("Voided: the record was deleted."))

    def _compliance_void_stale_approvals(self):
        """Void the pending or approved requests whose approved values changed.

        Saves of a model without an active approval rule (leads in most databases, whose
        team and salesperson Odoo's assignment writes lead by lead) skip the search. A
        request left unvoided then lets nothing through: an approval only counts while its
        hash matches the record's values (``_compliance_drop_approved``).
        """
        records = self.filtered("id")
        if not records or not self._compliance_has_approval_rules():
            return
        approvals = records._compliance_open_approvals()
        if not approvals:
            return
        hashes = {
            record.id: record._compliance_hash()
            for record in records.browse(set(approvals.mapped("res_id")))
        }
        approvals.filtered(lambda a: a.values_hash != hashes.get(a.res_id))._void()

    def action_compliance_request_approval(self):
        """Ask for the approvals that the record's failing rules require."""
        Approval = self.env["sales.compliance.approval"]
        approvals = Approval
        rules = (
            self.env["sales.compliance.rule"]
            .sudo()
            # active rules only, whatever the client's context: never a draft change
            .with_context(active_test=True)
            .search([("model_name", "=", self._name), ("outcome", "=", "approval")])
        )
        for record in self:
            failures = record._compliance_drop_decided(rules._evaluate(record.sudo()))
            for failure in failures:
                approvals |= Approval._request(
                    record,
                    failure["rule"],
                    value=failure["value"] if isinstance(failure["value"], int | float) else 0,
                    message=failure["message"],
                )
        if not approvals:
            raise UserError(self.env._("No rule requires an approval for this record."))
        return notification_action(
            self.env._("Approval requested: %s", ", ".join(approvals.mapped("name"))),
            close_dialog=True,
        )

    def _compliance_approval_decided(self, approval, state):
        """Hook: ``approval``, a request on the record, was closed in ``state``
        (approved, rejected or voided). A model whose own flow waits for its approvals
        (contracts in review) moves on here."""

    def _compliance_note(self, body):
        self.ensure_one()
        self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    def _compliance_enforce(self, trigger, refusing=(), acknowledged=False):
        """Check ``trigger`` rules and log the failures; return the violations.

        When a failure has an outcome in ``refusing``, the action is refused: the
        violations are committed in a separate transaction (the error rolls this one
        back) and :class:`ComplianceBlockedError` is raised. Otherwise they are logged
        in the current transaction; ``acknowledged`` (the user goes on after the
        dialog) logs them without counting another attempt. Nothing else is written.
        """
        failures = self._compliance_failures(trigger)
        Violation = self.env["sales.compliance.violation"]
        if not failures:
            return Violation
        refused = [f for f in failures if f["outcome"] in refusing]
        if refused:
            raise ComplianceBlockedError(
                self.env._(
                    "This action is blocked by compliance rules:\n%s",
                    self._compliance_format_failures(refused),
                ),
                Violation._log_failures_apart(failures, trigger, refusing),
            )
        return Violation._log_failures(failures, trigger, count_attempt=not acknowledged)

    @api.model
    def _compliance_format_failures(self, failures):
        """The failures as the acting user reads them: with the credit figures only
        when they may see the credit of the customer."""
        labels = dict(
            self.env["sales.compliance.violation"]
            ._fields["outcome"]
            ._description_selection(self.env)
        )
        lines = []
        for failure in failures:
            message = failure["message"]
            if failure.get("credit_figures") and not self.env.su:
                partner = failure["record"]._compliance_partner().with_env(self.env)
                if partner and partner._compliance_credit_shown():
                    message = failure["credit_figures"]["message"]
            lines.append(f"- [{labels[failure['outcome']]}] {failure['rule'].name}: {message}")
        return "\n".join(lines)

    def _compliance_run_rules(self, trigger="save"):
        """Save and stage-change hook: block raises, approval asks for an approval,
        warnings are shown to the user who saved. Returns the approval requests."""
        Approval = self.env["sales.compliance.approval"]
        if not self or self._compliance_skipped():
            return Approval
        violations = self._compliance_enforce(trigger, refusing=("block",))
        approvals = Approval
        for violation in violations.filtered(lambda v: v.outcome == "approval"):
            record = self.browse(violation.res_id)
            try:
                # _request raises before writing anything when nobody can approve; the
                # rule and its levels are read as the system: a requester who may not read
                # rules (finance submitting a scenario) still gets their request
                approvals |= Approval._request(
                    record,
                    violation.rule_id.sudo(),
                    value=violation._request_value(),
                    message=violation.message,
                )
            except UserError as exc:
                record._compliance_note(str(exc))
        warnings = violations.filtered(lambda v: v.outcome == "warn")
        if warnings:
            self._compliance_notify(
                "\n".join(f"{v.rule_id.name}: {v.message}" for v in warnings),
                title=self.env._("Compliance warning"),
            )
        return approvals

    @api.model
    def _compliance_notify(self, message, title=False, notification_type="warning"):
        """Show ``message`` to the current user, as Odoo's own notifications do."""
        user = self.env.user
        if user.share or user._is_superuser():
            return
        user._bus_send(
            "simple_notification",
            {"type": notification_type, "title": title or "", "message": message, "sticky": False},
        )

    def _compliance_post_violations(self, violations):
        self.ensure_one()
        items = Markup("").join(
            Markup("<li>%s: %s</li>") % (v.rule_id.name, v.message) for v in violations
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (self.env._("Compliance check failed:"), items)
        self.sudo().with_context(mail_notrack=True).message_post(
            body=body, subtype_xmlid="mail.mt_note"
        )

    def _compliance_dialog(self, violations, continue_method=False):
        """Client action opening the dialog that lists the failed rules."""
        wizard = (
            self.env["sales.compliance.check.wizard"]
            .sudo()
            .create(
                {
                    "res_model": self._name,
                    "res_ids": json.dumps(self.ids),
                    "violation_ids": [fields.Command.set(violations.ids)],
                    "continue_method": continue_method or False,
                }
            )
        )
        return form_action(
            "sales.compliance.check.wizard",
            wizard.id,
            name=self.env._("Compliance check"),
            target="new",
        )

    def action_view_compliance_violations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_compliance.action_compliance_violation"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.model
    def _compliance_skipped(self):
        """Whether the checks are skipped: only for trusted internal callers, that is
        code passing the :data:`COMPLIANCE_SKIP` sentinel (never a client context), or
        data loaded while the registry is being built (module install/update)."""
        context = self.env.context
        if context.get("compliance_skip") is COMPLIANCE_SKIP:
            return True
        return bool(context.get("install_mode")) and not self.env.registry.ready
