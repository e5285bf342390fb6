"""A dry-run of a compliance rule: the rule replayed on the records of a past period,
through the engine's own batched evaluation (``sales.compliance.rule._evaluate``), with
nothing written but the dry-run's results: no violation, no approval, no message."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import split_every

from ..tools.defaults import without_readonly_defaults

# Context value of the dry-run's own writes of its results (a Python object: no client
# can send it)
DRY_RUN_FLOW = object()
# Records evaluated at once; the cache is emptied between batches (memory stays flat)
BATCH_SIZE = 2000
# Records tried at most by one dry-run (about a minute of the engine's work)
MAX_RECORDS = 50000
# Written by the run only
RESULT_FIELDS = {"state", "record_count", "line_ids"}
# Set when the dry-run is created; fixed afterwards (the results belong to them)
FIXED_FIELDS = {"rule_id", "company_id"}


class SalesComplianceRuleDryRun(models.Model):
    _name = "sales.compliance.rule.dry.run"
    _description = "Compliance Rule Dry-Run"
    _order = "id desc"

    name = fields.Char(compute="_compute_name")
    rule_id = fields.Many2one(
        "sales.compliance.rule", required=True, ondelete="cascade", index=True, readonly=True
    )
    original_id = fields.Many2one(
        related="rule_id.dry_run_of_id",
        string="Compared With",
        help="The active rule this draft changes: its results are compared with the draft's.",
    )
    model_name = fields.Selection(related="rule_id.model_name")
    trigger = fields.Selection(related="rule_id.trigger")
    outcome = fields.Selection(related="rule_id.outcome")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        help="The records of this company are tried.",
    )
    date_from = fields.Date(
        string="From", required=True, default=lambda self: self._default_date_from()
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: self.env.company._sales_today()
    )
    state = fields.Selection(
        [("draft", "Not Run"), ("done", "Run")], default="draft", required=True, readonly=True
    )
    record_count = fields.Integer(string="Records Tried", readonly=True)
    line_ids = fields.One2many(
        "sales.compliance.rule.dry.run.line", "dry_run_id", string="Results", readonly=True
    )
    hit_count = fields.Integer(string="Hit", compute="_compute_counts")
    block_count = fields.Integer(string="Blocked", compute="_compute_counts")
    warn_count = fields.Integer(string="Warned", compute="_compute_counts")
    approval_count = fields.Integer(string="Sent for Approval", compute="_compute_counts")
    alone_count = fields.Integer(string="This Rule Alone", compute="_compute_counts")
    caught_count = fields.Integer(string="Already Caught", compute="_compute_counts")
    new_only_count = fields.Integer(string="New Only", compute="_compute_counts")
    old_only_count = fields.Integer(string="Old Only", compute="_compute_counts")
    both_count = fields.Integer(string="Both", compute="_compute_counts")

    def _default_date_from(self):
        # the twelve months before today, from the first day of a month
        today = self.env.company._sales_today()
        return today.replace(day=1) - relativedelta(months=11)

    @api.depends("rule_id.name", "date_from", "date_to")
    def _compute_name(self):
        for dry_run in self:
            dry_run.name = f"{dry_run.rule_id.name or ''}: {dry_run.date_from} - {dry_run.date_to}"

    def _compute_counts(self):
        counts = {dry_run.id: {} for dry_run in self}
        groups = self.env["sales.compliance.rule.dry.run.line"]._read_group(
            [("dry_run_id", "in", self.ids)],
            ["dry_run_id", "outcome", "comparison", "change"],
            ["__count"],
        )
        for dry_run, outcome, comparison, change, count in groups:
            totals = counts[dry_run.id]
            keys = [f"{change}_change"] if change else []
            if change != "old":  # hit by the rule tried
                keys += ["hit", outcome, comparison]
            for key in keys:
                totals[key] = totals.get(key, 0) + count
        for dry_run in self:
            totals = counts.get(dry_run.id, {})
            dry_run.hit_count = totals.get("hit", 0)
            dry_run.block_count = totals.get("block", 0)
            dry_run.warn_count = totals.get("warn", 0)
            dry_run.approval_count = totals.get("approval", 0)
            dry_run.alone_count = totals.get("alone", 0)
            dry_run.caught_count = totals.get("caught", 0)
            dry_run.new_only_count = totals.get("new_change", 0)
            dry_run.old_only_count = totals.get("old_change", 0)
            dry_run.both_count = totals.get("both_change", 0)

    # ------------------------------------------------------------------
    # Guards: the rule, the company and the results are the run's
    # ------------------------------------------------------------------
    def _in_flow(self):
        return self.env.context.get("compliance_dry_run_flow") is DRY_RUN_FLOW

    @api.model_create_multi
    def create(self, vals_list):
        # a client's default_state, default_record_count... forge no results
        self = without_readonly_defaults(self)
        if not self._in_flow():
            for vals in vals_list:
                if RESULT_FIELDS & set(vals):
                    raise UserError(self.env._("The results of a dry-run are written by its run."))
        dry_runs = super().create(vals_list)
        dry_runs._check_rule_rights()
        return dry_runs

    def write(self, vals):
        if not self._in_flow():
            if (RESULT_FIELDS | FIXED_FIELDS) & set(vals):
                raise UserError(
                    self.env._(
                        "A dry-run's rule, company and results are not edited: start another "
                        "dry-run from the rule."
                    )
                )
            if {"date_from", "date_to"} & set(vals):
                # another period: the results of the previous one go
                self._clear_results()
        return super().write(vals)

    def _clear_results(self):
        flow = self.with_context(compliance_dry_run_flow=DRY_RUN_FLOW)
        flow.line_ids.sudo().unlink()
        flow.write({"state": "draft", "record_count": 0})

    def _check_rule_rights(self):
        """The rule is one the user may read, of the dry-run's company (or of none). A
        rule with a Python expression is tried by system administrators only, as only
        they write it (the rule it changes too)."""
        self.rule_id.check_access("read")
        for dry_run in self:
            company = dry_run.rule_id.sudo().company_id
            if company and company != dry_run.company_id:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s is a rule of %(company)s: try it in that company.",
                        rule=dry_run.rule_id.sudo().name,
                        company=company.name,
                    )
                )
        if self.env.is_system():
            return
        rules = (self.rule_id | self.original_id).sudo()
        if any(rule.condition_type == "python" for rule in rules):
            raise AccessError(
                self.env._("Only system administrators may try a rule with a Python expression.")
            )

    # ------------------------------------------------------------------
    # The run
    # ------------------------------------------------------------------
    def action_run(self):
        """Replay the rule on the records of the period; write only the results."""
        self.ensure_one()
        self.check_access("write")  # compliance officers of the dry-run's company
        self._check_rule_rights()
        if self.date_from > self.date_to:
            raise UserError(
                self.env._(
                    "The period is reversed: %(start)s is after %(end)s.",
                    start=self.date_from,
                    end=self.date_to,
                )
            )
        # a condition stored around the form (an import, SQL) is checked as on save
        (self.rule_id | self.original_id)._check_condition()
        record_ids = self._period_record_ids()
        if len(record_ids) > MAX_RECORDS:
            raise UserError(
                self.env._(
                    "There are more than %(max)s %(records)s from %(start)s to %(end)s: a "
                    "dry-run tries at most %(max)s records. Choose a shorter period.",
                    max=MAX_RECORDS,
                    records=self._period_label(),
                    start=self.date_from,
                    end=self.date_to,
                )
            )
        if not record_ids:
            raise UserError(
                self.env._(
                    "There are no %(records)s from %(start)s to %(end)s to try the rule on: "
                    "choose another period.",
                    records=self._period_label(),
                    start=self.date_from,
                    end=self.date_to,
                )
            )
        self._clear_results()
        self._replay(record_ids)
        self.with_context(compliance_dry_run_flow=DRY_RUN_FLOW).write(
            {"state": "done", "record_count": len(record_ids)}
        )
        return True

    def _period_label(self):
        if self.model_name == "sale.order" and self.trigger == "confirm":
            return self.env._("sales orders confirmed")
        return self.env._("%s created", self.rule_id._model_label())

    def _period_record_ids(self):
        """The ids of the records the rule is tried on, in id order: orders confirmed in
        the period (their order date) for a confirmation rule, else the records created
        in it; of the dry-run's company (or of none). Days cut in the company's timezone."""
        self.ensure_one()
        company = self.company_id
        try:
            start = company._sales_utc(self.date_from)
            end = company._sales_utc(self.date_to + timedelta(days=1))
        except OverflowError as exc:
            raise UserError(
                self.env._(
                    "The period %(start)s - %(end)s is out of the calendar: choose other days.",
                    start=self.date_from,
                    end=self.date_to,
                )
            ) from exc
        Model = self.env[self.model_name].sudo().with_context(active_test=False)
        date_field = "create_date"
        domain = []
        if self.model_name == "sale.order" and self.trigger == "confirm":
            # Odoo 18 orders have no "done" state: a locked order stays "sale"
            date_field = "date_order"
            domain.append(("state", "=", "sale"))
        field = Model._fields.get(date_field)
        if not (field and field.store and field.type == "datetime"):
            raise UserError(
                self.env._(
                    "Records of “%(model)s” have no creation date: this rule cannot be "
                    "tried on a period.",
                    model=self.rule_id._model_label(),
                )
            )
        domain += [(date_field, ">=", start), (date_field, "<", end)]
        if "company_id" in Model._fields:
            domain += ["|", ("company_id", "=", False), ("company_id", "=", company.id)]
        # one more than the most tried: enough to refuse a period too large
        return Model.search(domain, order="id", limit=MAX_RECORDS + 1).ids

    def _record_day(self, record, tz):
        """The day of ``record`` in the period (company's timezone)."""
        moment = record.create_date
        if self.model_name == "sale.order" and self.trigger == "confirm":
            moment = record.date_order
        return self.env["res.company"]._sales_day(tz, moment)

    def _replay(self, record_ids):
        """Evaluate the rule, the rule it changes and the other active rules of its model
        and trigger on the records, batch by batch, and write the results.

        As Odoo's own confirmations run the rules (superuser for the salesperson, see
        ``_unprivileged_batches``): domains and expressions read with the rights of each
        record's salesperson, a discount ceiling is the salesperson's.
        """
        root = self.env(user=SUPERUSER_ID)
        Rule = root["sales.compliance.rule"]
        new = self.rule_id.with_env(root)
        old = self.original_id.with_env(root)
        others = Rule._get_rules(self.model_name, self.trigger).with_env(root) - new - old
        Model = root[self.model_name]
        Line = self.env["sales.compliance.rule.dry.run.line"].sudo()
        tz = self.company_id._sales_tz()
        approvers = {}  # (level, salesperson, company) -> approvers: a leader looked up once
        for chunk in split_every(BATCH_SIZE, record_ids):
            batch = Model.browse(chunk)
            hits_new = {failure["record"].id: failure for failure in new._evaluate(batch)}
            hits_old = {failure["record"].id: failure for failure in old._evaluate(batch)}
            hit = batch.browse([id_ for id_ in chunk if id_ in hits_new or id_ in hits_old])
            caught = {}  # the other rules matter on the records hit only
            for failure in others._evaluate(hit):
                caught.setdefault(failure["record"].id, []).append(failure["rule"].name)
            Line.create(
                [
                    self._line_values(
                        record,
                        hits_new.get(record.id),
                        hits_old.get(record.id),
                        caught,
                        tz,
                        approvers,
                    )
                    for record in hit
                ]
            )
            # flushes the results and forgets the batch: memory stays flat
            self.env.invalidate_all()

    def _line_values(self, record, new, old, caught, tz, approvers):
        """The result line of ``record``, hit by the rule tried (``new``) or the rule it
        changes (``old``), failures as ``_evaluate`` returns them."""
        failure = new or old
        rule = failure["rule"]
        ownership = record._compliance_ownership_values()
        values = {
            "dry_run_id": self.id,
            "res_model": record._name,
            "res_id": record.id,
            "record_name": record.display_name,
            "salesperson_id": ownership["salesperson_id"],
            "team_id": ownership["team_id"],
            "partner_id": record._compliance_partner().id,
            "date": self._record_day(record, tz),
            "outcome": failure["outcome"],
            "value": _number(failure["value"]),
            "limit": _number(failure["limit"]),
            "message": failure.get("credit_figures", failure)["message"],
            "caught_by": ", ".join(sorted(caught.get(record.id, ()))) or False,
            "comparison": "caught" if caught.get(record.id) else "alone",
        }
        if self.original_id:
            values["change"] = "both" if new and old else ("new" if new else "old")
        if failure["outcome"] == "approval":
            values.update(self._approval_values(rule, record, failure["value"], approvers))
        return values

    def _approval_values(self, rule, record, value, memo):
        """The levels ``record`` would have needed and who they ask: the picking of
        ``sales.compliance.approval._request`` (``_approval_value``, ``_needed``)."""
        levels = rule.level_ids._needed(rule._approval_value(record, value))
        users = self.env["res.users"]
        groups = self.env["res.groups"]
        salesperson = record._compliance_salesperson()
        company = record.company_id if "company_id" in record._fields else False
        for level in levels:
            if level.approver_type == "group":
                groups |= level.group_id
                continue
            key = (level.id, salesperson.id, company and company.id)
            if key not in memo:
                memo[key] = level._get_approvers(record).ids
            users |= users.browse(memo[key])
        return {
            "level_ids": [fields.Command.set(levels.ids)],
            "level_id": levels[-1:].id,
            "approver_ids": [fields.Command.set(users.ids)],
            "approver_group_ids": [fields.Command.set(groups.ids)],
        }

    # ------------------------------------------------------------------
    # Results
    # ------------------------------------------------------------------
    def _results_action(self, name, context=None, domain=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_compliance.action_compliance_rule_dry_run_line"
        )
        action["name"] = name
        action["domain"] = [("dry_run_id", "=", self.id), *(domain or [])]
        action["context"] = {"dry_run_change": bool(self.original_id), **(context or {})}
        return action

    def action_view_results(self):
        return self._results_action(self.env._("Dry-Run Results"))

    def action_view_load(self):
        """The approvers' load: the records each approver or group would have decided."""
        return self._results_action(
            self.env._("Approvers' Load"),
            context={"search_default_group_approver": 1},
            domain=[("outcome", "=", "approval"), ("change", "!=", "old")],
        )


def _number(value):
    return value if isinstance(value, int | float) else 0.0
