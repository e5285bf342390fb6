import json
import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.actions import form_action
from .sales_compliance_rule import TRIGGERS, _format_number, engine_models

_logger = logging.getLogger(__name__)

DECISION_FIELDS = {"state", "decision_user_id", "decision_date", "decision_comment"}
# many2one fields whose target may exist only in the transaction that is rolled back
SNAPSHOT_LINKS = ("user_id", "salesperson_id", "team_id", "company_id", "partner_id")
# decisions a compliance officer records himself (approved / rejected come from the
# approval requests, written as superuser)
OFFICER_DECISIONS = ("resolved", "overridden")


class SalesComplianceViolation(models.Model):
    """Permanent log of failed compliance rules.

    Records are created by the rule engine only (as superuser), can never be deleted,
    and after creation only the decision fields can be written, by approvers.

    One violation per rule, record and set of bound values (``values_hash``, the hash
    approvals are bound to): repeated saves or confirmations of the same breach count
    attempts on it instead of logging new breaches.
    """

    _name = "sales.compliance.violation"
    _description = "Sales Compliance Violation"
    _order = "date desc, id desc"
    _rec_name = "record_name"

    rule_id = fields.Many2one(
        "sales.compliance.rule", required=True, ondelete="restrict", index=True, readonly=True
    )
    res_model = fields.Selection(engine_models, string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True, index=True
    )
    record_ref = fields.Reference(
        engine_models, string="Record", compute="_compute_record_ref", readonly=True
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
    # The figures of a credit rule (exposure, credit limit, overdue amount) are kept out
    # of value, limit, values_checked and message: stored here, readable as such by
    # officers and accounting users only (as Odoo restricts ``credit_limit``), and shown
    # by ``credit_figures`` to the other users who may see the customer's credit.
    credit_figures_raw = fields.Text(
        string="Credit Figures (raw)",
        readonly=True,
        groups="sales_compliance.group_compliance_officer,account.group_account_invoice,"
        "account.group_account_readonly",
    )
    credit_figures = fields.Text(
        compute="_compute_credit_figures",
        help="The credit figures the rule checked; shown to those who may see the "
        "customer's credit: its salesperson and their team leader, compliance officers "
        "and accounting users.",
    )
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
    # the bound values may hold a credit limit, and a hash of a few known values is
    # easily reversed: readable as the credit data it may stand for
    values_hash = fields.Char(
        readonly=True,
        index=True,
        help="Hash of the bound values.",
        groups="sales_compliance.group_compliance_officer,account.group_account_invoice,"
        "account.group_account_readonly",
    )
    attempt_count = fields.Integer(
        string="Attempts",
        default=1,
        readonly=True,
        help="How many saves or confirmations met this breach with these values.",
    )
    last_attempt_date = fields.Datetime(string="Last Attempt", readonly=True)

    @api.depends("res_model", "res_id")
    def _compute_record_ref(self):
        # a record created by an action that the violation blocked was never saved
        existing = set()
        for model, violations in self.filtered("res_id").grouped("res_model").items():
            records = self.env[model].browse(violations.mapped("res_id")).exists()
            existing.update((model, res_id) for res_id in records.ids)
        for violation in self:
            violation.record_ref = (
                f"{violation.res_model},{violation.res_id}"
                if (violation.res_model, violation.res_id) in existing
                else False
            )

    @api.depends_context("uid")
    @api.depends("credit_figures_raw", "partner_id")
    def _compute_credit_figures(self):
        raw = {v.id: v.credit_figures_raw for v in self.sudo()}
        shown = self.sudo().partner_id.with_env(self.env)._compliance_credit_shown()
        for violation in self:
            figures = raw.get(violation.id) and json.loads(raw[violation.id])
            if not figures or violation.sudo().partner_id not in shown.sudo():
                violation.credit_figures = False
                continue
            violation.credit_figures = "\n".join(
                (
                    figures["message"],
                    self.env._(
                        "Checked value: %(value)s, limit: %(limit)s",
                        value=_format_number(figures["value"]),
                        limit=_format_number(figures["limit"]),
                    ),
                    json.dumps(figures["values"], default=str, sort_keys=True),
                )
            )

    def _request_value(self):
        """The value the approval levels of the violation's rule pick on (its credit
        figure, for a credit rule)."""
        self.ensure_one()
        raw = self.sudo().credit_figures_raw
        return json.loads(raw)["value"] if raw else self.value

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
        # the one home of who decides a violation and of when it can still be decided
        if not (
            self.env.su or self.env.user.has_group("sales_compliance.group_compliance_officer")
        ):
            raise AccessError(self.env._("Only compliance officers can decide on violations."))
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
        if vals.get("state") in OFFICER_DECISIONS:
            if not self.env.su:
                self._check_own_case()
            self._check_officer_decision(vals)
            res = super().write(vals)
            self._note_officer_decision()
            return res
        return super().write(vals)

    def _check_own_case(self):
        """Nobody decides on their own case (see the mixin): not the user whose action
        was checked, the salesperson of the record (then and now) nor the owner of its
        customer (then and now)."""
        Mixin = self.env["sales.compliance.mixin"]
        for violation in self.sudo():
            parties = {
                self.env._("it is your own request"): violation.user_id,
                self.env._("you are the salesperson of %s", violation.record_name): (
                    violation.salesperson_id
                ),
                self.env._("you are the salesperson of its customer"): (
                    violation.partner_id.commercial_partner_id.user_id
                ),
            }
            record = self.env[violation.res_model].sudo().browse(violation.res_id).exists()
            if record:
                for label, users in record._compliance_case_parties().items():
                    parties[label] = parties.get(label, users) | users
            refusal = Mixin._compliance_own_case_refusal(
                self.env.user,
                parties,
                Mixin._compliance_officers(violation.company_id),
                violation.record_name,
                violation.company_id,
            )
            if refusal:
                raise refusal

    def _check_officer_decision(self, vals):
        """An override needs its reason; "resolved" means the breach is gone: refused
        while the record still breaks the rule with the same values."""
        if vals["state"] == "overridden" and not (vals.get("decision_comment") or "").strip():
            raise UserError(self.env._("Please give the reason of the override."))
        if vals["state"] == "resolved":
            for violation in self:
                record = self.env[violation.res_model].browse(violation.res_id).exists()
                if not record or record._compliance_hash() != violation.sudo().values_hash:
                    continue
                failures = record._compliance_failures(violation.trigger)
                if any(f["rule"] == violation.rule_id for f in failures):
                    raise UserError(
                        self.env._(
                            "%(record)s still breaks the rule “%(rule)s” with the same values: "
                            "fix the record first, or override the violation with a reason.",
                            record=violation.record_name,
                            rule=violation.rule_id.name,
                        )
                    )

    def _note_officer_decision(self):
        """Who decided what and why, in the chatter of the record."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for violation in self:
            record = self.env[violation.res_model].browse(violation.res_id).exists()
            if not record:
                continue
            note = self.env._(
                "Violation of “%(rule)s” %(decision)s by %(user)s.",
                rule=violation.rule_id.name,
                decision=labels[violation.state].lower(),
                user=violation.decision_user_id.name,
            )
            if violation.decision_comment:
                note = f"{note} {violation.decision_comment}"
            record._compliance_note(note)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Compliance violations are kept for ever and cannot be deleted.")
        )

    @api.model
    def _failure_values(self, failures, trigger):
        """Values of the violations of ``failures`` (see rule._evaluate), read in the
        current transaction."""
        hashes = {}
        vals_list = []
        now = fields.Datetime.now()
        for failure in failures:
            record = failure["record"]
            if record not in hashes:
                hashes[record] = record._compliance_hash()
            figures = failure.get("credit_figures")
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
                    "partner_id": record._compliance_partner().id,
                    "values_checked": json.dumps(failure["values"], default=str, sort_keys=True),
                    "values_hash": hashes[record],
                    "date": now,
                    "last_attempt_date": now,
                    "value": failure["value"] if isinstance(failure["value"], int | float) else 0,
                    "limit": failure["limit"] if isinstance(failure["limit"], int | float) else 0,
                    "message": failure["message"],
                    "credit_figures_raw": figures
                    and json.dumps(
                        figures,
                        default=str,
                        sort_keys=True,
                    ),
                }
            )
            if figures:
                vals_list[-1].update(
                    value=0.0,
                    limit=0.0,
                    values_checked=json.dumps({"partner": failure["values"].get("partner")}),
                )
        return vals_list

    @api.model
    def _log_failures(self, failures, trigger, count_attempt=True):
        """Log ``failures`` in the current transaction (see :meth:`_log_values`)."""
        if not failures:
            return self.browse()
        return self._log_values(self._failure_values(failures, trigger), count_attempt)

    @api.model
    def _log_values(self, vals_list, count_attempt=True):
        """Create the violations of ``vals_list``, or count one more attempt on the open
        violation of the same rule, record and values. A chatter note is posted on the
        records for the new violations only: repeated clicks do not flood it."""
        Violation = self.sudo()
        existing = Violation.search(
            [
                ("state", "=", "open"),
                ("rule_id", "in", list({vals["rule_id"] for vals in vals_list})),
                ("res_id", "in", list({vals["res_id"] for vals in vals_list})),
                ("values_hash", "in", list({vals["values_hash"] for vals in vals_list})),
            ]
        )
        by_key = {(v.rule_id.id, v.res_model, v.res_id, v.values_hash): v for v in existing}
        seen = Violation
        new_vals = []
        for vals in vals_list:
            key = (vals["rule_id"], vals["res_model"], vals["res_id"], vals["values_hash"])
            if key in by_key:
                seen |= by_key[key]
            else:
                new_vals.append(vals)
        if seen and count_attempt:
            seen._count_attempt()
        created = Violation.create(new_vals)
        for model, model_violations in created.grouped("res_model").items():
            # a record created by the refused transaction is not there to take a note
            targets = self.env[model].browse(set(model_violations.mapped("res_id"))).exists()
            for target in targets:
                target._compliance_post_violations(
                    model_violations.filtered(lambda v, t=target: v.res_id == t.id)
                )
        return (seen | created).with_env(self.env)

    def _refile_under_trigger(self, trigger):
        """File these violations under ``trigger``, for an addon whose own trigger goes
        away (the ``ondelete`` of its ``selection_add`` on ``trigger``): the log outlives
        the trigger. In SQL, as the violations refuse any change but a decision."""
        if trigger not in dict(TRIGGERS):
            raise ValueError(f"{trigger!r} is not a trigger of sales_compliance")
        if not self:
            return
        self.env.cr.execute(
            "UPDATE sales_compliance_violation SET trigger = %s WHERE id = ANY(%s)",
            [trigger, self.ids],
        )
        self.invalidate_recordset(["trigger"])

    def _count_attempt(self):
        """One more attempt on these violations: an atomic increment, so that
        concurrent attempts are all counted."""
        self.env.cr.execute(
            """
            UPDATE sales_compliance_violation
               SET attempt_count = attempt_count + 1,
                   last_attempt_date = %(now)s,
                   write_uid = %(uid)s,
                   write_date = %(now)s
             WHERE id IN %(ids)s
            """,
            {"now": fields.Datetime.now(), "uid": self.env.uid, "ids": tuple(self.ids)},
        )
        self.invalidate_recordset(["attempt_count", "last_attempt_date", "write_uid", "write_date"])

    @api.model
    def _log_failures_apart(self, failures, trigger, refusing):
        """Log ``failures`` in a short-lived transaction of its own, committed at once.

        Called only when the action is about to be refused: the error rolls back the
        current transaction, and the attempts that mattered must stay in the log. The
        values are read here; the other transaction does not see what this one created
        (a new customer...), so links to such records are left empty and the names
        kept (``record_name``). Should the other transaction fail (e.g. a lock held by
        this one), the violations are logged here instead, as before.

        Returns the violations with an outcome in ``refusing``, by id only: this
        transaction may not read what the other one committed.
        """
        vals_list = self._failure_values(failures, trigger)
        try:
            with self.env.registry.cursor() as cr:
                # never wait for a lock this very transaction may hold
                cr.execute("SET LOCAL lock_timeout = '5s'")
                env = api.Environment(cr, self.env.uid, {"lang": self.env.lang}, su=True)
                Violation = env[self._name]
                logged = Violation._log_values(Violation._keep_saved_links(vals_list))
                ids = logged.filtered(lambda v: v.outcome in refusing).ids
        except (psycopg2.Error, UserError) as exc:
            _logger.warning("Compliance violations logged in the refused transaction: %s", exc)
            return self._log_values(vals_list).filtered(lambda v: v.outcome in refusing)
        self.invalidate_model()
        return self.browse(ids)

    @api.model
    def _keep_saved_links(self, vals_list):
        """``vals_list`` without the links to records that do not exist in this
        transaction (one query per target model)."""
        rules = self.env["sales.compliance.rule"].browse({v["rule_id"] for v in vals_list})
        if rules.exists() != rules:
            raise UserError(self.env._("The rules of these violations are not saved."))
        saved = {}
        for name in SNAPSHOT_LINKS:
            comodel = self._fields[name].comodel_name
            saved.setdefault(comodel, set()).update(v[name] for v in vals_list if v.get(name))
        for comodel, ids in saved.items():
            saved[comodel] = set(self.env[comodel].browse(ids).exists().ids)
        return [
            dict(
                vals,
                **{
                    name: False
                    for name in SNAPSHOT_LINKS
                    if vals.get(name) and vals[name] not in saved[self._fields[name].comodel_name]
                },
            )
            for vals in vals_list
        ]

    def _officer_decide(self, state, comment):
        """A decision of a compliance officer; ``write`` checks who may decide and that
        the violation is still open."""
        self.write(
            {
                "state": state,
                "decision_user_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
                "decision_comment": comment or False,
            }
        )

    def action_resolve(self, comment=False):
        """The cause was fixed (officers): refused while it is not."""
        self._officer_decide("resolved", comment)
        return True

    def action_override(self, comment=False):
        """Accepted as an exception (officers), with a reason: the rule lets exactly this
        record through for exactly these values (see ``_compliance_drop_decided``)."""
        self._officer_decide("overridden", comment)
        return True

    def action_open_decision(self):
        """The dialog asking the officer for the reason of the decision."""
        self.ensure_one()
        return self.env["sales.compliance.decision.wizard"]._open_for(
            {
                "default_violation_id": self.id,
                "default_violation_decision": self.env.context.get("decision", "override"),
            }
        )

    def action_open_record(self):
        self.ensure_one()
        return form_action(self.res_model, self.res_id)
