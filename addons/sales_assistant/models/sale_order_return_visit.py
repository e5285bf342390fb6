from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    return_visit_scheduled = fields.Boolean(
        readonly=True,
        copy=False,
        help="The first order of a new customer: a return visit (回访) was scheduled for the "
        "salesperson when it was confirmed.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and (
            self.env.context.get("default_return_visit_scheduled")
            or any(vals.get("return_visit_scheduled") for vals in vals_list)
        ):
            raise UserError(self._return_visit_flag_message())
        return super().create(vals_list)

    def write(self, vals):
        if "return_visit_scheduled" in vals and not self.env.su:
            raise UserError(self._return_visit_flag_message())
        return super().write(vals)

    def _return_visit_flag_message(self):
        return self.env._(
            "The return visit of a new customer's first order is scheduled when the order is "
            "confirmed, not marked by hand."
        )

    def _action_confirm(self):
        result = super()._action_confirm()
        self._return_visit_first_orders()
        return result

    def _return_visit_first_orders(self):
        """Schedule a return visit on the first confirmed order of each new customer (the
        first confirmed order of its commercial partner in the company, as the new customers
        metric counts them), once."""
        orders = self.sudo().filtered(lambda order: order.state == "sale")
        if not orders:
            return
        partners = orders.partner_id.commercial_partner_id
        earlier = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "child_of", partners.ids),
                    ("state", "=", "sale"),
                    ("id", "not in", orders.ids),
                    ("company_id", "in", orders.company_id.ids),
                ],
                ["partner_id", "company_id"],
            )
        )
        known = {(partner.commercial_partner_id, company) for partner, company in earlier}
        first = {}
        for order in orders.sorted(lambda order: (order.date_order, order.id)):
            key = (order.partner_id.commercial_partner_id, order.company_id)
            if key not in known and key not in first:
                first[key] = order
        firsts = self.browse([order.id for order in first.values()]).sudo()
        firsts = firsts.filtered(lambda order: not order.return_visit_scheduled)
        if not firsts:
            return
        firsts.return_visit_scheduled = True
        self.env["mail.activity"]._sales_schedule_return_visits(
            [
                {
                    "record": order,
                    "user": order.user_id,
                    "company": order.company_id,
                    "summary": self.env._(
                        "Return visit: first order of %(customer)s",
                        customer=order.partner_id.commercial_partner_id.name,
                    ),
                }
                for order in firsts
            ]
        )
