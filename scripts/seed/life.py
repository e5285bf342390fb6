"""The demo's life up to today (Seeder.make_demo_life): late deliveries, receipts, reminders,
promises, each salesperson's day, this morning's orders, the month's targets and a hand-over."""

from collections import defaultdict
from datetime import timedelta

from .data import (
    LIFE_TEXTS,
    LOGIN_PREFIX,
    REF_PREFIX,
)
from .helpers import chunks, en_person, zh_person


class DemoLifeSteps:
    """What happened after the orders, up to today: steps of the Seeder (seeder.py), whose
    attributes (``env``, ``rng``, ``plans``, ``team_reps``...) they use."""

    def _text(self, key):
        """A text of the demo's life (``LIFE_TEXTS``) in the company's language."""
        return LIFE_TEXTS[key][1 if self.chinese else 0]

    def make_demo_life(self):
        """What happened after the orders, up to today, so that every screen of the suite
        has content on the day the demo is made, for a salesperson, a team leader and the
        administrator: late deliveries (some delivered since, most explained), customer
        receipts, reminders at their levels, promises kept, broken and open, each
        salesperson's day (activities, visits, deals closing this week or late), the
        month's targets and a finished hand-over. Not in bench (its own data)."""
        if self.bench or "sales.collection.plan" not in self.env:
            return
        self.make_visit_cadence()
        self.make_late_deliveries()
        self.make_receipts()
        self.make_reminders()
        self.make_promises()
        self.make_days()
        self.make_todays_orders()
        self.make_month_targets()
        self.make_handover()
        self.commit()

    def make_visit_cadence(self):
        """The open stages' visits per week (DOMAIN.md: potential 1, bidding 2,
        negotiation 3), where none is set."""
        stages = self.env["crm.stage"].search([("is_won", "=", False)], order="sequence, id")
        for frequency, stage in enumerate(stages[:3], start=1):
            if not stage.visit_frequency:
                stage.visit_frequency = frequency

    def make_late_deliveries(self):
        """The late-delivery cron finds the deliveries waiting past their date; the older
        ones have left since (late), and most got a reason from their salesperson."""
        env, rng = self.env, self.rng
        Late = env["sales.late.delivery"]
        Late._detect_all()
        lates = Late.search(
            [("partner_id.ref", "=like", f"{REF_PREFIX}%"), ("state", "=", "late")], order="id"
        )
        staying = {p["order"] for p in self.plans if p.get("late_stays") and "order" in p}
        left = lates.filtered(
            lambda late: (
                (self.today - late.due_date.date()).days > 8 and late.order_id.id not in staying
            )
        )
        dates = {}
        for late in left:
            days = (self.today - late.due_date.date()).days
            dates[late.picking_id.id] = self._at(
                late.due_date.date() + timedelta(days=rng.randint(2, days - 1)), 15
            )
        self._deliver(left.picking_id, dates, on_time=False)
        if left:  # their delivery day (stored from the picking) is the one just dated
            env.cr.execute(
                """
                UPDATE sales_late_delivery l SET date_done = p.date_done
                  FROM stock_picking p WHERE p.id = l.picking_id AND l.id = ANY(%s)
                """,
                [left.ids],
            )
            Late.invalidate_model(["date_done"])
        reasons = env["sales.delivery.delay.reason"].search([])
        for late in lates:
            if reasons and rng.random() < 0.7:
                late.write({"reason_id": rng.choice(reasons).id, "note": self._text("delay")})
        self.counts["late_deliveries"] = len(lates)

    def make_receipts(self):
        """Most customers confirmed receipt a few days after their last delivery; the
        latest deliveries still wait for it."""
        env, rng = self.env, self.rng
        orders = env["sale.order"].search(
            [
                ("partner_id.ref", "=like", f"{REF_PREFIX}%"),
                ("state", "=", "sale"),
                ("delivery_status", "=", "full"),
            ],
            order="id",
        )
        vals_list = []
        for order in orders:
            last = order._receipt_last_delivery_date()
            if not last or (self.today - last).days < 3 or rng.random() > 0.8:
                continue
            contact = order.partner_id.child_ids[:1] or order.partner_id
            received = last + timedelta(days=rng.randint(1, min(4, (self.today - last).days)))
            received = min(received, order._receipt_today())
            vals_list.append(
                {"order_id": order.id, "received_date": received, "received_by": contact.name}
            )
        env["sales.customer.receipt"].create(vals_list)
        self.counts["receipts"] = len(vals_list)

    def make_reminders(self):
        """The daily collection run reminds each unpaid installment at the level it has
        reached (before, on, after the due date); each reminder dated on its level's day."""
        env = self.env
        today = env["sales.collection.plan"]._collection_today(self.company)
        Reminder = env["sales.collection.reminder"]
        while True:
            done, remaining = Reminder._collection_send_batch(today, 500)
            self.counts["reminders"] += done
            if not done or not remaining:
                break
        env.flush_all()
        env.cr.execute(
            """
            UPDATE sales_collection_reminder r
               SET date = LEAST(i.date_due + l.days, %s)
              FROM sales_collection_installment i, sales_collection_reminder_level l
             WHERE i.id = r.installment_id AND l.id = r.level_id
            """,
            [self.today],
        )
        Reminder.invalidate_model(["date"])

    def make_promises(self):
        """Promises to pay on overdue installments: each salesperson's oldest was broken
        (the team leader was told), the next one is still open; partly paid plans got their
        payment as promised (kept)."""
        env, rng = self.env, self.rng
        Promise = env["sales.collection.promise"]
        Installment = env["sales.collection.installment"]
        overdue = Installment.search(
            [("partner_id.ref", "=like", f"{REF_PREFIX}%"), ("state", "=", "overdue")],
            order="date_due, id",
        )
        by_user, seen = defaultdict(list), set()
        for installment in overdue:
            # nobody promises the cent an invoice split into parts rounds away
            if installment.amount_residual < 1.0:
                continue
            if installment.plan_id.id not in seen:
                seen.add(installment.plan_id.id)
                by_user[installment.user_id.id].append(installment)
        broken, opened = [], []
        for installments in by_user.values():
            broken.extend(installments[:1])
            opened.extend(installments[1:2])
            broken.extend(i for i in installments[2:] if rng.random() < 0.2)

        def vals(installment, day):
            contact = installment.partner_id.child_ids[:1] or installment.partner_id
            return {
                "plan_id": installment.plan_id.id,
                "installment_id": installment.id,
                "date_promised": day,
                "amount": installment.amount_residual,
                "promised_by": contact.name,
                "note": self._text("promise"),
            }

        broken_promises = Promise.create([vals(i, self.today) for i in broken])
        Promise.create([vals(i, self.today + timedelta(days=rng.randint(2, 10))) for i in opened])
        # promised for a day after the due date, which passed unpaid
        env.flush_all()
        days = []
        for promise, installment in zip(broken_promises, broken, strict=True):
            late = (self.today - installment.date_due).days
            day = installment.date_due + timedelta(days=rng.randint(1, max(1, min(late - 1, 20))))
            days.append((promise.id, min(day, self.today - timedelta(days=1))))
        for chunk in chunks(days, 1000):
            values = ",".join(env.cr.mogrify("(%s,%s::date)", pair).decode() for pair in chunk)
            env.cr.execute(
                f"UPDATE sales_collection_promise p SET date_promised = v.day, "
                f"create_date = v.day - 3 FROM (VALUES {values}) AS v(id, day) WHERE p.id = v.id"
            )
        Promise.invalidate_model(["date_promised", "create_date"])
        today = env["sales.collection.plan"]._collection_today(self.company)
        Promise._collection_break_passed(today)
        # kept: partly paid plans, the payment they have being the one promised
        plans = env["sales.collection.plan"].search(
            [
                ("partner_id.ref", "=like", f"{REF_PREFIX}%"),
                ("state", "=", "open"),
                ("amount_paid", ">", 0),
                ("amount_residual", ">", 0),
            ],
            order="id",
        )
        kept_vals = []
        for plan in plans:
            if rng.random() < 0.5:
                contact = plan.partner_id.child_ids[:1] or plan.partner_id
                amount = plan.currency_id.round(min(plan.amount_paid, plan.amount_residual))
                overdue = sum(
                    i.amount_residual for i in plan.installment_ids if i.state == "overdue"
                )
                if amount < overdue:
                    continue  # a promise covers at least what is overdue
                kept_vals.append(
                    {
                        "plan_id": plan.id,
                        "date_promised": self.today,
                        "amount": amount,
                        "promised_by": contact.name,
                        "note": self._text("promise"),
                    }
                )
        kept = Promise.create(kept_vals)
        env.flush_all()
        if kept:
            env.cr.execute(
                """
                UPDATE sales_collection_promise pr
                   SET paid_before = p.amount_paid - pr.amount,
                       date_promised = GREATEST(so.date_order::date, %s - 20),
                       create_date = GREATEST(so.date_order::date, %s - 25)
                  FROM sales_collection_plan p JOIN sale_order so ON so.id = p.order_id
                 WHERE p.id = pr.plan_id AND pr.id = ANY(%s)
                """,
                [self.today, self.today, kept.ids],
            )
            Promise.invalidate_model(["paid_before", "date_promised", "create_date"])
            Promise._collection_mark_kept(kept.plan_id.ids)
        self.counts["promises"] = len(broken) + len(opened) + len(kept)

    def make_days(self):
        """Each salesperson's day: a deal to close this week and one whose expected close
        has passed, a call due today, a follow-up overdue, visits due today and overdue, a
        visit done this month (the others are behind on visits)."""
        env, rng = self.env, self.rng
        Lead = env["crm.lead"]
        Activity = env["mail.activity"].with_context(mail_activity_quick_update=True)
        visit = Activity._sales_visit_type()
        call = env.ref("mail.mail_activity_data_call")
        todo = env.ref("mail.mail_activity_data_todo")
        lead_model = env["ir.model"]._get_id("crm.lead")
        today = self.today
        week_end = today + timedelta(days=6 - today.weekday())
        month_start = today.replace(day=1)
        vals_list, done_vals = [], []
        users = [uid for t in sorted(self.team_reps) for uid in self.team_reps[t]]
        for user_id in users:
            leads = Lead.search(
                [
                    ("user_id", "=", user_id),
                    ("type", "=", "opportunity"),
                    ("stage_id.is_won", "=", False),
                ],
                order="id",
                limit=4,
            )
            if len(leads) < 4:
                continue
            leads[0].date_deadline = today + timedelta(days=rng.randint(0, (week_end - today).days))
            leads[1].date_deadline = today - timedelta(days=rng.randint(3, 20))

            def activity(lead, kind, days, summary, user_id=user_id):
                return {
                    "res_model_id": lead_model,
                    "res_id": lead.id,
                    "activity_type_id": kind.id,
                    "user_id": user_id,
                    "date_deadline": today + timedelta(days=days),
                    "summary": self._text(summary),
                }

            vals_list += [
                activity(leads[0], call, 0, "call"),
                activity(leads[1], todo, -3, "quote"),
                activity(leads[2], visit, 0, "visit"),
                activity(leads[3], visit, -2, "visit"),
                activity(leads[2], visit, 5, "visit"),
            ]
            done_vals.append(activity(leads[0], visit, -1, "visit"))
        Activity.create(vals_list)
        done = Activity.create(done_vals)
        done._action_done(feedback=self._text("visited"))
        env.flush_all()
        env.cr.execute(
            "UPDATE mail_activity SET date_done = %s WHERE id = ANY(%s)",
            [max(month_start, today - timedelta(days=1)), done.ids],
        )
        env["mail.activity"].invalidate_model(["date_done"])
        self.counts["activities"] = len(vals_list) + len(done_vals)

    def _order_today(self, user_id, team, discount=0.0):
        """A quotation the salesperson makes this morning for one of their customers."""
        rng = self.rng
        customers = [c for c in self.customers if c["user"] == user_id] or [
            c for c in self.customers if c["team"] == team
        ]
        cust = rng.choice(customers)
        products = rng.sample(self.products, min(2, len(self.products)))
        order = (
            self.env["sale.order"]
            .with_user(user_id)
            .create(
                {
                    "partner_id": cust["id"],
                    "partner_invoice_id": cust["id"],
                    "partner_shipping_id": cust["id"],
                    "user_id": user_id,
                    "team_id": self.teams[team].id,
                    "company_id": self.company.id,
                    "payment_term_id": cust["term"],
                    "client_order_ref": f"PO-{self.today:%Y%m}-{rng.randint(1000, 9999)}",
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": p["id"],
                                "product_uom_qty": float(rng.choice([1, 2, 5, 10])),
                                "price_unit": p["price"],
                                "discount": discount,
                                "purchase_price": p["cost"],
                                "tax_id": [(6, 0, p["taxes"])],
                                "customer_lead": 0.0,
                            },
                        )
                        for p in products
                    ],
                }
            )
        )
        self.counts["orders"] += 1
        self.counts["orders_today"] += 1
        self.counts["order_lines"] += len(products)
        return order

    def make_todays_orders(self):
        """This morning each salesperson took an order (through the compliance gate, as they
        would): the month's targets have progress from its first day. And every team leader
        has a discount request waiting for them."""
        from odoo.exceptions import UserError, ValidationError  # noqa: PLC0415

        env = self.env
        for team in sorted(self.team_reps):
            for user_id in self.team_reps[team]:
                order = self._order_today(user_id, team)
                try:
                    with env.cr.savepoint():
                        order.with_user(user_id).action_confirm()
                except (UserError, ValidationError) as exc:
                    self.log(f"{order.name} not confirmed today: {exc}")
                if order.state == "sale":
                    self.counts["confirmed_orders"] += 1
                else:
                    self.counts["quotations"] += 1
        if self.gate:
            self.gate.ask_every_leader()

    def make_month_targets(self, start=None):
        """Revenue targets of a month (``start``, its first day; by default this month),
        company, teams and salespeople, approved and measured: "Progress on Targets" has
        content from the first day, the commission of past months its targets."""
        env = self.env
        if "sales.target.plan" not in env:
            return
        metric = env.ref("sales_targets.metric_revenue", raise_if_not_found=False)
        if not metric:
            return
        start = start or self.today.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        label = (
            f"{start.year}年{start.month}月销售目标"
            if self.chinese
            else f"Sales targets {start:%B %Y}"
        )
        Plan, Target = env["sales.target.plan"], env["sales.target"]
        plan = Plan.create(
            {"name": label, "date_from": start, "date_to": end, "metric_ids": [(6, 0, metric.ids)]}
        )
        monthly = defaultdict(float)  # user id -> revenue per month over the year
        for p in self.plans:
            if p["state"] == "sale":
                monthly[p["user"]] += p["untaxed"] / 12

        def value(amount):
            return float(max(10000, round(amount * 1.1, -3)))

        common = {"plan_id": plan.id, "metric_id": metric.id, "date_from": start, "date_to": end}
        team_values = {
            t: sum(value(monthly[uid]) for uid in self.team_reps[t]) for t in self.team_reps
        }
        company = Target.create(
            {**common, "assignee_type": "company", "target_value": sum(team_values.values())}
        )
        for t, team in enumerate(self.teams):
            team_target = Target.create(
                {
                    **common,
                    "assignee_type": "team",
                    "team_id": team.id,
                    "parent_id": company.id,
                    "target_value": team_values.get(t, 0.0),
                }
            )
            Target.create(
                [
                    {
                        **common,
                        "assignee_type": "user",
                        "user_id": uid,
                        "parent_id": team_target.id,
                        "target_value": value(monthly[uid]),
                    }
                    for uid in self.team_reps[t]
                ]
            )
        admin = env.ref("base.user_admin", raise_if_not_found=False)
        plan.with_user(admin or env.user).action_approve()
        plan._recompute_achievements()
        key = "month_targets" if start == self.today.replace(day=1) else "past_month_targets"
        self.counts[key] = self.counts.get(key, 0) + len(plan.target_ids)

    def make_handover(self):
        """A salesperson of the first team left: their customers and deals went to the demo
        salesperson (or a colleague) through a finished hand-over; the account is archived."""
        env = self.env
        admin = env.ref("base.user_admin", raise_if_not_found=False)
        successor = self.demo_user or env["res.users"].browse(self.team_reps[0][0])
        giver = env["res.users"].browse(
            next(uid for uid in self.team_reps[0] if uid != successor.id)
        )
        name = zh_person(self.rng) if self.chinese else en_person(self.rng)
        login = f"former.{LOGIN_PREFIX}rep@sales-suite.example.com"
        leaver = env["res.users"].create(
            {
                "name": name,
                "login": login,
                "email": login,
                "lang": self.lang,
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            env.ref("base.group_user").id,
                            env.ref("sales_team.group_sale_salesman").id,
                        ],
                    )
                ],
            }
        )
        env["crm.team.member"].create({"crm_team_id": self.teams[0].id, "user_id": leaver.id})
        # the leaver held a few of the team's customers and their open deals
        customers = env["res.partner"].search(
            [("user_id", "=", giver.id), ("ref", "=like", f"{REF_PREFIX}%")], order="id", limit=3
        )
        customers.user_id = leaver
        env["crm.lead"].search(
            [
                ("partner_id", "in", customers.ids),
                ("user_id", "=", giver.id),
                ("probability", "<", 100),
            ]
        ).user_id = leaver
        wizard = (
            env["sales.handover.wizard"]
            .with_user(admin or env.user)
            .create(
                {
                    "from_user_id": leaver.id,
                    "distribution": "single",
                    "successor_ids": [(6, 0, successor.ids)],
                }
            )
        )
        wizard.action_confirm()
        leaver.active = False
        self.counts["handovers"] = 1
