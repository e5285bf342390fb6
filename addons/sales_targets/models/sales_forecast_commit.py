from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.periods import first_overlap

# The adjustment: written by the team leader or a manager, stamped with who did it.
MANAGER_FIELDS = {"adjusted_commit", "adjusted_best_case", "adjustment_reason"}
# Whose forecast it is, for which period and company, and who adjusted it: once a forecast
# exists its salesperson may not change them, or they could undo their manager's adjustment,
# move it to another person or team, or move it to another month and record a fresh one.
OWNER_FIELDS = {"user_id", "team_id", "adjusted_by_id", "date_from", "date_to", "company_id"}


class SalesForecastCommit(models.Model):
    """A salesperson's commit and best case for a period, adjustable by their manager."""

    _name = "sales.forecast.commit"
    _description = "Sales Forecast Commitment"
    _inherit = ["mail.thread"]
    _order = "date_from desc, user_id"

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
    )
    team_id = fields.Many2one(
        "crm.team", compute="_compute_team_id", store=True, readonly=False, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        required=True, default=lambda self: self.env.company._sales_today().replace(day=1)
    )
    date_to = fields.Date(
        required=True,
        default=lambda self: (
            self.env.company._sales_today().replace(day=1) + relativedelta(months=1, days=-1)
        ),
    )
    commit_amount = fields.Monetary("Commit", tracking=True)
    best_case_amount = fields.Monetary("Best Case", tracking=True)
    adjusted_commit = fields.Monetary("Manager Commit", tracking=True)
    adjusted_best_case = fields.Monetary("Manager Best Case", tracking=True)
    adjustment_reason = fields.Text(tracking=True)
    adjusted_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    final_commit = fields.Monetary(compute="_compute_final", store=True)
    final_best_case = fields.Monetary(compute="_compute_final", store=True)
    weighted_pipeline = fields.Monetary(compute="_compute_weighted_pipeline")

    _sql_constraints = [
        (
            "unique_period",
            "UNIQUE (user_id, date_from, date_to)",
            "A salesperson records one forecast per period.",
        ),
    ]

    @api.depends("user_id", "date_from")
    def _compute_name(self):
        for record in self:
            record.name = f"{record.user_id.name or ''} {record.date_from or ''}"

    @api.depends("user_id", "company_id")
    def _compute_team_id(self):
        for record in self:
            record.team_id = record.user_id and record.user_id._sales_team(record.company_id)

    @api.depends(
        "commit_amount",
        "best_case_amount",
        "adjusted_commit",
        "adjusted_best_case",
        "adjusted_by_id",
    )
    def _compute_final(self):
        for record in self:
            adjusted = bool(record.adjusted_by_id)
            record.final_commit = record.adjusted_commit if adjusted else record.commit_amount
            record.final_best_case = (
                record.adjusted_best_case if adjusted else record.best_case_amount
            )

    def _compute_weighted_pipeline(self):
        if not self:
            return
        start, end = min(self.mapped("date_from")), max(self.mapped("date_to"))
        facts = self.env["crm.lead"]._forecast_facts(start, end, self.company_id)
        for record in self:
            record.weighted_pipeline = sum(
                amount
                for user_id, _team, _company, day, _overlay, amount in facts
                if user_id == record.user_id.id and record.date_from <= day <= record.date_to
            )

    @api.constrains(
        "commit_amount",
        "best_case_amount",
        "adjusted_commit",
        "adjusted_best_case",
        "date_from",
        "date_to",
    )
    def _check_amounts(self):
        for record in self:
            if (
                min(
                    record.commit_amount,
                    record.best_case_amount,
                    record.adjusted_commit,
                    record.adjusted_best_case,
                )
                < 0
            ):
                raise ValidationError(self.env._("A forecast cannot be negative."))
            if record.date_from > record.date_to:
                raise ValidationError(self.env._("The forecast period must end after it starts."))

    @api.constrains("user_id", "date_from", "date_to")
    def _check_overlap(self):
        """One forecast per salesperson and day: a second one over part of the period would
        count the month twice, or stand in for the adjusted one."""
        clash = first_overlap(self, ["user_id"])
        if clash:
            other = clash[1].sudo()
            raise ValidationError(
                self.env._(
                    "%(user)s already has a forecast from %(start)s to %(end)s: a salesperson "
                    "records one forecast per period.",
                    user=other.user_id.name,
                    start=other.date_from,
                    end=other.date_to,
                )
            )

    def _is_leader_of(self):
        """Whether the current user adjusts these forecasts: a manager, or the leader of their
        team, and never the salesperson of one of them (nobody adjusts their own forecast)."""
        user = self.env.user
        if self.env.su:
            return True
        if user in self.user_id:
            return False
        if user.has_group("sales_targets.group_targets_manager"):
            return True
        # the group grants the right; leading the forecast's team makes it theirs
        return user.has_group("sales_targets.group_targets_team_leader") and all(
            record.team_id in user._sales_teams_led() for record in self
        )

    def _changed_owner_fields(self, vals):
        """The OWNER_FIELDS that ``vals`` would change on any of the records."""
        changed = set()
        for name in OWNER_FIELDS & set(vals):
            field = self._fields[name]
            new = field.convert_to_cache(vals[name], self)
            if any(field.convert_to_cache(record[name], record) != new for record in self):
                changed.add(name)
        return changed

    @api.model_create_multi
    def create(self, vals_list):
        if any(MANAGER_FIELDS & set(vals) for vals in vals_list) or any(
            vals.get("adjusted_by_id") for vals in vals_list
        ):
            raise UserError(
                self.env._("Record the forecast first; a manager adjusts it afterwards.")
            )
        commits = super().create(vals_list)
        if not commits._is_leader_of() and any(
            commit.team_id != commit.user_id._sales_team(commit.company_id) for commit in commits
        ):
            raise UserError(
                self.env._(
                    "A forecast counts in its salesperson's team: ask your team leader to "
                    "record it in another team."
                )
            )
        return commits

    def _check_owner_change(self):
        if not self._is_leader_of():
            raise UserError(
                self.env._(
                    "Only the team leader or a manager of the salesperson can change the "
                    "salesperson, the team, the period, the company or the adjustment of a "
                    "forecast: ask your team leader."
                )
            )

    def write(self, vals):
        owner_changes = self._changed_owner_fields(vals)
        if owner_changes:
            self._check_owner_change()
        if MANAGER_FIELDS & set(vals):
            if not self._is_leader_of():
                raise UserError(
                    self.env._(
                        "Only the team leader or a manager can adjust a forecast, and never "
                        "their own: record your own Commit and Best Case, and ask your team "
                        "leader to adjust it."
                    )
                )
            if not (vals.get("adjustment_reason") or all(self.mapped("adjustment_reason"))):
                raise UserError(self.env._("Give the reason for the adjustment."))
            vals = dict(vals, adjusted_by_id=self.env.user.id)
        elif (
            {"commit_amount", "best_case_amount"} & set(vals)
            and any(record.user_id != self.env.user for record in self)
            and not self._is_leader_of()
        ):
            raise UserError(self.env._("You can only record your own forecast."))
        result = super().write(vals)
        if owner_changes or MANAGER_FIELDS & set(vals):
            # as the forecasts are now: still not the writer's own, still of a team they lead
            self._check_owner_change()
        return result
