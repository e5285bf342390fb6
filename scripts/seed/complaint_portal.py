"""Complaints the customers filed on the portal (Seeder.make_complaint_portal).

Demo and tiny: a few customers get a portal login (``seed.customer001@…``, password ``demo``)
and report a problem on one of their confirmed orders, as a customer does: through
``sales.complaint._create_from_portal``, as their portal user, with a photo. Their complaints
are the customer's side of the desk's queue: /my/complaints lists them, the back office shows
them with the source *Customer Portal*. Bench: none.
"""

import base64

from .data import DEMO_PASSWORD, LOGIN_PREFIX

# (category, English subject and description, Chinese subject and description)
PORTAL_COMPLAINTS = (
    (
        "delivery",
        ("Two cartons missing from the delivery", "We received 3 cartons instead of 5."),
        ("送货少了两箱", "应到 5 箱, 实际只收到 3 箱。"),
    ),
    (
        "quality",
        ("Scratches on the housing", "The housing of one unit is scratched, see the photo."),
        ("外壳有划痕", "其中一台设备外壳有划痕: 请见照片。"),
    ),
    (
        "billing",
        ("Invoice amount does not match the order", "The invoice is higher than the order."),
        ("发票金额与订单不符", "发票金额高于订单金额。"),
    ),
)
PORTAL_CUSTOMERS = {"tiny": 2, "demo": 3}

# a valid 1x1 PNG: the customer's photo, as far as the content check can tell
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class ComplaintPortalSteps:
    """Seeder steps: customers reporting problems on the portal."""

    def make_complaint_portal(self):
        env = self.env
        count = PORTAL_CUSTOMERS.get(self.size, 0)
        if "sales.complaint" not in env or not count:
            return
        orders = self._complaint_portal_orders(count)
        portal_group = env.ref("base.group_portal")
        for idx, order in enumerate(orders, start=1):
            customer = order.partner_id.commercial_partner_id
            login = f"{LOGIN_PREFIX}customer{idx:03d}@sales-suite.example.com"
            user = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": customer.name,
                        "login": login,
                        "email": customer.email or login,
                        "partner_id": customer.id,
                        "lang": self.lang,
                        "tz": "Asia/Shanghai" if self.chinese else "Europe/London",
                        "company_id": order.company_id.id,
                        "company_ids": [(6, 0, order.company_id.ids)],
                        "password": DEMO_PASSWORD,
                        "groups_id": [(6, 0, portal_group.ids)],
                    }
                )
            )
            category, english, chinese = PORTAL_COMPLAINTS[(idx - 1) % len(PORTAL_COMPLAINTS)]
            subject, description = chinese if self.chinese else english
            product = order.order_line.filtered(lambda line: not line.display_type)[:1]
            env["sales.complaint"].with_user(user)._create_from_portal(
                order.with_user(user),
                {
                    "category": category,
                    "subject": subject,
                    "description": description,
                    "product_id": product.product_id.id,
                },
                [("photo.png", PHOTO)],
            )
            self.counts["portal_complaints"] += 1
        self.commit()

    def _complaint_portal_orders(self, count):
        """The latest confirmed order of ``count`` different customers, with product lines."""
        orders = self.env["sale.order"].search(
            [("state", "=", "sale"), ("company_id", "=", self.company.id)],
            order="date_order desc, id desc",
            limit=200,
        )
        chosen, customers = [], set()
        for order in orders:
            customer = order.partner_id.commercial_partner_id
            if customer.id in customers or customer.user_ids:
                continue
            if not order.order_line.filtered(lambda line: not line.display_type):
                continue
            customers.add(customer.id)
            chosen.append(order)
            if len(chosen) == count:
                break
        return chosen
