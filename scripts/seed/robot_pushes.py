"""What the group robots of the seeded organisation receive (Seeder.make_robot_pushes).

A demo robot (a plain JSON webhook on a local address where nothing listens: the outbox
shows its messages queued, then failed, never sent anywhere) for each team with a leader
and without a robot of its own, then the pushes of what the seeding made: the pending
approvals' current steps, the open complaints, the late deliveries, the broken promises and
the contracts whose renewal was reminded. Each goes through its producer, as the events
themselves push (the keys keep a rerun from queuing twice)."""

DEMO_ROBOT_URL = "http://127.0.0.1:9/demo-robot"


class RobotPushSteps:
    def make_robot_pushes(self):
        env = self.env
        if "push_digest" not in env["sales.robot"]._fields:
            return
        Robot = env["sales.robot"].sudo()
        teams = env["crm.team"].sudo().search([("user_id", "!=", False)])
        for team in teams:
            if not Robot.search_count([("team_id", "=", team.id)]):
                Robot.create(
                    {
                        "name": f"{team.name} 群机器人 (demo)",
                        "kind": "webhook",
                        "url": DEMO_ROBOT_URL,
                        "team_id": team.id,
                        "company_id": (team.company_id or env.company).id,
                    }
                )
        env["sales.compliance.approval"].sudo().search(
            [("state", "=", "pending")]
        )._push_to_robots()
        env["sales.complaint"].sudo().search(
            [("state", "not in", ("closed", "cancelled"))]
        )._push_to_robots("new")
        env["sales.late.delivery"].sudo().search([("state", "=", "late")])._push_to_robots()
        env["sales.collection.promise"].sudo().search([("state", "=", "broken")])._push_to_robots()
        env["sales.contract"].sudo().search(
            [("renewal_activity_date", "!=", False)]
        )._push_to_robots()
        self.commit()
