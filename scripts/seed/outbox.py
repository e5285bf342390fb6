"""The group robots' outbox of the seeded organisation (Seeder.make_outbox).

Demo and tiny: a company webhook robot that is not connected (127.0.0.1, discard port) and
paused, as the cron leaves a robot that keeps failing, with messages in every state of the
outbox: sent over the last days, failed with the service's error, queued behind the pause.
Nothing reaches a real service: the robot is paused and its URL is local. Bench: nothing
(the outbox benchmark makes its own robots and messages, rolled back).
"""

from datetime import timedelta

# (state, hours ago, error): the outbox's screens
OUTBOX_STORY = (
    ("sent", 70, None),
    ("sent", 50, None),
    ("sent", 30, None),
    ("sent", 26, None),
    ("failed", 8, "93000 invalid webhook url"),
    ("failed", 7, "93000 invalid webhook url"),
    ("queued", 6, "Connection failed: connection refused"),
    ("queued", 5, None),
    ("queued", 4, None),
)


class OutboxSteps:
    def make_outbox(self):
        env = self.env
        if self.bench or "sales.robot.message" not in env:
            return
        from odoo import fields  # noqa: PLC0415 - Odoo is set up by the seed's entry point

        Robot = env["sales.robot"].sudo()
        robot = Robot.search([("name", "=", "Demo robot (not connected)")], limit=1)
        if robot:
            return
        robot = Robot.create(
            {
                "name": "Demo robot (not connected)",
                "kind": "webhook",
                "url": "http://127.0.0.1:9/hook",
                "company_id": self.company.id,
                "rate_limit": 20,
            }
        )
        now = fields.Datetime.now()
        Message = env["sales.robot.message"].sudo()
        for i, (state, hours, error) in enumerate(OUTBOX_STORY):
            message = Message._enqueue(
                robot,
                "approvals",
                f"demo-outbox-{i}",
                f"Approval request {i + 1}",
                f"**Order S{i + 1:05d}** waits for your approval.",
            )
            at = now - timedelta(hours=hours)
            message.write(
                {
                    "state": state,
                    "attempts": 0 if state == "queued" and not error else 1,
                    "next_attempt_at": at,
                    "sent_at": at if state == "sent" else False,
                    "last_error": error or False,
                }
            )
        robot.write(
            {
                "state": "paused",
                "failure_count": 5,
                "last_error": "Connection failed: connection refused",
                "last_error_date": now - timedelta(hours=6),
            }
        )
        self.counts["robot messages"] += len(OUTBOX_STORY)
        self.commit()
