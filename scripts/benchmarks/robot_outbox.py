"""The group robots' outbox (issue #21 §5): 2,000 queued messages to 20 robots (10 WeCom,
10 DingTalk, 20 messages a minute each) sent to the local contract server
(``sales_compliance/tests/robot_server.py``) in under 30 s of our own time.

The rate limits make 2,000 / (20 robots x 20 a minute) = 5 minutes of waiting. The benchmark
does not sleep through them: the outbox's clock (``_outbox_now``) and the server's rate-limit
clock are one fake clock, moved on to the next message's ``next_attempt_at`` whenever nothing
is due. Our processing is the wall time of the cron's batches (``_send_batch``, the cron's
body without its commits: the benchmark rolls back), local server included; the waiting is
what the fake clock moved. The server enforces 20 a minute per robot on the fake clock (it
would answer 130101/45009) and the sent times are checked for any 60 s window over 20."""

import time
from datetime import timedelta
from unittest.mock import patch

from . import benchmark

GOAL_SECONDS = 30.0


@benchmark("robot_outbox")
def bench_robot_outbox(env, messages=2000, robots=20, rate_limit=20, batch_size=100):
    from odoo import fields  # noqa: PLC0415
    from odoo.addons.sales_compliance.tests.robot_server import RobotServer  # noqa: PLC0415

    clock = {"now": fields.Datetime.now().replace(microsecond=0)}
    Message = env["sales.robot.message"]
    env["sales.robot"].search([]).write({"active": False})  # rolled back with the benchmark
    with RobotServer(rate_limit=rate_limit, clock=lambda: clock["now"].timestamp()) as server:
        values = []
        for i in range(robots):
            if i % 2:
                url, secret = server.add_dingtalk(f"bench-d{i}", f"SEC{i}"), f"SEC{i}"
                values.append({"kind": "dingtalk", "url": url, "secret": secret})
            else:
                values.append({"kind": "wecom", "url": server.add_wecom(f"bench-w{i}")})
        Robots = env["sales.robot"].with_context(tracking_disable=True)
        all_robots = Robots.create(
            [
                {"name": f"Bench robot {i}", "rate_limit": rate_limit, **v}
                for i, v in enumerate(values)
            ]
        )
        clock_patch = patch.object(type(Message), "_outbox_now", lambda model: clock["now"])
        with clock_patch:
            per_robot = messages // robots
            for i in range(per_robot):
                Message._enqueue(
                    all_robots,
                    "approvals",
                    f"bench-{i}",
                    f"Approval {i}",
                    f"**S{i:05d}** needs you",
                )
            env.flush_all()
            processing, waited, batches = _send_all(env, all_robots, clock, batch_size)
        env.flush_all()
        sent = Message.search_read(
            [("robot_id", "in", all_robots.ids), ("state", "=", "sent")],
            ["robot_id", "sent_at"],
            order="robot_id, sent_at",
        )
        worst = 0
        by_robot = {}
        for row in sent:
            by_robot.setdefault(row["robot_id"][0], []).append(row["sent_at"])
        for times in by_robot.values():
            for i, at in enumerate(times):
                in_window = sum(1 for other in times[i:] if other < at + timedelta(seconds=60))
                worst = max(worst, in_window)
        refused = [r for r in server.requests if not r["accepted"]]
        result = {
            "messages": messages,
            "robots": robots,
            "sent": len(sent),
            "requests": len(server.requests),
            "refused_by_server": len(refused),
            "contract_violations": len(server.violations),
            "most_in_one_minute_per_robot": worst,
            "rate_limit_per_minute": rate_limit,
            "batches": batches,
            "processing_seconds": round(processing, 2),
            "goal_seconds": GOAL_SECONDS,
            "waiting_seconds_fake_clock": round(waited),
            "waiting_seconds_computed": round(messages / (robots * rate_limit) * 60),
            "ok": len(sent) == messages and not refused and processing < GOAL_SECONDS,
        }
    return result


def _send_all(env, robots, clock, batch_size):
    """The cron's batches until the outbox is empty, the fake clock moved on to the next
    due message whenever nothing is due: (processing seconds, waited seconds, batches)."""
    Message = env["sales.robot.message"]
    processing = waited = 0.0
    batches = 0
    while True:
        started = time.perf_counter()
        handled = Message._send_batch(batch_size, len(robots))
        processing += time.perf_counter() - started
        batches += 1
        if handled:
            continue
        env.invalidate_all()
        queued = Message.search(
            [("robot_id", "in", robots.ids), ("state", "=", "queued")],
            order="next_attempt_at",
            limit=1,
        )
        if not queued:
            return processing, waited, batches
        waited += max((queued.next_attempt_at - clock["now"]).total_seconds(), 0)
        clock["now"] = max(queued.next_attempt_at, clock["now"])
