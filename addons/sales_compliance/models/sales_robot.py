from odoo import api, fields, models

# The events a robot may receive: each is a Boolean ``push_<event>`` on the robot. This addon
# pushes approval requests; sales_assistant adds its own events (digest, collections...).
ROBOT_KINDS = [
    ("wecom", "WeCom Group Robot"),
    ("dingtalk", "DingTalk Custom Robot"),
    ("webhook", "Plain Webhook (JSON)"),
]


class SalesRobot(models.Model):
    """A group robot of 企业微信 (WeCom) or 钉钉 (DingTalk), or a plain JSON webhook, that
    receives a sales team's pushes (or a company's, for the teams without a robot of their
    own for that event).

    Messages never go out from the event's transaction: ``_push`` queues them in the outbox
    (``sales.robot.message``), whose cron sends them (rate limits, retries, pausing)."""

    _name = "sales.robot"
    _description = "Group Robot"
    _inherit = ["mail.thread"]
    _order = "company_id, team_id, name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    kind = fields.Selection(ROBOT_KINDS, required=True, default="wecom", tracking=True)
    # the webhook URL holds the robot's key (WeCom's ?key=, DingTalk's access_token): a secret
    url = fields.Char(string="Webhook URL", required=True, groups="base.group_system")
    secret = fields.Char(
        string="Signing Secret",
        groups="base.group_system",
        help="DingTalk: the secret of the robot's signing (加签) security setting.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index=True,
        tracking=True,
        help="Empty: the company's robot, for the teams without a robot of their own.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    lang = fields.Selection(
        "_lang_selection",
        string="Language",
        help="The language of the messages; empty: the team leader's, else the company's.",
    )
    rate_limit = fields.Integer(
        string="Messages per Minute",
        default=20,
        help="DingTalk accepts 20 messages a minute per robot; WeCom 20 as well.",
    )
    state = fields.Selection(
        [("active", "Sending"), ("paused", "Paused")],
        default="active",
        required=True,
        readonly=True,
        tracking=True,
    )
    failure_count = fields.Integer(
        string="Failures in a Row", readonly=True, help="Reset by a message sent."
    )
    last_error = fields.Text(readonly=True)
    last_error_date = fields.Datetime(readonly=True)
    push_approvals = fields.Boolean(string="Approval Requests", default=True)
    message_ids_outbox = fields.One2many("sales.robot.message", "robot_id", string="Outbox")

    @api.model
    def _lang_selection(self):
        return self.env["res.lang"].get_installed()

    def _message_lang(self):
        """The language the robot's messages are written in."""
        self.ensure_one()
        return (
            self.lang
            or self.team_id.user_id.lang
            or self.company_id.partner_id.lang
            or self.env.lang
            or "en_US"
        )

    @api.model
    def _robots_for(self, event, team=None, company=None):
        """The sending robots that receive ``event`` for ``team`` (its own robots), else for
        its company (the company's robots, without a team); ``company`` without a team."""
        flag = f"push_{event}"
        Robot = self.sudo().with_context(active_test=True)
        if flag not in Robot._fields:
            raise ValueError(f"unknown robot event {event!r}")
        company = company or (team and team.company_id) or self.env.company
        if team:
            robots = Robot.search([("team_id", "=", team.id), (flag, "=", True)])
            if robots:
                return robots
        return Robot.search(
            [("team_id", "=", False), ("company_id", "=", company.id), (flag, "=", True)]
        )

    @api.model
    def _push(self, event, key, render, team=None, company=None, mention_users=None, record=None):
        """Queue ``event`` for the robots that receive it (see ``_robots_for``).

        :param key: the event's idempotency key (e.g. ``approval-12-step-3``): a robot gets a
            key once, however often the event is pushed, even from two workers at once.
        :param render: ``render(env)`` returns ``(title, markdown)`` in ``env``'s language
            (the robot's, see ``_message_lang``).
        :param mention_users: ``res.users`` to @-mention (by their mobile numbers).
        :param record: the record the message is about (shown on the outbox line).
        :return: the queued messages (new ones only).
        """
        robots = self._robots_for(event, team=team, company=company)
        Message = self.env["sales.robot.message"].sudo()
        queued = Message
        for lang, lang_robots in robots.grouped(lambda r: r._message_lang()).items():
            title, markdown = render(self.env(context=dict(self.env.context, lang=lang)))
            queued |= Message._enqueue(
                lang_robots, event, key, title, markdown, mention_users=mention_users, record=record
            )
        return queued
