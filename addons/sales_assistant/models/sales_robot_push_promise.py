from odoo import api, models


class SalesCollectionPromise(models.Model):
    """Broken promises to pay pushed to the group robots, once per promise, @-mentioning
    the salesperson and the team leader."""

    _inherit = "sales.collection.promise"

    @api.model
    def _collection_break_passed(self, today):
        promises = super()._collection_break_passed(today)
        promises._push_to_robots()
        return promises

    def _push_to_robots(self):
        Robot = self.env["sales.robot"].sudo()
        if not self or not Robot._receives("promises"):
            return
        pushes = []
        for promise in self.sudo():
            users = promise.user_id | promise.user_id._sales_team_leader(promise.company_id)
            pushes.append(
                {
                    "key": f"promise-broken-{promise.id}",
                    "render": lambda env, p=promise, u=users: p._robot_markdown(env, u),
                    "team": promise.team_id,
                    "company": promise.company_id,
                    "mention_users": users,
                    "record": promise.plan_id,
                }
            )
        Robot._push_many("promises", pushes)

    def _robot_markdown(self, env, users):
        self.ensure_one()
        promise = self.with_env(env)
        Robot = env["sales.robot"]
        text = Robot._markdown_text
        title = env._("Broken promise to pay: %s", text(promise.partner_id.name))
        lines = [
            env._(
                "%(who)s promised %(amount)s by %(date)s and did not pay.",
                who=text(promise.promised_by),
                amount=promise.currency_id.format(promise.amount),
                date=promise.date_promised,
            ),
            Robot._markdown_link(promise.plan_id),
        ]
        return title, Robot._markdown_body(lines, users)
