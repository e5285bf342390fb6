import logging

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, mute_logger

_logger = logging.getLogger(__name__)

# Fields of an approved plan that may change without a revision.
FREE_FIELDS = {"name", "achievement_refreshed_at", "description"}
# Context value with which the workflow actions change a plan's state. A plain object: no
# client can send it, so a state change always goes through the actions (and their revisions).
_STATE_CHANGE = object()
_STATE_CHANGE_KEY = "sales_target_plan_state_change"


class SalesTargetPlan(models.Model):
    _name = "sales.target.plan"
    _description = "Sales Target Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"

    name = fields.Char(required=True, tracking=True)
    description = fields.Text()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, tracking=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(required=True, tracking=True)
    date_to = fields.Date(required=True, tracking=True)
    metric_ids = fields.Many2many("sales.target.metric", string="Metrics", required=True)
    manager_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="Responsible for the plan. Its generic metrics may only read what this user may read.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("locked", "Locked")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    target_ids = fields.One2many("sales.target", "plan_id", string="Targets")
    target_count = fields.Integer(compute="_compute_target_count")
    revision_ids = fields.One2many("sales.target.revision", "plan_id", string="Revisions")
    achievement_refreshed_at = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("date_check", "CHECK (date_from <= date_to)", "The plan must end after it starts."),
    ]

    def _compute_target_count(self):
        counts = dict(
            self.env["sales.target"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.target_count = counts.get(plan, 0)

    # ------------------------------------------------------------------
    # Protection
    # ------------------------------------------------------------------
    def _check_editable(self, reason=None):
        """Raise when targets of these plans may not change; return plans needing a revision.

        Unlocking and the Revise button are a manager's: anyone else is told to ask one.
        """
        manager = self.env.su or self.env.user.has_group("sales_targets.group_targets_manager")
        locked = self.filtered(lambda p: p.state == "locked")
        if locked:
            raise UserError(
                self.env._(
                    "Plan %s is locked: unlock it before changing it.", locked[0].display_name
                )
                if manager
                else self.env._(
                    "Plan %s is locked: ask your sales targets manager to unlock it and revise "
                    "the target.",
                    locked[0].display_name,
                )
            )
        approved = self.filtered(lambda p: p.state == "approved")
        if approved and not (reason and manager):
            raise UserError(
                self.env._(
                    "Plan %s is approved: give a reason for the change with the Revise button.",
                    approved[0].display_name,
                )
                if manager
                else self.env._(
                    "Plan %s is approved: only a sales targets manager changes its targets. Ask "
                    "your manager to revise the target.",
                    approved[0].display_name,
                )
            )
        return approved

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("state", "draft") != "draft" for vals in vals_list):
            raise UserError(self.env._("A target plan starts as a draft."))
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and self.env.context.get(_STATE_CHANGE_KEY) is not _STATE_CHANGE:
            if any(plan.state != vals["state"] for plan in self):
                raise UserError(
                    self.env._(
                        "Change the state of a plan with its buttons (Approve, Lock, Unlock, "
                        "Back to Draft)."
                    )
                )
        changed = {
            name
            for name in set(vals) - FREE_FIELDS - {"state"}
            if not name.startswith(("message_", "activity_"))
        }
        if changed:
            reason = self.env.context.get("target_revision_reason")
            approved = self._check_editable(reason)
            for plan in approved:
                self.env["sales.target.revision"].create(
                    {
                        "plan_id": plan.id,
                        "reason": reason,
                        "change": ", ".join(plan._fields[name].string for name in sorted(changed)),
                    }
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("Only draft plans can be deleted."))

    @api.constrains("date_from", "date_to")
    def _check_targets_inside(self):
        for plan in self:
            outside = plan.target_ids.filtered(
                lambda t, p=plan: t.date_from < p.date_from or t.date_to > p.date_to
            )
            if outside:
                raise ValidationError(
                    self.env._("Target %s falls outside the plan's dates.", outside[0].display_name)
                )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.user.has_group("sales_targets.group_targets_manager"):
            raise UserError(
                self.env._(
                    "Only sales target managers approve, lock or reopen a plan: ask your manager."
                )
            )

    def _set_state(self, state):
        self.with_context(**{_STATE_CHANGE_KEY: _STATE_CHANGE}).write({"state": state})

    def action_approve(self):
        self._check_manager()
        self.filtered(lambda p: p.state == "draft")._set_state("approved")

    def action_lock(self):
        self._check_manager()
        self.filtered(lambda p: p.state == "approved")._set_state("locked")

    def action_unlock(self):
        self._check_manager()
        for plan in self.filtered(lambda p: p.state == "locked"):
            self.env["sales.target.revision"].create(
                {
                    "plan_id": plan.id,
                    "reason": self.env._("Plan unlocked"),
                    "change": self.env._("State"),
                }
            )
            plan._set_state("approved")

    def action_reset_draft(self):
        self._check_manager()
        self.filtered(lambda p: p.state == "approved")._set_state("draft")

    def action_generate_top_targets(self):
        """Create one company target per metric covering the whole plan."""
        for plan in self:
            existing = plan.target_ids.filtered(lambda t: not t.parent_id).metric_id
            vals = [
                {
                    "plan_id": plan.id,
                    "metric_id": metric.id,
                    "assignee_type": "company",
                    "date_from": plan.date_from,
                    "date_to": plan.date_to,
                    "target_value": 0.0,
                }
                for metric in plan.metric_ids - existing
            ]
            self.env["sales.target"].create(vals)
        return True

    def action_view_targets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_targets.action_sales_target")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action

    def action_refresh_achievement(self):
        """Refresh every target of the plans: set-based SQL over the whole plan, for managers
        (salespeople refresh their own targets from the targets, see sales.target)."""
        if not self.env.user.has_group("sales_targets.group_targets_manager"):
            raise UserError(
                self.env._(
                    "Only sales target managers refresh a whole plan: refresh your own targets "
                    "from My Targets, or ask your manager."
                )
            )
        self._recompute_achievements()
        return True

    @api.constrains("metric_ids", "manager_id")
    def _check_generic_metrics(self):
        for plan in self:
            plan.metric_ids._check_generic_readable(plan.manager_id)

    # ------------------------------------------------------------------
    # Achievement
    # ------------------------------------------------------------------
    def _recompute_achievements(self, today=None, targets=None):
        """Recompute the achievement of every target of the plans (of ``targets`` only, for a
        salesperson's own refresh): see ``sales.target._recompute_plan_achievements``."""
        return self.env["sales.target"]._recompute_plan_achievements(self, today, targets)

    @api.model
    def _cron_recompute_achievements(self, batch_size=None):
        """Refresh running plans not refreshed in the last hour, a batch at a time.

        Rows are locked with SKIP LOCKED so that several workers share the work without
        computing the same plan twice; recomputing is idempotent. The cron framework calls
        again while ``remaining`` is positive.
        """
        batch_size = batch_size or int(
            self.env["ir.config_parameter"].sudo().get_param("sales_targets.cron_batch_size", 20)
        )
        limit_date = self.env.company._sales_today() - relativedelta(months=1)
        stale = fields.Datetime.subtract(fields.Datetime.now(), hours=1)
        self.flush_model()
        domain = [
            ("state", "in", ("approved", "locked")),
            ("date_to", ">=", limit_date),
            "|",
            ("achievement_refreshed_at", "=", False),
            ("achievement_refreshed_at", "<", stale),
        ]
        try:
            # A twin run on another worker may have refreshed some of these plans since this
            # transaction began: PostgreSQL then refuses to lock them (serialization
            # failure). Stop here instead of failing (Odoo deactivates a failing cron): the
            # twin, or the next run, goes on with the plans still stale.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """
                        SELECT id FROM sales_target_plan
                         WHERE state IN ('approved', 'locked') AND date_to >= %s
                           AND (achievement_refreshed_at IS NULL
                                OR achievement_refreshed_at < %s)
                         ORDER BY achievement_refreshed_at ASC NULLS FIRST, id
                         LIMIT %s
                         FOR UPDATE SKIP LOCKED
                        """,
                        limit_date,
                        stale,
                        batch_size,
                    )
                )
                plan_ids = [row[0] for row in self.env.cr.fetchall()]
        except psycopg2.errors.SerializationFailure:
            _logger.info("Sales targets: plans refreshed meanwhile by another worker; stopping")
            return self.browse()
        plans = self.browse(plan_ids)
        plans._recompute_achievements()
        remaining = self.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(plans), remaining=remaining)
        _logger.info("Sales targets: refreshed %s plans, %s left", len(plans), remaining)
        return plans
