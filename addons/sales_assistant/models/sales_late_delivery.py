import pytz

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.batches import run_batches
from odoo.exceptions import UserError
from odoo.tools import SQL

LATE_DELIVERY_BATCH = 10000


class SalesLateDelivery(models.Model):
    """A delivery of a confirmed order whose promised date passed before it was done.

    Found by the late-delivery cron, one record per picking (a unique constraint, so that
    reruns and several workers never record it twice). The record stays once the goods
    left: it is the history the late-delivery report counts, with the reason the
    salesperson gave."""

    _name = "sales.late.delivery"
    _description = "Late Delivery"
    _order = "due_date desc, id desc"
    _rec_name = "picking_id"

    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", required=True, readonly=True, ondelete="cascade"
    )
    order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="order_id.partner_id", store=True, string="Customer")
    user_id = fields.Many2one(related="order_id.user_id", store=True, string="Salesperson")
    team_id = fields.Many2one(related="order_id.team_id", store=True, string="Sales Team")
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    warehouse_id = fields.Many2one(
        related="picking_id.picking_type_id.warehouse_id", store=True, string="Warehouse"
    )
    due_date = fields.Datetime(
        string="Promised Date",
        required=True,
        readonly=True,
        help="The earlier of the delivery's scheduled date and the order's delivery date, "
        "when the delivery was found late.",
    )
    scheduled_date = fields.Datetime(related="picking_id.scheduled_date")
    date_done = fields.Datetime(related="picking_id.date_done", store=True, string="Delivered On")
    state = fields.Selection(
        [("late", "Late"), ("delivered", "Delivered Late"), ("cancel", "Cancelled")],
        compute="_compute_state",
        store=True,
        index=True,
    )
    days_late = fields.Integer(
        compute="_compute_days_late",
        help="Days between the promised date and the delivery (today while not delivered), "
        "counted in the company's timezone.",
    )
    reason_id = fields.Many2one(
        "sales.delivery.delay.reason", string="Delay Reason", index=True, ondelete="restrict"
    )
    note = fields.Text(string="Delay Note")
    receipt_state = fields.Selection(related="order_id.receipt_state", store=True)

    _sql_constraints = [
        (
            "picking_unique",
            "unique(picking_id)",
            "This delivery is already recorded as late.",
        ),
    ]

    @api.depends("picking_id")
    def _compute_display_name(self):
        # the delivery's name as a many2one shows it: a rep or leader reads the late
        # delivery, not always the stock picking
        for late in self:
            late.display_name = late.picking_id.sudo().display_name or ""

    @api.depends("picking_id.state")
    def _compute_state(self):
        for late in self:
            state = late.picking_id.state
            late.state = {"done": "delivered", "cancel": "cancel"}.get(state, "late")

    @api.depends("due_date", "date_done")
    def _compute_days_late(self):
        now = fields.Datetime.now()
        timezones = {company: pytz.timezone(company._sales_tz()) for company in self.company_id}
        for late in self:
            tz = timezones.get(late.company_id, pytz.utc)
            due, end = (
                pytz.utc.localize(moment).astimezone(tz).date()
                for moment in (late.due_date, late.date_done or now)
            )
            late.days_late = (end - due).days

    def write(self, vals):
        """The salesperson and the sales desk give the reason; the facts (which delivery,
        which order, since when) are the cron's."""
        if not self.env.su and set(vals) - {"reason_id", "note"}:
            raise UserError(
                self.env._("Only the delay reason and note of a late delivery can be changed.")
            )
        result = super().write(vals)
        if vals.get("reason_id"):
            self.order_id._late_delivery_explained()
        return result

    # -- the cron -----------------------------------------------------------------------------

    def _late_candidates_sql(self):
        """Open deliveries of confirmed orders whose promised date (scheduled date, or the
        order's delivery date when earlier) is a day before today, days cut in each
        company's timezone, not yet recorded."""
        tz = self.env["res.company"]._sales_tz_sql(company=SQL("rc.id"))
        return SQL(
            """
              FROM stock_picking p
              JOIN stock_picking_type t ON t.id = p.picking_type_id AND t.code = 'outgoing'
              JOIN sale_order o ON o.id = p.sale_id AND o.state = 'sale'
              JOIN (SELECT rc.id, %(tz)s AS tz FROM res_company rc) company
                ON company.id = o.company_id
             WHERE p.state NOT IN ('done', 'cancel')
               AND (LEAST(p.scheduled_date, o.commitment_date)
                    AT TIME ZONE 'UTC' AT TIME ZONE company.tz)::date
                   < (%(now)s::timestamp AT TIME ZONE 'UTC' AT TIME ZONE company.tz)::date
               AND NOT EXISTS (SELECT FROM sales_late_delivery l WHERE l.picking_id = p.id)
            """,
            tz=tz,
            # the clock of the days late (``_compute_days_late``), not the database's
            now=fields.Datetime.now(),
        )

    @api.model
    def _detect_batch(self, batch_size=LATE_DELIVERY_BATCH):
        """Record one batch of late deliveries, flag their orders, and give each newly
        flagged order's salesperson one activity. Returns (done, remaining).

        Idempotent: a recorded delivery is no candidate any more, and the insert skips a
        delivery another worker recorded meanwhile (``ON CONFLICT``), so a rerun records
        nothing and schedules no second activity."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO sales_late_delivery
                       (picking_id, order_id, partner_id, user_id, team_id, company_id,
                        warehouse_id, due_date, state, create_uid, create_date, write_uid,
                        write_date)
                SELECT p.id, o.id, o.partner_id, o.user_id, o.team_id, o.company_id,
                       t.warehouse_id, LEAST(p.scheduled_date, o.commitment_date), 'late',
                       %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                %(candidates)s
                 ORDER BY p.id
                 LIMIT %(limit)s
                    ON CONFLICT (picking_id) DO NOTHING
             RETURNING order_id
                """,
                uid=self.env.uid,
                candidates=self._late_candidates_sql(),
                limit=batch_size,
            )
        )
        rows = self.env.cr.fetchall()
        order_ids = list({order_id for (order_id,) in rows})
        if order_ids:
            self.env["sale.order"].browse(order_ids)._late_delivery_flag()
        remaining = 0
        if len(rows) >= batch_size:  # a full batch: more may wait
            self.env.cr.execute(SQL("SELECT count(*) %s", self._late_candidates_sql()))
            remaining = self.env.cr.fetchone()[0]
        return len(order_ids), remaining

    @api.model
    def _cron_detect(self):
        """Cron: one batch, committed by the cron runner, which reruns at once while
        late deliveries remain."""
        param = self.env["ir.config_parameter"].sudo().get_param
        batch_size = int(param("sales_assistant.late_delivery_batch", LATE_DELIVERY_BATCH))
        done, remaining = self.sudo()._detect_batch(batch_size or LATE_DELIVERY_BATCH)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _detect_all(self, batch_size=LATE_DELIVERY_BATCH):
        """Every late delivery, batch after batch, in the current transaction (scripts,
        benchmark). Returns the number of orders touched."""
        return run_batches(self._detect_batch, batch_size)
