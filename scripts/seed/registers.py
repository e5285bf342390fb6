"""The call and visitor registers (来电/来访登记) of the seeded organisation
(Seeder.make_registers).

Demo and tiny: a handful of inbound calls and visitors of today and yesterday for the reps of
the first team (the demo login's), logged as users log them: mostly by the sales desk (the
director, a sales manager), some by the reps themselves; some are about a customer of the rep,
some forwarded as a To Do, some still waiting for a lead. Nothing in bench.
"""

from datetime import timedelta

from .helpers import en_person, zh_person

# (English, Chinese): what callers and visitors come about
REGISTER_SUBJECTS = (
    ("Asks for the new price list", "索取新价目表"),
    ("Wants to know when the order ships", "询问订单发货时间"),
    ("Complains about a late delivery", "反映交货延迟"),
    ("Asks for a quotation for 20 valves", "询价:阀门 20 台"),
    ("Brings a sample for testing", "送样品来测试"),
    ("Asks about the invoice of last month", "询问上月发票"),
    ("Wants a visit to the plant", "希望来厂参观"),
    ("Introduces a new purchasing manager", "介绍新任采购经理"),
)
# (English, Chinese): companies of callers who are not customers yet
REGISTER_COMPANIES = (
    ("Changzhou Hengtong Valves", "常州恒通阀门有限公司"),
    ("Wuxi Xinrui Automation", "无锡新锐自动化有限公司"),
    ("Ningbo Haitian Fittings", "宁波海天管件有限公司"),
)
REGISTER_NOTES = {
    "answered": ("Answered on the phone.", "电话中已答复。"),
    "message": ("Please call back before 5 pm.", "请在下午五点前回电。"),
    "appointment": ("Meeting on Thursday at 10:00.", "约定周四上午十点见面。"),
    "other": ("Left their card at the front desk.", "在前台留下了名片。"),
}
OFFICE_OPENS = 8  # hours after the company's midnight


class RegisterSteps:
    """The registers of the seeded organisation: steps of the Seeder (seeder.py), whose
    attributes (``env``, ``rng``, ``today``, ``company``, ``team_reps``, ``director``,
    ``customers``...) they use."""

    def make_registers(self):
        if "sales.register.entry" not in self.env or self.bench:
            return
        env, rng = self.env, self.rng
        Entry = env["sales.register.entry"]
        lang = 1 if self.chinese else 0
        desk = self.director
        from odoo import fields  # noqa: PLC0415 (the seed imports Odoo once it is set up)

        now = fields.Datetime.now()
        entries = Entry
        forward = Entry
        for user_id in self.team_reps[0]:
            customers = [c["id"] for c in self.customers if c["user"] == user_id]
            for days_ago, count in ((0, rng.randint(2, 3)), (1, rng.randint(1, 3))):
                opens = self.company._sales_utc(self.today - timedelta(days=days_ago))
                opens += timedelta(hours=OFFICE_OPENS)
                for n in range(count):
                    kind = rng.choice(("call", "call", "visit"))
                    outcome = rng.choice(("answered", "message", "appointment", "other"))
                    vals = {
                        "kind": kind,
                        "date": self._register_moment(opens, now),
                        "contact_name": zh_person(rng) if self.chinese else en_person(rng),
                        "contact_phone": f"0512-6{rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                        "subject": rng.choice(REGISTER_SUBJECTS)[lang],
                        "outcome": outcome,
                        "outcome_note": REGISTER_NOTES[outcome][lang],
                        "user_id": user_id,
                        "company_id": self.company.id,
                    }
                    if customers and rng.random() < 0.6:
                        vals["partner_id"] = rng.choice(customers)
                    else:
                        vals["contact_company"] = rng.choice(REGISTER_COMPANIES)[lang]
                    logger = desk if rng.random() < 0.7 else env["res.users"].browse(user_id)
                    entry = Entry.with_user(logger).create(vals)
                    entries |= entry
                    # the desk passes the rep's first caller of today on as a To Do
                    if days_ago == 0 and not n and logger == desk:
                        forward |= entry
        if forward:
            forward.with_user(desk).action_forward()
        self.counts["register_entries"] = len(entries)
        self.commit()
        self.log(f"registers: {len(entries)} calls and visitors, {len(forward)} forwarded")

    def _register_moment(self, opens, now):
        """A moment of the office day that starts at ``opens``, never later than now."""
        if now <= opens:
            return now - timedelta(minutes=self.rng.randint(5, 90))
        span = min(now - opens, timedelta(hours=10))
        return opens + timedelta(seconds=self.rng.randint(0, int(span.total_seconds())))
