import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import psycopg2
import requests

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, mute_logger

from ..tools.robots import mention_mobile as _mobile

_logger = logging.getLogger(__name__)

# The services' answers that mean "later, not never": WeCom 45009 (api freq out of limit) and
# -1 (system busy), DingTalk 130101 (send too fast). Any other non-zero errcode is final
# (WeCom 93000 invalid webhook url, DingTalk 310000 sign not match / keywords, 300001 token).
RETRY_ERRCODES = frozenset({-1, 45009, 130101})
# ir.config_parameter ``sales_compliance.<name>``, with their defaults
OUTBOX_PARAMS = {
    "robot_timeout": 5.0,  # seconds the cron waits for a service's answer
    "robot_max_attempts": 8,  # attempts of a message before it fails
    "robot_backoff_cap": 60,  # minutes: the longest wait between two attempts
    "robot_pause_after": 5,  # failures in a row that pause a robot
    "robot_keep_days": 90,  # days a sent or cancelled message stays in the outbox
}
# a URL's secrets (WeCom's key, DingTalk's access_token and sign) are never shown


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
    sent_at = fields.Datetime(readonly=True, index=True)
    parts_sent = fields.Integer(
        readonly=True, help="Parts of a long message already delivered (not sent again)."
    )
    last_error = fields.Text(readonly=True)

    _sql_constraints = [
        ("key_unique", "UNIQUE(robot_id, key)", "A robot gets an event once."),
    ]

    @api.model
    def _enqueue(self, robots, event, key, title, markdown, mention_users=None, record=None):
        """Queue one message per robot; a robot that already has ``key`` gets nothing (one
        INSERT ... ON CONFLICT DO NOTHING: safe with two workers). Returns the new ones."""
        mobiles = ",".join(
            m
            for m in map(_mobile, (mention_users or self.env["res.users"]).sudo().mapped("mobile"))
            if m
        )
        return self._enqueue_rows(
            event, [(robot, key, title, markdown, mobiles, record) for robot in robots]
        )

    @api.model
    def _enqueue_rows(self, event, rows):
        """Queue ``rows`` of ``(robot, key, title, markdown, mobiles, record)`` in one INSERT;
        a robot that already has a key gets nothing. Returns the new messages."""
        if not rows:
            return self.browse()
        now = fields.Datetime.now()
        due = self._outbox_now()  # the outbox's one clock
        values = [
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
                due,
                self.env.uid,
                now,
                self.env.uid,
                now,
            )
            for robot, key, title, markdown, mobiles, record in rows
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
                SQL(", ").join(values),
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _cron_vacuum(self, batch_size=5000):
        """Delete the messages sent or cancelled more than ``robot_keep_days`` ago, a batch
        at a time (the cron goes on with the rest). Queued and failed ones stay: nothing
        waiting or failed is lost. The events are one-off (a request's step, a day's
        digest, a reminder's level), so a key gone with its message is never pushed again."""
        keep = self._outbox_param("robot_keep_days")
        before = self._outbox_now() - timedelta(days=keep)
        self.flush_model(["state", "sent_at"])
        self.env.cr.execute(
            SQL(
                """DELETE FROM sales_robot_message
                    WHERE id IN (
                        SELECT id FROM sales_robot_message
                         WHERE state IN ('sent', 'cancelled')
                           AND COALESCE(sent_at, write_date) < %s
                         ORDER BY id
                         LIMIT %s
                           FOR UPDATE SKIP LOCKED)""",
                before,
                batch_size,
            )
        )
        done = self.env.cr.rowcount
        self.invalidate_model()
        self.env["ir.cron"]._notify_progress(
            done=done, remaining=batch_size if done == batch_size else 0
        )
        return done

    # -- the delivery ----------------------------------------------------------------------------
    @api.model
    def _outbox_now(self):
        """The outbox's clock (a benchmark replaces it to measure apart from the waiting)."""
        return fields.Datetime.now()

    @api.model
    def _outbox_param(self, name):
        default = OUTBOX_PARAMS[name]
        value = self.env["ir.config_parameter"].sudo().get_param(f"sales_compliance.{name}")
        try:
            value = type(default)(value) if value else default
        except ValueError:
            return default
        return value if value > 0 else default

    @api.model
    def _cron_send(self, batch_size=100, robots_per_batch=5, time_budget=50.0):
        """Cron: send the due messages, batch after batch, each batch committed (outside
        tests, as Odoo's mail queue does). Two workers never take the same message nor the
        same robot (``FOR UPDATE SKIP LOCKED``), which keeps each robot's rate limit whole.
        Returns the number of messages handled."""
        # as Odoo's mail queue: no commit in a test's thread (its transaction); a worker
        # thread a test starts on a cursor of its own commits as a cron does
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        started = time.monotonic()
        done = conflicts = 0
        while time.monotonic() - started < time_budget:
            try:
                handled = self._send_batch(batch_size, robots_per_batch)
            except psycopg2.errors.SerializationFailure:
                # another worker changed these rows after this transaction began: the next
                # transaction sees them as they are now
                if not auto_commit:
                    raise
                self.env.cr.rollback()
                self.env.invalidate_all()
                conflicts += 1
                if conflicts > 3:
                    break
                continue
            if auto_commit:
                # each batch is kept once sent, as Odoo's mail queue does: what reached the
                # services must be recorded as sent even if a later batch fails
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if not handled:
                break
            done += handled
        # a paused robot's messages wait for its Resume, not for the next run
        remaining = self.search_count(
            [
                ("state", "=", "queued"),
                ("next_attempt_at", "<=", self._outbox_now()),
                ("robot_id.state", "=", "active"),
                ("robot_id.active", "=", True),
            ]
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _send_batch(self, batch_size=100, robots_per_batch=5):
        """Claim and send one batch; returns the number of messages handled (sent, failed,
        deferred), 0 when nothing is due."""
        now = self._outbox_now()
        claimed, quotas = self._claim_batch(now, batch_size, robots_per_batch)
        if not claimed:
            return 0
        timeout = self._outbox_param("robot_timeout")
        pause_after = self._outbox_param("robot_pause_after")
        # the requests are built here (ORM); only the HTTP round trips run in threads, one
        # per robot (a robot's messages keep their order), so that a slow service does not
        # hold the others
        plans = [
            (robot, robot._outbox_prepare(messages), robot.failure_count)
            for robot, messages in claimed.items()
        ]
        with ThreadPoolExecutor(max_workers=min(len(plans), 8)) as pool:
            futures = [
                (
                    robot,
                    pool.submit(
                        self._post_plan, plan, failures, pause_after, timeout, quotas[robot.id]
                    ),
                )
                for robot, plan, failures in plans
            ]
            results = [(robot, future.result()) for robot, future in futures]
        return sum(robot._outbox_record(outcomes, now) for robot, outcomes in results)

    @classmethod
    def _post_plan(cls, plan, failures, pause_after, timeout, quota=None):
        """Post one robot's messages in order (no ORM here: it runs in a thread):
        ``[(message, outcome, error, parts delivered)]``, stopping at a retryable failure
        (the service is down or busy), when the failures in a row reach ``pause_after``, or
        before a message whose requests (its parts, WeCom's mention) would pass ``quota``,
        the requests the robot's rate limit has left this minute (the services count
        requests, not messages); the messages left wait for the next batch."""
        results = []
        posted = 0
        with requests.Session() as session:
            for message, parts, delivered in plan:
                if quota is not None and results and posted + len(parts) - delivered > quota:
                    break
                posted += len(parts) - delivered
                outcome, error = "sent", False
                for url, headers, body in parts[delivered:]:
                    outcome, error = cls._post(session, url, headers, body, timeout)
                    if outcome != "sent":
                        break
                    delivered += 1
                results.append((message, outcome, error, delivered))
                if outcome == "sent":
                    failures = 0
                    continue
                failures += 1
                if outcome == "retry" or failures >= pause_after:
                    break
        return results

    @api.model
    def _claim_batch(self, now, batch_size, robots_per_batch):
        """Lock the sending robots with due messages (skipping those another worker holds),
        defer the messages of the robots whose rate limit is reached, and lock the due
        messages within the others' limits: ``{robot: messages}`` (sudo), robots taken in
        turn so that one robot's backlog does not hold the others."""
        cr = self.env.cr
        self.env.flush_all()
        with mute_logger("odoo.sql_db"):
            cr.execute(
                SQL(
                    """SELECT r.id FROM sales_robot r
                        WHERE r.active AND r.state = 'active'
                          AND r.id IN (SELECT robot_id FROM sales_robot_message
                                        WHERE state = 'queued' AND next_attempt_at <= %s)
                        ORDER BY r.id
                        LIMIT %s
                        FOR UPDATE OF r SKIP LOCKED""",
                    now,
                    robots_per_batch,
                )
            )
        robots = self.env["sales.robot"].sudo().browse([row[0] for row in cr.fetchall()])
        if not robots:
            return {}, {}
        window = now - timedelta(seconds=60)
        cr.execute(
            SQL(
                """SELECT robot_id, sum(GREATEST(parts_sent, 1)), min(sent_at)
                     FROM sales_robot_message
                    WHERE robot_id = ANY(%s) AND state = 'sent' AND sent_at > %s
                    GROUP BY robot_id""",
                robots.ids,
                window,
            )
        )
        recent = {robot_id: (count, oldest) for robot_id, count, oldest in cr.fetchall()}
        # ``count``: the requests of the minute (a message's parts and WeCom's mention each
        # count for the services' limits)
        quotas = {}
        for robot in robots:
            count, oldest = recent.get(robot.id, (0, None))
            limit = robot.rate_limit if robot.rate_limit > 0 else 20
            if count >= limit:
                # the limit frees a place when the oldest message of the minute leaves it
                self._defer_due(robot, now, oldest + timedelta(seconds=60))
            else:
                quotas[robot.id] = limit - count
        if not quotas:
            return {}, {}
        with mute_logger("odoo.sql_db"):
            cr.execute(
                SQL(
                    """SELECT m.id FROM sales_robot_message m
                        WHERE m.id IN (
                            SELECT ranked.id FROM (
                                SELECT id, robot_id, row_number() OVER (
                                    PARTITION BY robot_id ORDER BY next_attempt_at, id) AS rn
                                  FROM sales_robot_message
                                 WHERE robot_id = ANY(%s) AND state = 'queued'
                                   AND next_attempt_at <= %s) ranked
                              JOIN unnest(%s::int[], %s::int[]) AS quota(robot_id, n)
                                ON quota.robot_id = ranked.robot_id
                             WHERE ranked.rn <= quota.n
                             ORDER BY ranked.rn, ranked.id
                             LIMIT %s)
                        ORDER BY m.next_attempt_at, m.id
                        FOR UPDATE SKIP LOCKED""",
                    list(quotas),
                    now,
                    list(quotas),
                    list(quotas.values()),
                    batch_size,
                )
            )
        messages = self.sudo().browse([row[0] for row in cr.fetchall()])
        return messages.grouped("robot_id"), quotas

    @api.model
    def _defer_due(self, robot, now, until):
        """Move the due messages of ``robot`` to ``until`` (nothing is lost: they wait)."""
        self.env.cr.execute(
            SQL(
                """UPDATE sales_robot_message SET next_attempt_at = %s
                    WHERE robot_id = %s AND state = 'queued' AND next_attempt_at <= %s""",
                until,
                robot.id,
                now,
            )
        )
        self.invalidate_model(["next_attempt_at"])

    @staticmethod
    def _post(session, url, headers, body, timeout):
        """One HTTP round trip: ``(outcome, error)``, outcome being "sent", "retry" (later:
        timeout, connection, 5xx, the services' rate limits) or "final"."""
        try:
            # never where the receiver redirects: an address nobody set (an internal one)
            response = session.post(
                url, data=body, headers=headers, timeout=timeout, allow_redirects=False
            )
        except requests.Timeout:
            return "retry", f"No answer within {timeout:g} s"
        except requests.ConnectionError as exc:
            return "retry", f"Connection failed: {exc}"
        except requests.RequestException as exc:
            return "final", f"Request refused: {exc}"
        status = response.status_code
        if status >= 500 or status == 429:
            return "retry", f"HTTP {status}"
        if status >= 400:
            return "final", f"HTTP {status}: {response.text[:200]}"
        if status >= 300:
            return "final", f"HTTP {status}: a redirect, not followed (set the robot's final URL)"
        try:
            answer = response.json()
        except ValueError:
            answer = None
        errcode = answer.get("errcode") if isinstance(answer, dict) else None
        if not errcode:
            return "sent", False
        error = f"{errcode} {answer.get('errmsg') or ''}".strip()
        return ("retry" if errcode in RETRY_ERRCODES else "final"), error

    # -- the admin's buttons -------------------------------------------------------------------
    def _check_outbox_admin(self):
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only administrators manage the robots' outbox."))

    def _lock_for_action(self):
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM sales_robot_message WHERE id = ANY(%s) FOR UPDATE NOWAIT",
                        self.ids,
                    )
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._("These messages are being sent right now: try again in a minute.")
            ) from None

    def action_retry(self):
        """Queue failed messages again, with a full set of attempts."""
        self._check_outbox_admin()
        if any(message.state != "failed" for message in self):
            raise UserError(self.env._("Only failed messages can be retried."))
        self._lock_for_action()
        self.sudo().write(
            {
                "state": "queued",
                "attempts": 0,
                "next_attempt_at": self._outbox_now(),
                "last_error": False,
            }
        )
        return True

    def action_cancel(self):
        """Cancel queued messages: they are never sent."""
        self._check_outbox_admin()
        if any(message.state != "queued" for message in self):
            raise UserError(self.env._("Only queued messages can be cancelled."))
        self._lock_for_action()
        self.sudo().write({"state": "cancelled"})
        return True


class SalesRobot(models.Model):
    _inherit = "sales.robot"

    def _outbox_prepare(self, messages):
        """``[(message, requests, parts already delivered)]`` for this robot's ``messages``."""
        self.ensure_one()
        robot = self.sudo()
        if hasattr(robot, "_requests_for"):  # long messages split in parts
            return [(m, robot._requests_for(m), m.parts_sent) for m in messages]
        return [(m, [robot._request_for(m)], m.parts_sent) for m in messages]

    def _outbox_record(self, outcomes, now):
        """Record the ``outcomes`` of this robot's messages (see ``_post_plan``) on them and
        on the robot: sent; retried with backoff (its other due messages wait with it);
        failed (final errors, or the last attempt). Too many failures in a row pause the
        robot. Returns the number of messages handled."""
        self.ensure_one()
        Message = self.env["sales.robot.message"].sudo()
        max_attempts = Message._outbox_param("robot_max_attempts")
        cap = Message._outbox_param("robot_backoff_cap")
        pause_after = Message._outbox_param("robot_pause_after")
        sent = Message
        delivered_by_id = {}
        failures = self.failure_count
        last_error = None
        for message, outcome, error, delivered in outcomes:
            if outcome == "sent":
                sent |= message
                delivered_by_id[message.id] = delivered
                failures = 0
                continue
            error = self._redact(error)
            failures += 1
            last_error = error
            attempts = message.attempts + 1
            _logger.warning(
                "robot %s: message %s (%s) not delivered: %s", self.id, message.id, outcome, error
            )
            values = {"attempts": attempts, "last_error": error}
            if delivered != message.parts_sent:
                values["parts_sent"] = delivered
            if outcome == "final" or attempts >= max_attempts:
                message.write({**values, "state": "failed"})
            else:
                retry_at = now + timedelta(minutes=min(2 ** (attempts - 1), cap))
                message.write({**values, "next_attempt_at": retry_at})
                # the service is down or busy: the robot's other due messages wait with it
                Message._defer_due(self, now, retry_at)
        handled = len(outcomes)
        if sent:
            self.env.cr.execute(
                SQL(
                    """UPDATE sales_robot_message m
                          SET state = 'sent', sent_at = %s, attempts = attempts + 1,
                              last_error = NULL, write_date = %s, write_uid = %s,
                              parts_sent = d.parts
                         FROM unnest(%s::int[], %s::int[]) AS d(id, parts)
                        WHERE m.id = d.id""",
                    now,
                    fields.Datetime.now(),
                    self.env.uid,
                    list(delivered_by_id),
                    list(delivered_by_id.values()),
                )
            )
            Message.invalidate_model(["state", "sent_at", "attempts", "last_error", "parts_sent"])
        values = {}
        if failures != self.failure_count:
            values["failure_count"] = failures
        if last_error:
            values.update(last_error=last_error, last_error_date=now)
        if values:
            self.write(values)
        if failures >= pause_after and self.state == "active":
            self._outbox_pause()
        return handled

    def _outbox_pause(self):
        """Pause a robot that keeps failing, and tell the administrators (once: a paused
        robot sends nothing until an administrator resumes it)."""
        self.ensure_one()
        self.write({"state": "paused"})
        admins = (
            self.env.ref("base.group_system")
            .sudo()
            .users.filtered(
                lambda user: (
                    not user.share
                    and user.id != SUPERUSER_ID
                    and self.company_id in user.company_ids
                )
            )
        )
        body = self.env._(
            "Paused after %(count)s failures in a row. Last error: %(error)s. "
            "Its messages wait in the outbox: fix the robot, then resume it.",
            count=self.failure_count,
            error=self.last_error or "",
        )
        self.message_post(
            body=body, partner_ids=admins.partner_id.ids, subtype_xmlid="mail.mt_note"
        )
        responsible = self.create_uid if self.create_uid in admins else admins[:1]
        if responsible:
            # the robot has no activity mixin: the To Do is made on it directly
            self.env["mail.activity"].sudo().create(
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": self.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "user_id": responsible.id,
                    "summary": self.env._("Group robot paused: %(name)s", name=self.name),
                    "note": body,
                }
            )
