"""Sales contracts (销售合同) of the seeded organisation (Seeder.make_contracts).

Demo and tiny: a register with a contract in every state, made as users make them (the rep
drafts and submits, legal and the general manager approve through the compliance engine, the
rep signs with a scan, changes and terminations go through review again), with lines, payment
schedules, signed scans and the customer's orders placed under them. Bench: 20,000 contracts
created in batches (and one with 50 orders), for ``scripts/bench``'s contract benchmarks.
"""

import calendar
import re
from collections import defaultdict
from datetime import timedelta

from .data import CONTRACT_TEXTS, DEMO_PASSWORD, LOGIN_PREFIX, REF_PREFIX
from .gate import date_compliance_records
from .helpers import chunks, en_person, money, zh_person

# (story, count in tiny, count in demo): what each contract of the register shows
CONTRACT_STORIES = (
    ("expiring", 2, 4),
    ("pending_change", 1, 2),
    ("framework_near_ceiling", 1, 1),
    ("superseded", 1, 2),
    ("performance", 2, 8),
    ("completed", 1, 3),
    ("expired", 1, 2),
    ("terminated", 1, 2),
    ("signed", 1, 3),
    ("approved", 1, 2),
    ("review", 1, 3),
    ("review_manager", 1, 1),
    ("draft", 1, 4),
    ("cancelled", 1, 1),
)
# stories that place orders under their contract (the others need no orders)
WITH_ORDERS = {
    "framework_near_ceiling",
    "pending_change",
    "superseded",
    "expiring",
    "performance",
    "completed",
    "expired",
    "terminated",
}
CEILING_USED = 0.9  # the framework agreement's orders reach 90 % of its ceiling
BENCH_CONTRACTS = 20000
BENCH_FORM_ORDERS = 50
GENERAL_MANAGER_ABOVE = 500000  # the shipped rule's threshold (data/sales_contract_data.xml)


def signed_scan_pdf(number, day):
    """A small, valid one-page PDF: the signed scan of contract ``number`` on ``day``."""
    text = f"Contract {number} - signed on {day} - seal and signatures".encode("ascii", "replace")
    stream = b"BT /F1 12 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


class ContractSteps:
    """The contracts of the seeded organisation: steps of the Seeder (seeder.py), whose
    attributes (``env``, ``rng``, ``today``, ``teams``, ``director``...) they use."""

    def make_contracts(self):
        if "sales.contract" not in self.env:
            return
        if self.bench:
            self.make_bench_contracts()
        else:
            self.make_contract_register()
        self.commit()

    # -- demo and tiny: every state, made as users make them ---------------------------------

    def _contract_text(self, key):
        return CONTRACT_TEXTS[key][1 if self.chinese else 0]

    def _contract_title(self, kind, lines):
        """What the contract is about, as the register lists it: its kind and first product."""
        text = self._contract_text(kind)
        name = lines[0][1].splitlines()[0] if lines and lines[0][1] else ""
        product = re.sub(r"^\[[^\]]*\]\s*", "", name)  # without its internal reference
        return f"{text} · {product}" if product else text

    def _contract_people(self):
        """The approvers: a legal reviewer (法务), and the sales director, who approves as the
        general manager (总经理) above the rule's amount."""
        env = self.env
        login = f"{LOGIN_PREFIX}legal001@sales-suite.example.com"
        self.legal = env["res.users"].create(
            {
                "name": zh_person(self.rng) if self.chinese else en_person(self.rng),
                "login": login,
                "email": login,
                "lang": self.lang,
                "tz": "Asia/Shanghai" if self.chinese else "Europe/London",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "password": DEMO_PASSWORD,
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            env.ref("base.group_user").id,
                            env.ref("sales_assistant.group_contract_legal").id,
                        ],
                    )
                ],
            }
        )
        self.director.groups_id = [(4, env.ref("sales_assistant.group_contract_manager").id)]
        self.counts["users"] += 1

    def _switch_on_review_rules(self):
        """The addon's default review rules, shipped inactive: the seed's company uses them."""
        for xmlid in (
            "sales_assistant.rule_contract_legal_review",
            "sales_assistant.rule_contract_general_manager",
        ):
            self.env.ref(xmlid).active = True

    def _contract_customers(self):
        """Seeded customers with their confirmed orders (oldest first), those with the most
        orders first; and every seeded customer."""
        env = self.env
        customers = env["res.partner"].search(
            [("ref", "=like", f"{REF_PREFIX}C%"), ("parent_id", "=", False)], order="id"
        )
        orders = env["sale.order"].search(
            [
                ("partner_id", "in", customers.ids),
                ("state", "=", "sale"),
                ("amount_total", ">", 0),
                ("contract_id", "=", False),
            ],
            order="date_order, id",
        )
        if "collection_plan_ids" in orders._fields:
            # the orders whose plan tells a story of its own (promises, reminders) stay apart:
            # placed under a contract, an order's plan is made again from its schedule
            orders = orders.filtered(
                lambda o: (
                    not (o.collection_plan_ids.promise_ids or o.collection_plan_ids.reminder_ids)
                )
            )
        by_customer = defaultdict(lambda: env["sale.order"])
        for order in orders:
            by_customer[order.partner_id.id] |= order
        ranked = sorted(by_customer, key=lambda pid: (-len(by_customer[pid]), pid))
        return customers, ranked, by_customer

    def make_contract_register(self):
        env = self.env
        self._contract_people()
        self._switch_on_review_rules()
        customers, ranked, by_customer = self._contract_customers()
        owner_of = {c.id: c.user_id for c in customers}
        demo = self.demo_user
        used = set()
        self.contract_days = {}  # contract id -> the day its review was decided

        def pick(with_orders, prefer_demo):
            pool = ranked if with_orders else ranked + customers.ids
            pool = [pid for pid in pool if pid not in used and owner_of[pid].active]
            if with_orders:
                pool = [pid for pid in pool if len(by_customer[pid]) >= 2] or pool
            if prefer_demo and demo:
                pool = [pid for pid in pool if owner_of[pid] == demo] or pool
            pid = pool[0]
            used.add(pid)
            return pid

        for story, tiny, demo_count in CONTRACT_STORIES:
            for n in range(tiny if self.size == "tiny" else demo_count):
                # the demo salesperson meets the contract's life in their own day
                prefer_demo = n == 0 and story in (
                    "expiring",
                    "performance",
                    "pending_change",
                    "draft",
                    "review",
                )
                partner = pick(story in WITH_ORDERS, prefer_demo)
                getattr(self, f"_contract_{story}")(
                    partner, owner_of[partner], by_customer.get(partner, env["sale.order"])
                )
        self._expire_contracts()
        # reviewed the day before signing, not the day the seed runs
        date_compliance_records(env, "sales.contract", self.contract_days)
        contracts = env["sales.contract"].search([("partner_id", "in", customers.ids)])
        self.counts["contracts"] = len(contracts)
        self.counts["contract_orders"] = env["sale.order"].search_count(
            [("contract_id", "in", contracts.ids)]
        )
        self.log(
            f"contracts: {len(contracts)} versions, "
            + ", ".join(f"{state}={n}" for state, n in sorted(self._states(contracts).items()))
        )

    @staticmethod
    def _states(contracts):
        states = defaultdict(int)
        for contract in contracts:
            states[contract.state] += 1
        return states

    def _contract_vals(self, partner_id, start, end, amount, orders, kind="one_off", ceiling=0.0):
        """The terms of a contract: lines from the customer's orders (or the catalogue), a
        deposit of 30 % at signing and the balance in two installments."""
        rng = self.rng
        source = orders.order_line[:3]
        if source:
            lines = [
                (line.product_id.id, line.name, line.product_uom_qty, line.price_unit)
                for line in source
            ]
        else:
            products = rng.sample(self.products, min(3, len(self.products)))
            lines = [
                (p["id"], p["name"], float(rng.choice([5, 10, 20])), p["price"]) for p in products
            ]
        span = max((end - start).days, 30)
        partner = self.env["res.partner"].browse(partner_id)
        return {
            "partner_id": partner_id,
            "title": self._contract_title(kind, lines),
            "contract_type": kind,
            "amount": amount,
            "ceiling": ceiling,
            "date_start": start,
            "date_end": end,
            "payment_term_id": partner.property_payment_term_id.id,
            "deposit_percent": 30.0,
            "delivery_terms": self._contract_text("delivery"),
            "line_ids": [
                (0, 0, {"product_id": pid, "name": name, "quantity": qty, "price_unit": price})
                for pid, name, qty, price in lines
            ],
            "schedule_ids": [
                (0, 0, {"date_due": start, "kind": "percent", "value": 30.0, "is_deposit": True}),
                (
                    0,
                    0,
                    {
                        "date_due": start + timedelta(days=span // 2),
                        "kind": "percent",
                        "value": 40.0,
                    },
                ),
                (0, 0, {"date_due": end, "kind": "percent", "value": 30.0}),
            ],
        }

    def _draft(self, partner_id, user, start, end, amount, orders=None, **kw):
        orders = orders if orders is not None else self.env["sale.order"]
        vals = self._contract_vals(partner_id, start, end, amount, orders, **kw)
        vals["user_id"] = user.id
        return self.env["sales.contract"].with_user(user).create(vals)

    def _approve(self, contract):
        """Legal, then the general manager, approve the contract's pending requests."""
        Approval = self.env["sales.compliance.approval"]
        for approver in (self.legal, self.director):
            pending = Approval.sudo().search(
                [
                    ("res_model", "=", "sales.contract"),
                    ("res_id", "=", contract.id),
                    ("state", "=", "pending"),
                ]
            )
            for approval in pending.filtered(lambda a, who=approver: who in a.pending_approver_ids):
                approval.with_user(approver).action_approve(self._contract_text("approved"))

    def _submit(self, contract):
        contract.with_user(contract.user_id).action_submit()

    def _sign(self, contract, day):
        self._submit(contract)
        self._approve(contract)
        scan = signed_scan_pdf(contract.display_name, day)
        contract.with_user(contract.user_id)._sign(day, [(f"{contract.name}.pdf", scan)])
        self.contract_days[contract.id] = day - timedelta(days=1)
        self.counts["contract_scans"] += 1

    def _place_orders(self, contract, orders):
        """The customer's orders placed under the contract; the first confirmed order puts a
        signed contract in performance (履行)."""
        if not orders:
            return
        orders.write({"contract_id": contract.id})
        if contract.state == "signed":
            contract._flow_write({"state": "performance"})
        if "collection_plan_ids" in orders._fields and orders.collection_plan_ids:
            # placed under the contract when it was made, the order's plan follows the
            # contract's payment schedule: made again, as the seed makes the others
            orders.collection_plan_ids.sudo().unlink()
            orders._collection_create_plans()._collection_refresh()

    def _window(self, orders, end=None):
        """Start a few weeks before the first order, a year's validity (or ``end``)."""
        first = orders[:1].date_order.date() if orders else self.today
        start = first - timedelta(days=self.rng.randint(7, 30))
        end = end or max(
            start + timedelta(days=364),
            # beyond the renewal days, the ends spread over the coming months
            self._month_end() + timedelta(days=self.rng.randint(45, 240)),
        )
        return start, end

    def _month_end(self):
        last = calendar.monthrange(self.today.year, self.today.month)[1]
        return self.today.replace(day=last)

    def _amount(self, orders, used_low=0.5, used_high=0.9):
        """The contract's amount: its orders make ``used_low``-``used_high`` of it."""
        total = sum(orders.mapped("amount_total"))
        if not total:
            return float(round(money(self.rng, 50000, 400000), -2))
        return float(round(total / self.rng.uniform(used_low, used_high), -2))

    def _in_performance(self, partner_id, user, orders, **kw):
        orders = orders[-6:]
        start, end = self._window(orders, kw.pop("end", None))
        amount = kw.pop("amount", None) or self._amount(orders)
        contract = self._draft(partner_id, user, start, end, amount, orders, **kw)
        self._sign(contract, start)
        self._place_orders(contract, orders)
        return contract

    # the stories (one contract each)
    def _contract_performance(self, partner_id, user, orders):
        self._in_performance(partner_id, user, orders)

    def _contract_framework_near_ceiling(self, partner_id, user, orders):
        orders = orders[-8:]
        total = sum(orders.mapped("amount_total"))
        ceiling = float(round(total / CEILING_USED / 100.0) * 100.0)
        self._in_performance(
            partner_id,
            user,
            orders,
            kind="framework",
            ceiling=ceiling,
            amount=ceiling,
            end=self.today + timedelta(days=self.rng.randint(90, 180)),
        )

    def _contract_expiring(self, partner_id, user, orders):
        """In force, ending this month: the salesperson renews it."""
        end = self.today + timedelta(
            days=self.rng.randint(0, (self._month_end() - self.today).days)
        )
        orders = orders.filtered(lambda o: o.date_order.date() <= end)[-4:]
        start = min(
            end - timedelta(days=364),
            orders[:1].date_order.date() - timedelta(days=7) if orders else end,
        )
        contract = self._draft(
            partner_id, user, start, end, self._amount(orders), orders, kind="annual"
        )
        self._sign(contract, start)
        self._place_orders(contract, orders)

    def _closed_window(self, orders):
        """A contract over before today: orders placed under it, its end a few weeks after."""
        orders = orders[:4]
        last = orders[-1:].date_order.date()
        end = min(last + timedelta(days=self.rng.randint(10, 40)), self.today - timedelta(days=1))
        start, _end = self._window(orders, end)
        return orders, start, end

    def _contract_completed(self, partner_id, user, orders):
        orders, start, end = self._closed_window(orders)
        contract = self._draft(
            partner_id, user, start, end, self._amount(orders, 0.97, 1.0), orders
        )
        self._sign(contract, start)
        self._place_orders(contract, orders)
        # the sales desk closes it: the director, general manager, is of the desk
        contract.with_user(self.director).action_complete()

    def _contract_expired(self, partner_id, user, orders):
        """In force past its end: the expiry (renewal cron, or here) marks it expired."""
        orders, start, end = self._closed_window(orders)
        contract = self._draft(partner_id, user, start, end, self._amount(orders), orders)
        self._sign(contract, start)
        self._place_orders(contract, orders)

    def _contract_terminated(self, partner_id, user, orders):
        """Terminated (解除) by a signed termination version, reviewed as a change is."""
        orders = orders[:3]
        contract = self._in_performance(partner_id, user, orders)
        action = contract.with_user(user).action_terminate()
        termination = self.env["sales.contract"].browse(action["res_id"])
        termination.with_user(user).change_reason = self._contract_text("termination")
        self._sign(termination, self.today - timedelta(days=self.rng.randint(3, 20)))

    def _changed_version(self, contract, user):
        """Version 2 of ``contract``: a higher amount, a later end, a line more."""
        action = contract.with_user(user).action_new_version()
        version = self.env["sales.contract"].browse(action["res_id"])
        product = self.rng.choice(self.products)
        version.with_user(user).write(
            {
                "change_reason": self._contract_text("change"),
                "amount": float(round(contract.amount * 1.2, -2)),
                "date_end": contract.date_end + timedelta(days=180),
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": product["id"],
                            "name": product["name"],
                            "quantity": 10.0,
                            "price_unit": product["price"],
                        },
                    )
                ],
            }
        )
        return version

    def _contract_superseded(self, partner_id, user, orders):
        """Version 1 superseded by a signed change, later orders placed under version 2."""
        before, after = orders[:-2][-4:], orders[-2:]
        contract = self._in_performance(partner_id, user, before)
        version = self._changed_version(contract, user)
        signed = max(self.today - timedelta(days=40), contract.date_start + timedelta(days=1))
        self._sign(version, signed)
        self._place_orders(version, after)

    def _contract_pending_change(self, partner_id, user, orders):
        """Version 2 in review, waiting for legal, while version 1 stays in force."""
        contract = self._in_performance(partner_id, user, orders)
        version = self._changed_version(contract, user)
        self._submit(version)

    def _contract_signed(self, partner_id, user, orders):
        start = self.today - timedelta(days=self.rng.randint(1, 10))
        contract = self._draft(
            partner_id, user, start, start + timedelta(days=364), self._amount(orders)
        )
        self._sign(contract, start)

    def _fresh(self, partner_id, user, amount=None):
        start = self.today + timedelta(days=self.rng.randint(3, 20))
        amount = amount or float(round(money(self.rng, 30000, 400000), -2))
        return self._draft(partner_id, user, start, start + timedelta(days=364), amount)

    def _contract_approved(self, partner_id, user, orders):
        contract = self._fresh(partner_id, user)
        self._submit(contract)
        self._approve(contract)

    def _contract_review(self, partner_id, user, orders):
        """In review: legal's approval pending."""
        self._submit(self._fresh(partner_id, user))

    def _contract_review_manager(self, partner_id, user, orders):
        """Above the general manager's amount: legal approved, the general manager's
        approval pending."""
        contract = self._fresh(partner_id, user, float(GENERAL_MANAGER_ABOVE + 180000))
        self._submit(contract)
        Approval = self.env["sales.compliance.approval"]
        pending = Approval.sudo().search(
            [
                ("res_model", "=", "sales.contract"),
                ("res_id", "=", contract.id),
                ("state", "=", "pending"),
            ]
        )
        for approval in pending.filtered(lambda a: self.legal in a.pending_approver_ids):
            approval.with_user(self.legal).action_approve(self._contract_text("approved"))

    def _contract_draft(self, partner_id, user, orders):
        self._fresh(partner_id, user)

    def _contract_cancelled(self, partner_id, user, orders):
        contract = self._fresh(partner_id, user)
        contract.with_user(user).action_cancel()

    def _expire_contracts(self):
        """Contracts in force past their end are expired by the renewal cron (which also
        gives the salespeople their renewal activities), or here where it is not installed."""
        Contract = self.env["sales.contract"]
        if hasattr(Contract, "_contract_renewal_run"):
            Contract._contract_renewal_run()
        past = Contract.search(
            [("state", "in", ("signed", "performance")), ("date_end", "<", self.today)]
        )
        past._flow_write({"state": "expired"})

    # -- bench: 20,000 contracts in batches ------------------------------------------------

    def make_bench_contracts(self, total=BENCH_CONTRACTS):
        """``total`` contracts over the seeded customers, created in batches as their flow
        leaves them (states, dates and signatures written with the flow's marker), each
        customer's confirmed orders placed under its first contract; and one contract with
        ``BENCH_FORM_ORDERS`` orders (the form benchmark's)."""
        from odoo.addons.sales_assistant.models.sales_contract import (  # noqa: PLC0415
            CONTRACT_FLOW,
        )

        env, rng, today = self.env, self.rng, self.today
        customers = env["res.partner"].search_read(
            [("ref", "=like", f"{REF_PREFIX}C%"), ("parent_id", "=", False)],
            ["user_id"],
            order="id",
        )
        users = env["res.users"].browse({c["user_id"][0] for c in customers if c["user_id"]})
        team_of = {u.id: u.sale_team_id.id for u in users}
        Contract = env["sales.contract"].with_context(sales_contract_flow=CONTRACT_FLOW)
        states = (
            ("performance", 40),
            ("signed", 20),
            ("completed", 10),
            ("expired", 10),
            ("terminated", 4),
            ("draft", 8),
            ("review", 3),
            ("approved", 3),
            ("cancelled", 2),
        )
        names, weights = zip(*states, strict=True)
        vals_list = []
        for i in range(total):
            customer = customers[i % len(customers)]
            user_id = customer["user_id"][0] if customer["user_id"] else False
            # a customer's first contract (a quarter of them in all) takes its orders
            first_round = i < min(len(customers), total // 4)
            state = "performance" if first_round else rng.choices(names, weights)[0]
            kind = rng.choice(("one_off", "one_off", "annual", "framework"))
            amount = float(round(money(rng, 20000, 2000000), -2))
            if state in ("signed", "performance"):
                # in force: a few past their end (to expire), some to renew this month
                end = today + timedelta(days=rng.randint(-15, 700))
            elif state in ("completed", "expired", "terminated"):
                end = today - timedelta(days=rng.randint(1, 700))
            else:
                end = today + timedelta(days=rng.randint(60, 500))
            start = end - timedelta(days=364)
            vals = {
                "name": f"HT-BENCH-{i + 1:05d}",
                "partner_id": customer["id"],
                "user_id": user_id,
                "team_id": team_of.get(user_id, False),
                "company_id": self.company.id,
                "contract_type": kind,
                "amount": amount,
                "ceiling": amount if kind == "framework" else 0.0,
                "date_start": start,
                "date_end": end,
                "deposit_percent": 30.0,
                "state": state,
            }
            if state not in ("draft", "review", "approved", "cancelled"):
                vals["date_signed"] = start
            vals_list.append(vals)
        first = {}
        for k, chunk in enumerate(chunks(vals_list, 1000)):
            contracts = Contract.create(chunk)
            for vals, contract in zip(chunk, contracts, strict=True):
                if vals["state"] == "performance":
                    first.setdefault(vals["partner_id"], contract.id)
            self.commit()
            self.log("contracts", min((k + 1) * 1000, total), total)
        # every customer's confirmed orders under its first contract
        orders = env["sale.order"].search_read(
            [("partner_id", "in", list(first)), ("state", "=", "sale")], ["partner_id"]
        )
        by_contract = defaultdict(list)
        for order in orders:
            by_contract[first[order["partner_id"][0]]].append(order["id"])
        SO = env["sale.order"]
        for contract_id, order_ids in by_contract.items():
            SO.browse(order_ids).write({"contract_id": contract_id})
        self.commit()
        self.counts["contracts"] = total
        self.counts["contract_orders"] = len(orders)
        self._bench_form_contract(Contract, customers[0])

    def _bench_form_contract(self, Contract, customer):
        """A contract in performance with ``BENCH_FORM_ORDERS`` confirmed orders of 3 lines,
        created in one batch and confirmed by writing their state, as the seed's history."""
        env, rng, today = self.env, self.rng, self.today
        user_id = customer["user_id"][0] if customer["user_id"] else env.user.id
        contract = Contract.create(
            {
                "name": "HT-BENCH-FORM",
                "partner_id": customer["id"],
                "user_id": user_id,
                "contract_type": "framework",
                "amount": 5000000.0,
                "ceiling": 5000000.0,
                "date_start": today - timedelta(days=300),
                "date_end": today + timedelta(days=400),
                "date_signed": today - timedelta(days=300),
                "deposit_percent": 30.0,
                "state": "performance",
            }
        )
        products = self.products if hasattr(self, "products") else None
        if not products:
            products = [
                {"id": p.id, "name": p.display_name, "price": p.list_price}
                for p in env["product.product"].search(
                    [("default_code", "=like", f"{REF_PREFIX}P%")], limit=200, order="id"
                )
            ]
        vals_list = []
        for n in range(BENCH_FORM_ORDERS):
            day = today - timedelta(days=290 - 5 * n)
            vals_list.append(
                {
                    "partner_id": customer["id"],
                    "partner_invoice_id": customer["id"],
                    "partner_shipping_id": customer["id"],
                    "user_id": user_id,
                    "company_id": self.company.id,
                    "date_order": f"{day} 09:00:00",
                    "contract_id": contract.id,
                    "client_order_ref": f"PO-FRAME-{n + 1:03d}",
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": p["id"],
                                "name": p["name"],
                                "product_uom_qty": float(rng.choice([1, 2, 5, 10])),
                                "price_unit": p["price"],
                            },
                        )
                        for p in rng.sample(products, 3)
                    ],
                }
            )
        orders = env["sale.order"].create(vals_list)
        orders.write({"state": "sale"})
        self.commit()
        self.counts["contract_form_orders"] = len(orders)
        self.log(f"contract {contract.name}: {len(orders)} orders (the form benchmark)")
