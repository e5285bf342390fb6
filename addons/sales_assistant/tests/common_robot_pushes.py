"""The group robots of the push tests: a team's robot and its company's fallback."""


class RobotPushMixin:
    @classmethod
    def make_robots(cls, team):
        """A robot of ``team`` and a robot of its company (the fallback), both receiving
        every event."""
        company = team.company_id or cls.env.company
        cls.team_robot = cls.make_robot("Team robot", team_id=team.id, company_id=company.id)
        cls.company_robot = cls.make_robot("Company robot", company_id=company.id)

    @classmethod
    def make_robot(cls, name, **values):
        return (
            cls.env["sales.robot"]
            .sudo()
            .create({"name": name, "kind": "wecom", "url": "http://127.0.0.1:9/robot", **values})
        )

    def pushed(self, event, robot=None):
        """The messages of ``event`` queued (for ``robot``)."""
        domain = [("event", "=", event)]
        if robot:
            domain.append(("robot_id", "=", robot.id))
        return self.env["sales.robot.message"].sudo().search(domain)
