from odoo import api, fields, models
from odoo.tools import SQL


class SalesRobotMessage(models.Model):
    """The outbox of the group robots: one message for one robot, queued by
    ``sales.robot._push`` and sent by the cron (``_cron_send``).

    ``key`` is the event's idempotency key: unique per robot, so that an event queued twice
    (a retried transaction, two workers) is sent once. Messages are never deleted by the
    sending: a failure stays with its error."""

    _name = "sales.robot.message"
    _description = "Group Robot Message"
    _order = "id desc"
    _rec_name = "title"

    robot_id = fields.Many2one(
        "sales.robot", required=True, readonly=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="robot_id.company_id", store=True)
    event = fields.Char(required=True, readonly=True, index=True)
    key = fields.Char(string="Idempotency Key", required=True, readonly=True)
    title = fields.Char(readonly=True)
    body = fields.Text(string="Markdown", readonly=True)
    mention_mobiles = fields.Char(
        readonly=True, help="Mobile numbers to @-mention, comma-separated."
    )
    res_model = fields.Char(string="Model", readonly=True)
    res_id = fields.Many2oneReference(model_field="res_model", readonly=True)
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    attempts = fields.Integer(readonly=True)
    next_attempt_at = fields.Datetime(
        readonly=True, default=fields.Datetime.now, index=True, string="Next Attempt"
    )
    sent_at = fields.Datetime(readonly=True)
    last_error = fields.Text(readonly=True)

    _sql_constraints = [
        ("key_unique", "UNIQUE(robot_id, key)", "A robot gets an event once."),
    ]

    @api.model
    def _enqueue(self, robots, event, key, title, markdown, mention_users=None, record=None):
        """Queue one message per robot; a robot that already has ``key`` gets nothing (one
        INSERT ... ON CONFLICT DO NOTHING: safe with two workers). Returns the new ones."""
        if not robots:
            return self.browse()
        mobiles = ",".join(
            m for m in (mention_users or self.env["res.users"]).sudo().mapped("mobile") if m
        )
        now = fields.Datetime.now()
        rows = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, 'queued', 0, %s, %s, %s, %s, %s)",
                robot.id,
                robot.company_id.id,
                event,
                key,
                title,
                markdown,
                mobiles or None,
                record._name if record else None,
                record.id if record else None,
                now,
                self.env.uid,
                now,
                self.env.uid,
                now,
            )
            for robot in robots
        ]
        self.env.cr.execute(
            SQL(
                """INSERT INTO sales_robot_message
                       (robot_id, company_id, event, key, title, body, mention_mobiles,
                        res_model, res_id, state, attempts, next_attempt_at,
                        create_uid, create_date, write_uid, write_date)
                   VALUES %s
                   ON CONFLICT (robot_id, key) DO NOTHING
                   RETURNING id""",
                SQL(", ").join(rows),
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _cron_send(self):
        """Send the due messages in batches (see the delivery's implementation)."""
        raise NotImplementedError
