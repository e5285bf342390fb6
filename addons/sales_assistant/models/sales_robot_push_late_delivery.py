from odoo import models


class SaleOrder(models.Model):
    """Late deliveries pushed to the group robots: when the late-delivery cron flags
    orders, each of their late deliveries is pushed once, @-mentioning the salesperson."""

    _inherit = "sale.order"

    def _late_delivery_flag(self):
        result = super()._late_delivery_flag()
        if not self.env["sales.robot"]._receives("late_deliveries"):
            return result
        lates = (
            self.env["sales.late.delivery"]
            .sudo()
            .search([("order_id", "in", self.ids), ("state", "=", "late")])
        )
        lates._push_to_robots()
        return result


class SalesLateDelivery(models.Model):
    _inherit = "sales.late.delivery"

    def _push_to_robots(self):
        Robot = self.env["sales.robot"].sudo()
        if not self or not Robot._receives("late_deliveries"):
            return
        pushes = []
        for late in self.sudo():
            pushes.append(
                {
                    "key": f"late-delivery-{late.id}",
                    "render": late._robot_markdown,
                    "team": late.team_id,
                    "company": late.company_id,
                    "mention_users": late.user_id,
                    "record": late.order_id,
                }
            )
        Robot._push_many("late_deliveries", pushes)

    def _robot_markdown(self, env):
        self.ensure_one()
        late = self.with_env(env)
        Robot = env["sales.robot"]
        text = Robot._markdown_text
        title = env._("Late delivery: %s", text(late.order_id.name))
        lines = [
            env._(
                "%(delivery)s for %(customer)s was promised for %(date)s.",
                delivery=text(late.picking_id.name),
                customer=text(late.partner_id.name),
                date=late.due_date.date(),
            ),
            Robot._markdown_link(late.order_id),
        ]
        return title, Robot._markdown_body(lines, late.user_id)
