"""The compliance gate (when sales_compliance is installed): the orders the seed confirms meet
it as their salespeople would."""

import math
import random
import time
from collections import defaultdict
from datetime import datetime

from .data import (
    GATE_BLOCKED_SHARE,
    GATE_COMMENTS,
    GATE_DISCOUNT,
    GATE_LARGE_ORDER,
    GATE_PENDING_DAYS,
    GATE_PENDING_SHARE,
    GATE_REJECTED_EVERY,
    GATE_TEXTS,
    RANDOM_SEED,
)


class ComplianceGate:
    """Sends the seed's confirmations through the compliance gate, as the salespeople.

    The seed's rules (scoped to its teams) make a realistic share of orders warned, held for
    approval (approved, rejected then corrected, or still waiting) and blocked then fixed.
    Violations, approvals and their chatter are dated on the order's day, so the compliance
    screens (violations, approvals, blocked attempts, compliance rate) have content in every
    month of the year.
    """

    def __init__(self, seeder, rules):
        self.seeder = seeder
        self.env = seeder.env
        self.rng = random.Random(f"{RANDOM_SEED}-{seeder.size}-gate")
        self.rules = rules
        self.officer = self.env.ref("base.user_admin", raise_if_not_found=False)
        self.leaders = {team.id: team.user_id.id for team in seeder.teams}
        self.dated = {}  # order id -> day: compliance records to date
        self.requests = 0
        self.seconds = 0.0  # spent confirming through the gate (the batch included)
        discounted = [
            plan
            for plan in seeder.plans
            if plan["state"] == "sale"
            and any(d > GATE_DISCOUNT for _p, _q, d in plan["lines"])
            and (seeder.today - plan["day"]).days <= GATE_PENDING_DAYS
        ]
        # plans are sorted by day: the latest requests are those still waiting
        waiting = max(1, round(GATE_PENDING_SHARE * len(discounted))) if discounted else 0
        for plan in discounted[len(discounted) - waiting :]:
            plan["gate_waits"] = True  # a key of the plan: it survives a resumed run

    @classmethod
    def setup(cls, seeder):
        env = seeder.env
        if "sales.compliance.rule" not in env:
            return None
        amounts = sorted(plan["untaxed"] for plan in seeder.plans)
        threshold = amounts[min(len(amounts) - 1, int(len(amounts) * GATE_LARGE_ORDER))]
        threshold = float(round(threshold, -int(math.log10(max(threshold, 10))) + 1))
        teams = [(6, 0, seeder.teams.ids)]
        ref_field = env["ir.model.fields"]._get("sale.order", "client_order_ref")
        common = {"model_name": "sale.order", "trigger": "confirm", "team_ids": teams}
        texts = GATE_TEXTS
        rules = env["sales.compliance.rule"].create(
            [
                {
                    **common,
                    "name": texts["po"][0],
                    "message": texts["po"][1],
                    "sequence": 5,
                    "condition_type": "builtin",
                    "check": "contract_terms",
                    "required_field_ids": [(6, 0, ref_field.ids)],
                    "outcome": "block",
                },
                {
                    **common,
                    "name": texts["discount"][0],
                    "message": texts["discount"][1],
                    "sequence": 6,
                    "condition_type": "domain",
                    "apply_on_lines": True,
                    "domain": f"[('discount', '>', {GATE_DISCOUNT})]",
                    "outcome": "approval",
                    "level_ids": [
                        (0, 0, {"name": texts["discount_level"][0], "approver_type": "team_leader"})
                    ],
                },
                {
                    **common,
                    "name": texts["large"][0],
                    "message": texts["large"][1],
                    "sequence": 7,
                    "condition_type": "builtin",
                    "check": "amount",
                    "amount_limit": threshold,
                    "outcome": "warn",
                },
            ]
        )
        if seeder.lang != "en_US":
            for rule, key in zip(rules, ("po", "discount", "large"), strict=True):
                rule.update_field_translations("name", {seeder.lang: texts[key][2]})
                rule.update_field_translations("message", {seeder.lang: texts[key][3]})
            rules[1].level_ids.update_field_translations(
                "name", {seeder.lang: texts["discount_level"][2]}
            )
        seeder.log(f"compliance gate: {len(rules)} rules, large orders above {threshold:,.0f}")
        return cls(seeder, dict(zip(("po", "discount", "large"), rules, strict=True)))

    def _comment(self, key):
        return GATE_COMMENTS[key][1 if self.seeder.lang == "zh_CN" else 0]

    def confirm(self, plans):
        """Confirm ``plans``' orders, those that meet a rule as their salespeople; set
        ``plan["state"]`` to "sent" for those left waiting for an approval."""
        started = time.monotonic()
        env = self.env
        SO = env["sale.order"]
        limit = self.rules["large"].amount_limit
        amounts = {o.id: o.amount_untaxed for o in SO.browse([p["order"] for p in plans])}
        clean = defaultdict(list)  # user id -> order ids (0: orders that break no rule)
        for plan in plans:
            discounted = any(d > GATE_DISCOUNT for _p, _q, d in plan["lines"])
            self.dated[plan["order"]] = plan["day"]
            if discounted:
                self._through_approval(plan)
            elif self.rng.random() < GATE_BLOCKED_SHARE:
                self._blocked_then_fixed(plan)
            else:
                # an order that breaks no rule leaves no trace of who confirmed it: in one
                # batch (the cost of confirming order by order); large ones as their rep
                large = amounts[plan["order"]] > limit
                clean[plan["user"] if large else 0].append(plan["order"])
        for user_id, order_ids in clean.items():
            orders = SO.browse(order_ids)
            (orders.with_user(user_id) if user_id else orders).action_confirm()
        self.seconds += time.monotonic() - started

    def _order_as(self, plan, user_id=None):
        return self.env["sale.order"].browse(plan["order"]).with_user(user_id or plan["user"])

    def _blocked_then_fixed(self, plan):
        """The rep forgot the customer's PO number: blocked, filled in, confirmed; the
        compliance officer then marks the violation resolved."""
        order = self._order_as(plan)
        ref = order.client_order_ref
        order.sudo().client_order_ref = False
        order.with_context(compliance_dialog=True).action_confirm()  # the blocking dialog
        if order.state == "sale":
            raise RuntimeError(f"{order.name} went through the PO number rule")
        order.client_order_ref = ref
        order.action_confirm()
        self.seeder.counts["gate_blocked"] += 1
        if self.officer:
            violations = self._violations(order, "po")
            violations.with_user(self.officer).action_resolve(self._comment("resolved"))

    def _through_approval(self, plan):
        """A discount above 10%: the rep asks for the approval; the team leader approves
        (or rejects, and the rep lowers the discount); recent requests are still waiting."""
        order = self._order_as(plan)
        order.with_context(compliance_dialog=True).action_confirm()  # the approval dialog
        if order.state == "sale":
            raise RuntimeError(f"{order.name} went through the discount rule")
        order.action_compliance_request_approval()
        approval = self.env["sales.compliance.approval"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("rule_id", "=", self.rules["discount"].id),
                ("state", "=", "pending"),
            ]
        )
        if plan.get("gate_waits"):
            plan["state"] = "sent"
            self.seeder.counts["gate_pending"] += 1
            return
        self.requests += 1
        leader = approval.with_user(self.leaders[plan["team"]])
        if self.requests % GATE_REJECTED_EVERY == 0:
            leader.action_reject(self._comment("rejected"))
            lines = order.order_line.filtered(lambda line: line.discount > GATE_DISCOUNT)
            order.write(
                {"order_line": [(1, line.id, {"discount": GATE_DISCOUNT}) for line in lines]}
            )
            self.seeder.counts["gate_rejected"] += 1
        else:
            leader.action_approve(self._comment("approved"))
            self.seeder.counts["gate_approved"] += 1
        order.action_confirm()

    def ask_every_leader(self):
        """Every team leader has a discount request waiting for them this morning: a rep of
        the team offers 15% on a new quotation and asks for the approval."""
        env = self.env
        Approval = env["sales.compliance.approval"]
        for t, team in enumerate(self.seeder.teams):
            leader = team.user_id
            if Approval.search_count(
                [("state", "=", "pending"), ("pending_approver_ids", "in", leader.ids)], limit=1
            ):
                continue
            rep = self.seeder.team_reps[t][0]
            order = self.seeder._order_today(rep, t, discount=15.0).with_user(rep)
            order.with_context(compliance_dialog=True).action_confirm()  # the approval dialog
            if order.state != "sale":
                order.action_compliance_request_approval()
                self.seeder.counts["gate_pending"] += 1
                self.seeder.counts["quotations"] += 1
            else:
                self.seeder.counts["confirmed_orders"] += 1
        env.invalidate_all()  # the orders' compliance status follows their new approvals

    def _violations(self, order, key):
        return self.env["sales.compliance.violation"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("rule_id", "=", self.rules[key].id),
                ("state", "=", "open"),
            ]
        )

    def date_records(self):
        """Date the compliance records and chatter of the orders confirmed since the last
        call on the order's day: asked at 9:00, decided at 11:00."""
        if not self.dated:
            return
        date_compliance_records(self.env, "sale.order", self.dated)
        self.dated = {}

    def finish(self):
        """Count what the gate logged. In the bench database the rules are then archived:
        the benchmarks measure rules of their own against none."""
        env = self.env
        groups = env["sales.compliance.violation"]._read_group(
            [("rule_id", "in", [r.id for r in self.rules.values()])], ["outcome"], ["__count"]
        )
        for outcome, count in groups:
            self.seeder.counts[f"violations_{outcome}"] = count
        self.seeder.counts["gate_seconds"] = round(self.seconds, 1)
        if self.seeder.bench:
            env["sales.compliance.rule"].union(*self.rules.values()).active = False


def date_compliance_records(env, model, days):
    """Date the compliance records (violations, approvals and their steps) and the chatter
    of ``model``'s records ``days`` ({id: date}) on their day: asked at 9:00, decided at
    11:00."""
    if not days:
        return
    env.flush_all()
    pairs = [(rid, datetime(day.year, day.month, day.day, 9, 0)) for rid, day in days.items()]
    values = ",".join(env.cr.mogrify("(%s,%s::timestamp)", pair).decode() for pair in pairs)
    env.cr.execute(
        f"""
        WITH days(record_id, moment) AS (VALUES {values}),
        v AS (
            UPDATE sales_compliance_violation t
               SET date = d.moment, last_attempt_date = d.moment, create_date = d.moment,
                   write_date = d.moment + interval '2 hours',
                   decision_date = CASE WHEN t.decision_date IS NULL THEN NULL
                                        ELSE d.moment + interval '2 hours' END
              FROM days d
             WHERE t.res_model = %(model)s AND t.res_id = d.record_id
        ), a AS (
            UPDATE sales_compliance_approval t
               SET request_date = d.moment + interval '10 minutes',
                   create_date = d.moment + interval '10 minutes',
                   write_date = d.moment + interval '2 hours'
              FROM days d
             WHERE t.res_model = %(model)s AND t.res_id = d.record_id
         RETURNING t.id, d.moment
        ), s AS (
            UPDATE sales_compliance_approval_step t
               SET create_date = a.moment + interval '10 minutes',
                   decided_date = CASE WHEN t.decided_date IS NULL THEN NULL
                                       ELSE a.moment + interval '2 hours' END
              FROM a
             WHERE t.approval_id = a.id
        ), m AS (
            UPDATE mail_message t
               SET date = a.moment + interval '1 hour'
              FROM a
             WHERE t.model = 'sales.compliance.approval' AND t.res_id = a.id
        )
        UPDATE mail_message t
           SET date = d.moment + interval '1 hour'
          FROM days d
         WHERE t.model = %(model)s AND t.res_id = d.record_id
        """,
        {"model": model},
    )
    env.invalidate_all()
