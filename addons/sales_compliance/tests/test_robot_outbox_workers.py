import threading
from collections import Counter

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import TransactionCase, tagged

from .robot_server import RobotServer


@tagged("post_install", "-at_install")
class TestRobotOutboxWorkers(TransactionCase):
    """Two cron workers send the outbox at the same moment, on two real database cursors:
    every message reaches its group exactly once (the contract server's log proves it)."""

    def test_two_workers_at_once_send_every_message_exactly_once(self):
        db = sql_db.db_connect(self.env.cr.dbname)
        with RobotServer(delay=0.02) as server:
            robot_ids = self._queue_committed(db, server, per_robot=10)
            try:
                barrier = threading.Barrier(2)
                handled, errors = {}, []

                registry = self.env.registry

                def worker(name):
                    try:
                        with db.cursor() as cr:
                            # the test's registry: Odoo's runner holds the registry lock
                            # that looking it up by name would wait for
                            cr.transaction = api.Transaction(registry)
                            env = api.Environment(cr, SUPERUSER_ID, {})
                            barrier.wait(10)
                            handled[name] = env["sales.robot.message"]._cron_send(
                                batch_size=5, robots_per_batch=2
                            )
                            cr.commit()  # pylint: disable=invalid-commit
                    except Exception as exc:  # reported below
                        errors.append(repr(exc))

                threads = [threading.Thread(target=worker, args=(n,)) for n in "AB"]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(60)
                self.assertEqual(errors, [])
                self.assertEqual(server.violations, [])
                # WeCom's markdown.content, DingTalk's markdown.text: the message's own text
                contents = Counter(
                    request["body"]["markdown"].get("content")
                    or request["body"]["markdown"]["text"]
                    for request in server.sent()
                )
                self.assertEqual(len(contents), 40, "every message reached its group")
                self.assertEqual(set(contents.values()), {1}, "and none twice")
                self.assertEqual(len(server.requests), 40)
                self.assertTrue(all(handled.values()), f"both workers sent: {handled}")
                with db.cursor() as check_cr:
                    check_cr.execute(
                        "SELECT state, count(*) FROM sales_robot_message "
                        "WHERE robot_id = ANY(%s) GROUP BY state",
                        [robot_ids],
                    )
                    self.assertEqual(dict(check_cr.fetchall()), {"sent": 40})
            finally:
                self._delete_committed(db, robot_ids)

    def _queue_committed(self, db, server, per_robot):
        with db.cursor() as setup_cr:
            env = api.Environment(setup_cr, SUPERUSER_ID, {"tracking_disable": True})
            robots = env["sales.robot"].create(
                [
                    {"name": "Worker WeCom 1", "kind": "wecom", "url": server.add_wecom("w1")},
                    {"name": "Worker WeCom 2", "kind": "wecom", "url": server.add_wecom("w2")},
                    {
                        "name": "Worker DingTalk 1",
                        "kind": "dingtalk",
                        "url": server.add_dingtalk("d1", "SEC1"),
                        "secret": "SEC1",
                    },
                    {
                        "name": "Worker DingTalk 2",
                        "kind": "dingtalk",
                        "url": server.add_dingtalk("d2", "SEC2"),
                        "secret": "SEC2",
                    },
                ]
            )
            Message = env["sales.robot.message"]
            for robot in robots:
                for i in range(per_robot):
                    Message._enqueue(
                        robot, "approvals", f"race-{i}", f"Race {i}", f"{robot.name} #{i}"
                    )
            setup_cr.commit()
            return robots.ids

    def _delete_committed(self, db, robot_ids):
        with db.cursor() as clean_cr:
            env = api.Environment(clean_cr, SUPERUSER_ID, {})
            env["sales.robot"].browse(robot_ids).unlink()  # the messages go with them
            clean_cr.commit()
