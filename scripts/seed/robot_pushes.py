"""What the group robots of the seeded organisation receive (Seeder.make_robot_pushes).

The robots are those of Seeder.make_robots (a team's own, the company's for the other
teams); this step pushes what the seeding made: the pending
approvals' current steps, the open complaints, the late deliveries, the broken promises and
the contracts whose renewal was reminded. Each goes through its producer, as the events
themselves push (the keys keep a rerun from queuing twice)."""


class RobotPushSteps:
    def make_robot_pushes(self):
        env = self.env
        if "push_digest" not in env["sales.robot"]._fields:
            return
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
