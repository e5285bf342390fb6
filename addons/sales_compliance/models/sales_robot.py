import re
from urllib.parse import parse_qsl, urlsplit

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.robots import mention_mobile as _mobile

# The events a robot may receive: each is a Boolean ``push_<event>`` on the robot. This addon
# pushes approval requests; sales_assistant adds its own events (digest, collections...).
ROBOT_KINDS = [
    ("wecom", "WeCom Group Robot"),
    ("dingtalk", "DingTalk Custom Robot"),
    ("webhook", "Plain Webhook (JSON)"),
]
# The fields the robot's own flow writes (the outbox's sending, the pause and resume
# buttons), through ``_flow_write``: never a plain ``write`` (an RPC client could fake a
# sending robot or hide its failures).
FLOW_FIELDS = {"state", "failure_count", "last_error", "last_error_date"}
ROBOT_FLOW = object()
REDACTED = "***"
SECRET_QUERY = re.compile(r"((?:key|access_token|sign|secret|token)=)[^&\s'\")]+", re.IGNORECASE)


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
        copy=False,
    )
    # the flow's fields are not copied: a duplicate starts sending, with no failure
    failure_count = fields.Integer(
        string="Failures in a Row", readonly=True, help="Reset by a message sent.", copy=False
    )
    last_error = fields.Text(readonly=True, copy=False)
    last_error_date = fields.Datetime(readonly=True, copy=False)
    push_approvals = fields.Boolean(string="Approval Requests", default=True)
    message_ids_outbox = fields.One2many("sales.robot.message", "robot_id", string="Outbox")

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    @api.constrains("url")
    def _check_url(self):
        # the host is not checked against the kind: companies may relay through a proxy
        for robot in self.sudo():
            parts = urlsplit((robot.url or "").strip())
            if parts.scheme not in ("http", "https") or not parts.hostname:
                # the URL holds the robot's key: never repeated in a message
                raise ValidationError(
                    self.env._(
                        "The webhook URL of the robot %s must be an http:// or https:// "
                        "address with a host.",
                        robot.name,
                    )
                )

    @api.constrains("team_id", "company_id")
    def _check_team_company(self):
        for robot in self.sudo():
            if robot.team_id.company_id and robot.team_id.company_id != robot.company_id:
                raise ValidationError(
                    self.env._(
                        "The robot %(robot)s belongs to %(company)s; the sales team "
                        "%(team)s belongs to %(team_company)s. Choose a team of the "
                        "robot's company.",
                        robot=robot.name,
                        company=robot.company_id.name,
                        team=robot.team_id.name,
                        team_company=robot.team_id.company_id.name,
                    )
                )

    @api.constrains("kind", "secret")
    def _check_secret(self):
        for robot in self.sudo():
            if robot.kind == "dingtalk" and robot.secret and not robot.secret.startswith("SEC"):
                raise ValidationError(
                    self.env._(
                        "The signing secret of the DingTalk robot %s must start with "
                        '"SEC", as DingTalk shows it in the robot\'s security settings '
                        "(加签).",
                        robot.name,
                    )
                )

    @api.constrains("rate_limit")
    def _check_rate_limit(self):
        for robot in self:
            if robot.rate_limit < 1:
                raise ValidationError(
                    self.env._(
                        "The robot %s must be allowed at least one message per minute.",
                        robot.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: the flow fields are written by the flow alone
    # ------------------------------------------------------------------
    def _is_flow(self):
        return self.env.context.get("sales_robot_flow") is ROBOT_FLOW

    def _flow_write(self, vals):
        """Writes the flow fields (state, failures, last error) as the robot's own flow:
        the outbox's sending and the pause/resume buttons."""
        return self.with_context(sales_robot_flow=ROBOT_FLOW).write(vals)

    def _refuse_flow_fields(self, vals):
        # server code sending as superuser (the outbox's cron) is the flow too: an RPC
        # client can never be superuser, whatever context it sends
        names = FLOW_FIELDS.intersection(vals)
        if names and not (self._is_flow() or self.env.su):
            raise UserError(
                self.env._(
                    "The state, failures and last error of a robot follow its sending: use "
                    "the Pause and Resume buttons (%s).",
                    ", ".join(sorted(names)),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._refuse_flow_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._refuse_flow_fields(vals)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def _check_admin(self):
        if not self.env.is_system():
            raise AccessError(self.env._("Only administrators manage the group robots."))
        self.check_access("write")

    def action_pause(self):
        """Stop sending: the queued messages wait until the robot is resumed."""
        self._check_admin()
        self.filtered(lambda r: r.state == "active")._flow_write({"state": "paused"})
        return True

    def action_resume(self):
        """Send again, with the failure count reset (the last error stays for reading)."""
        self._check_admin()
        self.filtered(lambda r: r.state == "paused")._flow_write(
            {"state": "active", "failure_count": 0}
        )
        return True

    def action_send_test(self):
        """Queue a test message for this robot (sent by the outbox's cron, as any other)."""
        self._check_admin()
        Message = self.env["sales.robot.message"].sudo()
        now = fields.Datetime.now()
        for robot in self:
            env = self.env(context=dict(self.env.context, lang=robot._message_lang()))
            title = env._("Test message from Odoo")
            body = env._(
                "The robot **%(robot)s** of %(owner)s is set up: it receives the pushes "
                "of Odoo's sales.",
                robot=robot.name,
                owner=robot.team_id.name or robot.company_id.name,
            )
            Message._enqueue(robot, "test", f"test-{robot.id}-{now.isoformat()}", title, body)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("A test message is queued: the outbox sends it shortly."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _redact(self, text):
        """``text`` (an error, a log line) without the robot's secrets: its URL, its path (a
        plain webhook or a relay may hold its token there, which the HTTP libraries repeat
        without the host), its password, the values of its query (WeCom's ``key``,
        DingTalk's ``access_token``, a signature) and the signing secret. The one home of
        the masking: every error stored or logged about a robot goes through it."""
        text = str(text or "")
        for robot in self.sudo():
            url = (robot.url or "").strip()
            parts = urlsplit(url)
            path = parts.path if len(parts.path.strip("/")) > 1 else None
            secrets = [url, robot.secret, parts.password, path]
            secrets += [value for _name, value in parse_qsl(parts.query) if value]
            for secret in sorted(filter(None, secrets), key=len, reverse=True):
                text = text.replace(secret, REDACTED)
        # whatever query a library wrote back (e.g. a signed DingTalk URL): its values go too
        return SECRET_QUERY.sub(r"\1" + REDACTED, text)

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
            # a team without a company serves several: only the robots of ``company``
            robots = Robot.search(
                [("team_id", "=", team.id), ("company_id", "=", company.id), (flag, "=", True)]
            )
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
        return self._push_many(
            event,
            [
                {
                    "key": key,
                    "render": render,
                    "team": team,
                    "company": company,
                    "mention_users": mention_users,
                    "record": record,
                }
            ],
        )

    @api.model
    def _push_many(self, event, pushes):
        """``_push`` for a batch of events of one kind (``pushes``: dicts of ``_push``'s
        arguments): the robots are read once and every message is queued in one INSERT,
        so that a cron's batch costs the same few queries whatever its size."""
        flag = f"push_{event}"
        Robot = self.sudo().with_context(active_test=True)
        if flag not in Robot._fields:
            raise ValueError(f"unknown robot event {event!r}")
        Message = self.env["sales.robot.message"].sudo()
        if not pushes:
            return Message
        receiving = Robot.search([(flag, "=", True)])
        # a team without a company serves several: only the robots of the event's company
        by_team = receiving.filtered("team_id").grouped(lambda r: (r.team_id, r.company_id))
        by_company = receiving.filtered(lambda r: not r.team_id).grouped("company_id")
        langs = {robot: robot._message_lang() for robot in receiving}
        users = (
            self.env["res.users"]
            .sudo()
            .union(*(push.get("mention_users") or self.env["res.users"] for push in pushes))
        )
        # a mention is a mobile's digits only (a mobile typed "@all" mentions nobody)
        mobiles = dict(zip(users.ids, map(_mobile, users.mapped("mobile")), strict=True))
        rows = []
        for push in pushes:
            team = push.get("team")
            company = push.get("company") or (team and team.company_id) or self.env.company
            robots = (team and by_team.get((team.sudo(), company.sudo()))) or by_company.get(
                company.sudo(), Robot.browse()
            )
            if not robots:
                continue
            mention = ",".join(
                mobiles[user.id] for user in push.get("mention_users") or () if mobiles[user.id]
            )
            for lang, lang_robots in robots.grouped(lambda r: langs[r]).items():
                title, markdown = push["render"](
                    self.env(context=dict(self.env.context, lang=lang))
                )
                rows += [
                    (robot, push["key"], title, markdown, mention, push.get("record"))
                    for robot in lang_robots
                ]
        return Message._enqueue_rows(event, rows)
