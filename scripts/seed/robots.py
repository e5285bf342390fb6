"""Group robots (企业微信 / 钉钉 群机器人) of the seeded organisation (Seeder.make_robots).

Made as an administrator makes them, in Sales > Configuration > Group Robots: a WeCom robot
for the first sales team, a DingTalk robot (signed) for the second, paused after failures as
the outbox pauses a robot that keeps failing, and the company's plain webhook for the other
teams. Their URLs point at 127.0.0.1 (the local contract server of the tests) and they are
paused: a demo never posts to a real group, and its cron never tries. Each robot gets a test
message in its outbox, queued today, and the pushes of make_robot_pushes queue behind it.
"""

DEMO_ROBOT_HOST = "http://127.0.0.1:8765"
# (kind, name en, name zh, path, team index or None for the company's robot)
DEMO_ROBOTS = (
    ("wecom", "Sales group (WeCom)", "销售群(企业微信)", "/cgi-bin/webhook/send?key=demo", 0),
    ("dingtalk", "Sales group (DingTalk)", "销售群(钉钉)", "/robot/send?access_token=demo", 1),
    ("webhook", "Company webhook", "公司 Webhook", "/hooks/sales", None),
)


class RobotSteps:
    def make_robots(self):
        if "sales.robot" not in self.env or self.bench:
            return
        from odoo import fields  # noqa: PLC0415 - Odoo is set up by the seed's entry point

        env = self.env
        admin = env.ref("base.user_admin")
        Robot = env["sales.robot"].with_user(admin)
        teams = env["crm.team"].search(
            [("company_id", "in", [self.company.id, False])], order="sequence, id"
        )
        robots = Robot.browse()
        for kind, name_en, name_zh, path, team_index in DEMO_ROBOTS:
            team = teams[team_index] if team_index is not None and len(teams) > team_index else None
            vals = {
                "name": name_zh if self.chinese else name_en,
                "kind": kind,
                "url": f"{DEMO_ROBOT_HOST}{path}",
                "team_id": team.id if team else False,
                "company_id": self.company.id,
                "lang": "zh_CN" if self.chinese else "en_US",
            }
            if kind == "dingtalk":
                vals["secret"] = "SECdemo0000000000000000000000000000000000000000000000000000000"
            robot = Robot.search(
                [("name", "=", vals["name"]), ("company_id", "=", self.company.id)]
            )
            robots |= robot or Robot.create(vals)
        robots.action_send_test()
        dingtalk = robots.filtered(lambda r: r.kind == "dingtalk" and r.state == "active")
        # as the outbox leaves a robot that keeps failing: paused, with the service's error
        dingtalk._flow_write(
            {
                "failure_count": 5,
                "last_error": '310000 {"errcode":310000,"errmsg":"sign not match"}',
                "last_error_date": fields.Datetime.now(),
            }
        )
        dingtalk.action_pause()
        # the demo's robots are not connected (127.0.0.1): paused before the cron tries them,
        # their pushes stay queued until an admin pastes a real webhook and resumes
        robots.filtered(lambda r: r.state == "active").action_pause()
        self.counts["robots"] += len(robots)
        self.commit()
