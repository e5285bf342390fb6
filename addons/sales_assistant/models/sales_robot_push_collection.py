from odoo import api, models


class SalesCollectionReminder(models.Model):
    """Collection reminders and escalations pushed to the group robots: each reminder the
    daily run logs (one per installment and level) is pushed once, @-mentioning the
    salesperson (and, when the level escalates, the team leader and the finance user)."""

    _inherit = "sales.collection.reminder"

    @api.model_create_multi
    def create(self, vals_list):
        reminders = super().create(vals_list)
        reminders._push_to_robots()
        return reminders

    def _push_to_robots(self):
        Robot = self.env["sales.robot"].sudo()
        if not self or not Robot._receives("collections"):
            return
        pushes = []
        for reminder in self.sudo():
            installment = reminder.installment_id
            users = reminder.user_id
            if reminder.escalated:
                users |= reminder.user_id._sales_team_leader(reminder.company_id)
                users |= reminder.company_id.collection_finance_user_id
            pushes.append(
                {
                    "key": f"collection-{installment.id}-level-{reminder.level_id.id}",
                    "render": lambda env, r=reminder, u=users: r._robot_markdown(env, u),
                    "team": reminder.team_id,
                    "company": reminder.company_id,
                    "mention_users": users,
                    "record": reminder.plan_id,
                }
            )
        Robot._push_many("collections", pushes)

    def _robot_markdown(self, env, users):
        self.ensure_one()
        reminder = self.with_env(env)
        installment = reminder.installment_id
        Robot = env["sales.robot"]
        text = Robot._markdown_text
        title = (
            env._("Collection escalated: %s", text(reminder.partner_id.name))
            if reminder.escalated
            else env._("Collection reminder: %s", text(reminder.partner_id.name))
        )
        lines = [
            env._(
                "%(level)s: %(customer)s owes %(amount)s on %(order)s, due %(date)s",
                level=text(reminder.level_id.name),
                customer=text(reminder.partner_id.name),
                amount=installment.currency_id.format(installment.amount_residual),
                order=text(reminder.order_id.name),
                date=installment.date_due,
            ),
            Robot._markdown_link(reminder.plan_id),
        ]
        return title, Robot._markdown_body(lines, users)
