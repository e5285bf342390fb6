from datetime import timedelta
from operator import eq, ge, gt, le, lt, ne

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.actions import form_action
from odoo.exceptions import UserError
from odoo.tools import SQL

# The cadence looks at a rolling week: the visits done in the last 7 days, today included.
CADENCE_DAYS = 7
OPERATORS = {
    "=": ("=", eq),
    "!=": ("<>", ne),
    "<": ("<", lt),
    "<=": ("<=", le),
    ">": (">", gt),
    ">=": (">=", ge),
}


class CrmLead(models.Model):
    _inherit = "crm.lead"

    visit_frequency = fields.Integer(
        related="stage_id.visit_frequency", string="Visits Expected per Week"
    )
    visit_done_count = fields.Integer(
        "Visits in the Last 7 Days",
        compute="_compute_visit_cadence",
        help="Visits done on this opportunity over the last 7 days, today included.",
    )
    visit_missing_count = fields.Integer(
        "Visits Missing",
        compute="_compute_visit_cadence",
        search="_search_visit_missing_count",
        help="Visits its stage expects over the last 7 days that were not done. Only open "
        "opportunities in a stage with a visit frequency can be behind.",
    )

    @api.model
    def _visit_cadence_sql(self, lead_ids=None):
        """SQL: ``lead_id, done, missing`` of the leads ``lead_ids``, or of every open
        opportunity in a stage with a cadence (the only ones that can miss visits).

        The one computation of the cadence: the field and its search both read it. ``done``
        counts the visits (``mail.activity._sales_visit_domain``) done on the opportunity
        within the last ``CADENCE_DAYS`` days up to the company's today; ``missing`` is how many
        its stage expects beyond them, and 0 for won, archived or lost ones and leads. The
        visits are counted per opportunity through the index on ``mail_activity.res_id``, so
        the cost follows the opportunities, not the activities of the whole database.
        """
        today = self.env.company._sales_today()
        since = today - timedelta(days=CADENCE_DAYS - 1)
        visit_type = self.env["mail.activity"]._sales_visit_type()
        if lead_ids is None:
            where = SQL(
                "l.active AND l.type = 'opportunity' AND s.visit_frequency > 0"
                " AND s.is_won IS NOT TRUE"
            )
        else:
            where = SQL("l.id IN %s", tuple(lead_ids) or (0,))
        return SQL(
            """
            SELECT l.id AS lead_id, v.done,
                   CASE WHEN l.active AND l.type = 'opportunity' AND s.is_won IS NOT TRUE
                        THEN GREATEST(COALESCE(s.visit_frequency, 0) - v.done, 0)
                        ELSE 0 END AS missing
              FROM crm_lead l
         LEFT JOIN crm_stage s ON s.id = l.stage_id
        CROSS JOIN LATERAL (
                SELECT COUNT(*) AS done
                  FROM mail_activity a
                 WHERE a.res_id = l.id AND a.res_model = 'crm.lead' AND a.active IS NOT TRUE
                   AND a.activity_type_id = %(type)s
                   AND a.date_done >= %(since)s AND a.date_done <= %(today)s
              ) v
             WHERE %(where)s
            """,
            type=visit_type.id or 0,
            since=since,
            today=today,
            where=where,
        )

    @api.depends_context("tz")
    @api.depends("stage_id.visit_frequency", "stage_id.is_won", "active", "type")
    def _compute_visit_cadence(self):
        ids = self._origin.ids
        cadence = {}
        if ids:
            self.env.flush_all()
            rows = self.env.execute_query(self._visit_cadence_sql(ids))
            cadence = {lead_id: (done, missing) for lead_id, done, missing in rows}
        for lead in self:
            lead.visit_done_count, lead.visit_missing_count = cadence.get(lead._origin.id, (0, 0))

    def _search_visit_missing_count(self, operator, value):
        if operator not in OPERATORS or not isinstance(value, int) or isinstance(value, bool):
            raise UserError(self.env._("Search visits missing with a number."))
        candidates = self._visit_cadence_sql()
        matching = SQL(
            "(SELECT c.lead_id FROM (%s) c WHERE c.missing %s %s)",
            candidates,
            SQL(OPERATORS[operator][0]),
            value,
        )
        if not OPERATORS[operator][1](0, value):
            return [("id", "in", matching)]
        # the other leads miss no visit, and 0 matches
        others = SQL("(SELECT c.lead_id FROM (%s) c)", candidates)
        return ["|", ("id", "not in", others), ("id", "in", matching)]

    def action_schedule_visit(self):
        """Plan a visit on this opportunity: the activity dialog, with the visit type."""
        self.ensure_one()
        return form_action(
            "mail.activity",
            name=self.env._("Schedule a Visit"),
            target="new",
            context={
                "default_res_model": self._name,
                "default_res_id": self.id,
                "default_activity_type_id": self.env["mail.activity"]._sales_visit_type().id,
                "default_user_id": self.user_id.id or self.env.uid,
            },
        )
