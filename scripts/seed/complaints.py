"""Customer complaints (客诉) of the seeded organisation (Seeder.make_complaints).

Demo and tiny: a sales desk (销售内勤) that owns every team's complaints, and complaints on
the seeded orders, made as users make them (the rep files, the desk starts and closes, the
cron escalates): new and in progress ones, overdue ones escalated to their leader, critical
ones, some from the portal, and closed ones of the last months (on time or late) for the
analysis. Dates are relative to the seeding day. Not in bench.
"""

from datetime import datetime, timedelta

from .data import DEMO_PASSWORD, LOGIN_PREFIX, REF_PREFIX
from .helpers import en_person, zh_person

# (subject en, subject zh, category, action taken when closed)
COMPLAINT_TEXTS = (
    ("Valve leaks at the flange", "法兰处阀门漏水", "quality", "replacement"),
    ("Delivery arrived three days late", "货物晚到三天", "delivery", "explanation"),
    ("Broken seal on delivery", "到货时封条破损", "delivery", "replacement"),
    ("Invoice amount does not match the order", "发票金额与订单不符", "billing", "credit_note"),
    ("Installer did not show up", "安装人员未按约上门", "service", "visit"),
    ("Motor overheats after an hour", "电机运行一小时后过热", "quality", "repair"),
    ("Wrong model delivered", "发错型号", "delivery", "replacement"),
    ("Manual missing from the box", "包装内缺少说明书", "other", "explanation"),
)
RESOLUTIONS = {
    "replacement": ("A new unit was shipped and installed.", "已发新件并完成安装。"),
    "explanation": ("Explained the cause to the customer.", "已向客户说明原因。"),
    "credit_note": ("A credit note for the difference was issued.", "已开具差额红字发票。"),
    "visit": ("Visited the site with the installer.", "已与安装人员上门处理。"),
    "repair": ("Repaired on site.", "已现场维修。"),
}
# (story, count in tiny, count in demo, severity, days since filed, source)
COMPLAINT_STORIES = (
    ("new", 1, 3, "normal", 0, "staff"),
    ("portal", 1, 2, "high", 0, "portal"),
    ("in_progress", 1, 3, "normal", 1, "staff"),
    ("critical", 1, 1, "critical", 0, "staff"),
    ("overdue", 1, 3, "high", 4, "staff"),
    ("closed", 2, 10, "normal", 75, "staff"),
    ("closed_late", 1, 4, "high", 50, "staff"),
    ("cancelled", 0, 1, "low", 20, "staff"),
)


class ComplaintSteps:
    """The complaints of the seeded organisation: steps of the Seeder (seeder.py), whose
    attributes (``env``, ``rng``, ``today``, ``teams``, ``demo_user``...) they use."""

    def make_complaints(self):
        if self.bench or "sales.complaint" not in self.env:
            return
        self._complaint_desk()
        self._complaint_register()
        self.commit()

    def _complaint_desk(self):
        """The sales desk: owns the complaints of every team and is the company's default."""
        env = self.env
        login = f"{LOGIN_PREFIX}desk001@sales-suite.example.com"
        groups = [env.ref("base.group_user").id, env.ref("sales_assistant.group_assistant_desk").id]
        self.complaint_desk = env["res.users"].create(
            {
                "name": zh_person(self.rng) if self.chinese else en_person(self.rng),
                "login": login,
                "email": login,
                "lang": self.lang,
                "tz": "Asia/Shanghai" if self.chinese else "Europe/London",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "password": DEMO_PASSWORD,
                "groups_id": [(6, 0, groups)],
            }
        )
        self.teams.write({"complaint_owner_id": self.complaint_desk.id})
        self.company.complaint_owner_id = self.complaint_desk
        self.counts["users"] += 1

    def _complaint_orders(self):
        """Confirmed seeded orders of active reps, the demo salesperson's first."""
        orders = self.env["sale.order"].search(
            [
                ("partner_id.ref", "=like", f"{REF_PREFIX}C%"),
                ("state", "=", "sale"),
                ("user_id.active", "=", True),
            ],
            order="date_order desc, id desc",
            limit=200,
        )
        demo = orders.filtered(lambda o: o.user_id == self.demo_user)
        return list(demo[:3]) + list(orders - demo[:3])

    def _complaint_register(self):
        env = self.env
        Complaint = env["sales.complaint"]
        desk = self.complaint_desk
        orders = self._complaint_orders()
        if not orders:
            return
        lang = 1 if self.chinese else 0
        made = 0
        for story, tiny, demo_count, severity, age, source in COMPLAINT_STORIES:
            for _n in range(tiny if self.size == "tiny" else demo_count):
                order = orders[made % len(orders)]
                text = COMPLAINT_TEXTS[made % len(COMPLAINT_TEXTS)]
                if source == "portal" and made % 2:
                    text = COMPLAINT_TEXTS[2]  # the portal tour's subject
                made += 1
                days = age + (self.rng.randint(0, 25) if story.startswith("closed") else 0)
                filed = self._complaint_moment(days, self.rng.randint(1, 8))
                rep = order.user_id
                complaint = (
                    Complaint.with_user(rep)
                    .with_context(mail_notrack=False)
                    .create(
                        {
                            "subject": text[lang],
                            "order_id": order.id,
                            "picking_id": order.picking_ids[:1].id,
                            "category": text[2],
                            "severity": severity,
                            "description": text[lang],
                        }
                    )
                )
                complaint = complaint.sudo()
                complaint._flow_write({"date_filed": filed, "source": source})
                if story in ("in_progress", "overdue", "closed", "closed_late"):
                    complaint.with_user(desk).action_start()
                if story.startswith("closed"):
                    action = text[3]
                    complaint.with_user(desk)._close(
                        RESOLUTIONS[action][lang],
                        action,
                        self.rng.choice(["3", "4", "5"] if story == "closed" else ["1", "2", "3"]),
                    )
                    hours = complaint.date_deadline - filed
                    spent = hours * (0.4 if story == "closed" else 1.6)
                    complaint._flow_write({"date_closed": filed + spent})
                elif story == "cancelled":
                    complaint.with_user(desk).action_cancel(
                        "重复登记" if self.chinese else "Filed twice"
                    )
        Complaint.sudo()._escalate_overdue()
        self.counts["complaints"] = made

    def _complaint_moment(self, days_ago, hour):
        """``hour`` o'clock of the company's day ``days_ago`` days ago (UTC, naive); today's
        complaints were filed ``hour`` hours ago (a critical one is still within its 4 h)."""
        now = datetime.utcnow().replace(microsecond=0)
        if not days_ago:
            return now - timedelta(hours=min(hour, 3))
        day = self.today - timedelta(days=days_ago)
        # the company's day at ``hour``, as a naive UTC datetime
        start = self.company._sales_utc(day)
        moment = start + timedelta(hours=hour)
        return min(moment, now - timedelta(hours=1))
