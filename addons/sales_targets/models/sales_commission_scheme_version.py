from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sales_commission_scheme import TERM_FIELDS

# who may see and make scenarios, run a what-if and adopt a version (with its approval)
SCENARIO_GROUPS = ("sales_targets.group_targets_manager", "account.group_account_manager")
# what a version pays with: frozen once adopted (its approval is bound to them) or once it
# paid a confirmed statement (bonus clawbacks measure that statement again with them)
FROZEN_FIELDS = (*TERM_FIELDS, "tier_ids", "company_id")


class SalesCommissionScheme(models.Model):
    """Versions of a commission scheme, and what-if scenarios.

    The scheme itself is version 1, valid from the beginning. A scenario is a copy of a
    version (``scenario_source_id``) with changes, replayed on past periods by
    ``sales.commission.whatif``; it never pays. Adopting a scenario (after its approval) makes
    it a version of the scheme, valid from a chosen date: statements from that date on pay
    with it, confirmed statements never change.
    """

    _inherit = "sales.commission.scheme"

    scenario_source_id = fields.Many2one(
        "sales.commission.scheme",
        string="Copied From",
        readonly=True,
        copy=False,
        help="The version this scenario copies: its changes are measured against it.",
    )

    @api.constrains("valid_from", "version_kind", "version_of_id")
    def _check_version_dates(self):
        """Versions of a scheme have distinct dates; a new version starts neither inside a
        confirmed statement's period nor in the middle of any statement's period."""
        for version in self.filtered(lambda v: v.version_kind == "version" and v.version_of_id):
            if not version.valid_from:
                raise ValidationError(self.env._("A new version needs the date it pays from."))
            version._check_version_day(version.valid_from)

    def _check_version_day(self, day):
        """Refuse ``day`` as the first day of this version (or of this scenario once adopted):
        another version starts on it, or a statement of the scheme would change."""
        self.ensure_one()
        root = self.sudo()._root()
        same_day = root.version_ids.filtered(lambda v: v != self and v.valid_from == day)
        if same_day:
            raise ValidationError(
                self.env._(
                    "Version %(number)s of %(scheme)s is already valid from %(day)s: two "
                    "versions cannot start on the same day.",
                    number=same_day[0].version_number,
                    scheme=root.name,
                    day=day,
                )
            )
        self._check_valid_from(day)

    def _check_valid_from(self, day):
        """Refuse ``day`` as a version's first day if a statement of the scheme would change."""
        self.ensure_one()
        root = self.sudo()._root()
        Statement = self.env["sales.commission.statement"].sudo()
        closed = Statement.search(
            [
                ("scheme_id", "=", root.id),
                ("state", "in", ("confirmed", "paid")),
                ("date_to", ">=", day),
            ],
            order="date_to desc",
            limit=1,
        )
        if closed:
            raise ValidationError(
                self.env._(
                    "A version of %(scheme)s cannot pay from %(day)s: the statement %(statement)s "
                    "up to %(end)s is confirmed, and confirmed statements never change. Choose a "
                    "day after %(end)s.",
                    scheme=root.name,
                    day=day,
                    statement=closed.name,
                    end=closed.date_to,
                )
            )
        straddling = Statement.search(
            [("scheme_id", "=", root.id), ("date_from", "<", day), ("date_to", ">=", day)],
            limit=1,
        )
        if straddling:
            raise ValidationError(
                self.env._(
                    "A version of %(scheme)s cannot pay from %(day)s: the statement %(statement)s "
                    "runs from %(start)s to %(end)s, and a statement pays with one version. "
                    "Choose the first day of a period.",
                    scheme=root.name,
                    day=day,
                    statement=straddling.name,
                    start=straddling.date_from,
                    end=straddling.date_to,
                )
            )

    def write(self, vals):
        if set(FROZEN_FIELDS) & set(vals) or "active" in vals:
            self._check_terms_editable(archive="active" in vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_adopted_version(self):
        self._check_terms_editable(archive=True)

    def _check_terms_editable(self, archive=False):
        """Refuse to change the terms of an adopted version (or to archive or delete it),
        and the terms of a version that paid confirmed statements: a change of terms is a
        scenario, adopted as a new version."""
        versions = self.sudo().filtered(lambda s: s.version_kind == "version")
        adopted = versions.filtered("version_of_id")
        if adopted:
            raise UserError(
                self.env._(
                    "Version %(number)s of %(scheme)s was adopted after its approval: its terms "
                    "never change, and it is neither archived nor deleted. Make a scenario of "
                    "it and submit it for adoption.",
                    number=adopted[0].version_number,
                    scheme=adopted[0].version_of_id.name,
                )
            )
        if archive or not versions:
            return
        paid = (
            self.env["sales.commission.statement"]
            .sudo()
            .search(
                [
                    ("state", "in", ("confirmed", "paid")),
                    "|",
                    ("version_id", "in", versions.ids),
                    "&",
                    ("version_id", "=", False),
                    ("scheme_id", "in", versions.ids),
                ],
                limit=1,
            )
        )
        if paid:
            raise UserError(
                self.env._(
                    "%(scheme)s paid confirmed statements (%(statement)s): its terms no longer "
                    "change. Make a scenario of it and submit it for adoption from the next "
                    "period.",
                    scheme=(paid.version_id or paid.scheme_id).display_name,
                    statement=paid.display_name,
                )
            )

    @api.constrains("version_of_id", "company_id")
    def _check_version_of_root(self):
        for scheme in self:
            children = scheme.sudo().with_context(active_test=False).scenario_ids
            if (children | scheme.sudo().version_ids).company_id - scheme.company_id:
                raise ValidationError(
                    self.env._("The versions and scenarios of a scheme stay in its company.")
                )
        for scheme in self.filtered("version_of_id"):
            if scheme.company_id != scheme.version_of_id.company_id:
                raise ValidationError(
                    self.env._("The versions and scenarios of a scheme stay in its company.")
                )
            if scheme.version_of_id.version_of_id:
                raise ValidationError(self.env._("A version belongs to a scheme, not a version."))
            if scheme.sudo().assignment_ids:
                raise ValidationError(
                    self.env._("Assign the scheme, not one of its versions or scenarios.")
                )

    # ------------------------------------------------------------------
    # Scenarios
    # ------------------------------------------------------------------
    def _check_scenario_rights(self):
        if not self.env.su and not any(self.env.user.has_group(g) for g in SCENARIO_GROUPS):
            raise UserError(
                self.env._(
                    "Only sales target managers and finance make commission scenarios and what-ifs."
                )
            )

    def action_new_scenario(self):
        """A draft copy of this version, to change and replay: it never pays."""
        self.ensure_one()
        self._check_scenario_rights()
        if self.version_kind != "version":
            raise UserError(self.env._("Copy a version of the scheme, not a scenario."))
        root = self._root()
        number = len(root.with_context(active_test=False).scenario_ids) + 1
        # a scenario from its creation: finance creates scenarios (and their tiers) only
        scenario = self._version_flow().copy(
            {
                "name": self.env._("%(scheme)s - scenario %(n)s", scheme=root.name, n=number),
                "version_of_id": root.id,
                "version_kind": "scenario",
                "version_number": number,
                "scenario_source_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": scenario.id,
            "view_mode": "form",
            "target": "current",
        }

    def _scenario_changes(self):
        """The terms in which this scenario differs from the version it copies, as labels."""
        self.ensure_one()
        source = self.sudo().scenario_source_id
        changes = [
            self._fields[name].get_description(self.env)["string"]
            for name in TERM_FIELDS
            if self[name] != source[name]
        ]

        def tiers(scheme):
            return [(t.from_pct, t.to_pct, t.rate) for t in scheme.tier_ids.sorted("from_pct")]

        if tiers(self) != tiers(source):
            changes.append(self._fields["tier_ids"].get_description(self.env)["string"])
        return changes

    def _check_scenario_changes(self):
        for scenario in self:
            if scenario.version_kind != "scenario":
                raise UserError(self.env._("%s is not a scenario.", scenario.display_name))
            if not scenario._scenario_changes():
                raise UserError(
                    self.env._(
                        "Scenario %s changes nothing from the version it copies: change a "
                        "tier, a rate, the threshold, the accelerator, the cap or the base.",
                        scenario.display_name,
                    )
                )

    def _adopt(self, valid_from):
        """Make this scenario a version of its scheme, paying from ``valid_from``. The caller
        holds the approval (``sales_commission_scheme_adoption.py``)."""
        self.ensure_one()
        self._check_scenario_changes()
        root = self.sudo()._root()
        number = max((root | root.version_ids).mapped("version_number")) + 1
        self._check_valid_from(valid_from)
        self.sudo()._version_write(
            {"version_kind": "version", "valid_from": valid_from, "version_number": number}
        )
        root.message_post(
            body=self.env._(
                "Version %(number)s (%(name)s) pays from %(day)s.",
                number=number,
                name=self.name,
                day=valid_from,
            )
        )
        return True
