from odoo import models


class SalesContract(models.Model):
    """Contract expiries pushed to the group robots: when the renewal run reminds the
    salesperson of a contract to renew, the team's robots are told once per contract and
    end date, @-mentioning the salesperson."""

    _inherit = "sales.contract"

    def _renewal_schedule_activities(self, activity_type, today_by_company):
        result = super()._renewal_schedule_activities(activity_type, today_by_company)
        self._push_to_robots()
        return result

    def _push_to_robots(self):
        Robot = self.env["sales.robot"].sudo()
        if not self or not Robot._receives("contracts"):
            return
        pushes = []
        for contract in self.sudo():
            pushes.append(
                {
                    "key": f"contract-expiry-{contract.id}-{contract.date_end}",
                    "render": contract._robot_markdown,
                    "team": contract.team_id,
                    "company": contract.company_id,
                    "mention_users": contract.user_id,
                    "record": contract,
                }
            )
        Robot._push_many("contracts", pushes)

    def _robot_markdown(self, env):
        self.ensure_one()
        contract = self.with_env(env)
        Robot = env["sales.robot"]
        text = Robot._markdown_text
        title = env._("Contract to renew: %s", text(contract.display_name))
        lines = [
            env._(
                "%(contract)s of %(customer)s ends on %(date)s.",
                contract=text(contract.display_name),
                customer=text(contract.partner_id.display_name),
                date=contract.date_end,
            ),
            Robot._markdown_link(contract),
        ]
        return title, Robot._markdown_body(lines, contract.user_id)
