#!/usr/bin/env python3
"""Seed data generator for the sales suite (Odoo 18.0 Community).

Builds a realistic, deterministic (fixed random seed) sales organisation in an
Odoo database: regional sales teams, a sales director, team leaders and reps,
customers with Chinese and English names, products in categories, a year of
opportunities, quotations, confirmed orders, deliveries, posted invoices and
payments reconciled with the invoices.

Only standard modules are required: sale_management, crm, account, sale_stock
and sale_margin.

CLI::

    python3 scripts/seed.py -d DBNAME [--size tiny|demo|bench] [--lang zh_CN] [--addons-path ...]
                            [-c odoo.conf]

In-process (tests, other scripts)::

    seed = importlib.util ... load scripts/seed.py
    counts = seed.seed(env, size="tiny", log=print)   # never commits unless commit=True

Sizes (see ``SIZES``): ``tiny`` (tests, a few seconds), ``demo`` (4 teams, 20
reps, 300 customers, 400 orders; about 1 minute) and ``bench`` (8 teams, 200
reps, 5,000 customers, 2,000 products, 12,500 orders x 16 lines = 200,000 order
lines; see the README for the measured time).

Historical orders are created in bulk through the ORM (``create()`` on lists of
values) and confirmed by writing their state directly; a share of them
(``stock_ratio``: all of them in tiny/demo, 5% in bench) goes through the real
``action_confirm()`` + picking validation flow so that deliveries (and
``qty_delivered``) come from done stock moves. Invoices are built from the sale
order lines (``sale_line_ids`` links, so ``qty_invoiced`` and
``invoice_status`` are right); their tax and receivable journal items are
computed up front with Odoo's own tax engine so the slow per-line
synchronisation can be skipped (a test checks they equal Odoo's own
computation), then posted in batches. In bench only ``invoice_ratio`` (50%) of
the invoiceable orders are invoiced, to fit the 30-minute budget; the others
stay "to invoice". Payments are ``account.payment`` records reconciled with the
invoices' receivable lines (full or partial).

When ``sales_compliance`` is installed, the orders confirmed through ``action_confirm()``
meet the compliance gate as their salespeople would, under three rules the seed adds for its
teams (see ``ComplianceGate``): some are warned, some wait for (and get, or not) their team
leader's approval, a few are blocked and fixed. With ``--lang zh_CN`` the language is loaded
and the generated company works in it (staff, Chinese customers, target names).

The run is idempotent: the ir.config_parameter ``sales_suite.seed_size`` marks a
seeded database and a second run exits without creating anything.
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

MARKER_PARAM = "sales_suite.seed_size"  # "SIZE:in_progress" while seeding, then "SIZE"
RANDOM_SEED = 20240601
REF_PREFIX = "SEED-"
LOGIN_PREFIX = "seed."
DEMO_PASSWORD = "demo"
REQUIRED_MODULES = ("sale_management", "crm", "account", "sale_stock", "sale_margin")

SIZES = {
    # teams: how many regional teams; reps: total reps (spread over teams)
    "tiny": {
        "teams": 2,
        "reps": 4,
        "customers": 20,
        "products": 20,
        "orders": 30,
        "lines": (1, 4),
        "opportunities": 30,
        "stock_ratio": 1.0,  # share of confirmed orders going through pickings
        "batch": 50,
    },
    "demo": {
        "teams": 4,
        "reps": 20,
        "customers": 300,
        "products": 150,
        "orders": 400,
        "lines": (2, 8),
        "opportunities": 500,
        "stock_ratio": 1.0,
        "batch": 100,
    },
    "bench": {
        "teams": 8,
        "reps": 200,
        "customers": 5000,
        "products": 2000,
        "orders": 12500,
        "lines": (16, 16),  # 200,000 order lines
        "opportunities": 6000,
        "stock_ratio": 0.05,
        "invoice_ratio": 0.5,  # share of invoiceable orders invoiced (time budget)
        "batch": 250,
    },
}

# Relative order volume by calendar month: the Spring Festival lull in February, quarter-end
# pushes, the October Golden Week, and the year-end push (年底冲量) that makes December the
# busiest month.
SEASONALITY = (0.9, 0.6, 1.1, 1.0, 1.0, 1.2, 0.9, 0.9, 1.2, 0.8, 1.1, 2.1)

# --------------------------------------------------------------------------------------
# Static reference data
# --------------------------------------------------------------------------------------

# (team name, language, [(city, country code, state code or None), ...])
REGIONS = [
    (
        "华东大区",
        "zh",
        [
            ("上海", "CN", "SH"),
            ("杭州", "CN", "ZJ"),
            ("南京", "CN", "JS"),
            ("苏州", "CN", "JS"),
            ("宁波", "CN", "ZJ"),
            ("合肥", "CN", "AH"),
        ],
    ),
    (
        "West Region",
        "en",
        [
            ("London", "GB", None),
            ("Frankfurt", "DE", None),
            ("New York", "US", "NY"),
            ("San Francisco", "US", "CA"),
            ("Paris", "FR", None),
            ("Amsterdam", "NL", None),
        ],
    ),
    (
        "华南大区",
        "zh",
        [
            ("深圳", "CN", "GD"),
            ("广州", "CN", "GD"),
            ("东莞", "CN", "GD"),
            ("厦门", "CN", "FJ"),
            ("佛山", "CN", "GD"),
            ("福州", "CN", "FJ"),
        ],
    ),
    (
        "华北大区",
        "zh",
        [
            ("北京", "CN", "BJ"),
            ("天津", "CN", "TJ"),
            ("青岛", "CN", "SD"),
            ("济南", "CN", "SD"),
            ("石家庄", "CN", "HE"),
            ("太原", "CN", "SX"),
        ],
    ),
    (
        "西南大区",
        "zh",
        [("成都", "CN", "SC"), ("重庆", "CN", "CQ"), ("昆明", "CN", "YN"), ("贵阳", "CN", "GZ")],
    ),
    (
        "APAC Export",
        "en",
        [
            ("Singapore", "SG", None),
            ("Tokyo", "JP", None),
            ("Sydney", "AU", None),
            ("Kuala Lumpur", "MY", None),
            ("Bangkok", "TH", None),
        ],
    ),
    (
        "华中大区",
        "zh",
        [("武汉", "CN", "HB"), ("长沙", "CN", "HN"), ("郑州", "CN", "HA"), ("南昌", "CN", "JX")],
    ),
    (
        "东北大区",
        "zh",
        [("沈阳", "CN", "LN"), ("大连", "CN", "LN"), ("哈尔滨", "CN", "HL"), ("长春", "CN", "JL")],
    ),
]

# the company that runs the Chinese demo (seed.py --lang zh_CN)
ZH_COMPANY = {
    "name": "上海星辰工业供应链有限公司",
    "street": "张江路88号",
    "street2": "浦东新区",
    "city": "上海",
    "zip": "201203",
    "phone": "+86 21 5080 8888",
}
# team names of the English-speaking regions in a Chinese company (seed.py --lang zh_CN)
ZH_TEAM_NAMES = {"West Region": "欧美大区", "APAC Export": "亚太出口部"}

ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
ZH_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "晓东",
    "志强",
    "海燕",
    "建华",
    "俊杰",
    "婷婷",
    "雪梅",
    "立新",
    "文博",
    "子涵",
    "欣怡",
    "浩然",
    "宇轩",
    "思远",
    "佳琪",
    "梓萱",
]
EN_FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Emma",
    "Oliver",
    "Sophie",
    "Lucas",
    "Hannah",
    "Mei",
    "Wei",
    "Kenji",
    "Aiko",
    "Raj",
    "Priya",
    "Anna",
    "Lukas",
    "Chloe",
    "Noah",
]
EN_LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Taylor",
    "Clark",
    "Lewis",
    "Walker",
    "Hall",
    "Young",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Carter",
    "Mitchell",
    "Turner",
    "Parker",
    "Evans",
    "Collins",
    "Tan",
    "Lim",
    "Tanaka",
    "Sato",
    "Müller",
    "Schmidt",
    "Dubois",
    "de Vries",
    "Nguyen",
]

ZH_BRAND_CHARS = "华润腾达恒信鼎盛瑞丰宏远金桥天成中正永安汇通嘉禾新元博雅立德凯旋泰和万隆锦程广源海纳东方长城星辰宇航创智联合卓越明辉佳兴信诚德胜国泰安达美科"  # noqa: E501
ZH_INDUSTRIES = [
    "贸易",
    "电子",
    "科技",
    "机电",
    "实业",
    "供应链",
    "工业设备",
    "信息技术",
    "自动化",
    "照明",
    "包装材料",
    "建材",
    "医疗器械",
    "物流",
    "精密制造",
    "新能源",
    "网络科技",
]
ZH_SUFFIXES = ["有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"]
EN_WORDS_A = [
    "Northwind",
    "Blue Harbor",
    "Summit",
    "Pacific",
    "Atlas",
    "Evergreen",
    "Silverline",
    "Redwood",
    "Golden Gate",
    "Crescent",
    "Horizon",
    "Ironbridge",
    "Lakeside",
    "Maple",
    "Orion",
    "Pioneer",
    "Riverside",
    "Sterling",
    "Trident",
    "Vanguard",
    "Westfield",
    "Keystone",
    "Beacon",
    "Cobalt",
    "Granite",
    "Harbor Point",
    "Meridian",
    "Nova",
    "Oakridge",
]
EN_WORDS_B = [
    "Traders",
    "Industries",
    "Electronics",
    "Supply",
    "Systems",
    "Logistics",
    "Trading",
    "Components",
    "Technologies",
    "Distribution",
    "Engineering",
    "Retail",
    "Imports",
    "Solutions",
    "Manufacturing",
    "Networks",
]
EN_SUFFIXES = ["Ltd", "Ltd", "Inc.", "LLC", "GmbH", "Pte. Ltd.", "B.V.", "Co., Ltd."]
STREETS_ZH = ["人民路", "中山路", "解放路", "建设路", "南京路", "科技园路", "工业大道", "滨江大道"]
STREETS_EN = ["High Street", "Market Street", "Station Road", "Harbour Road", "Park Avenue"]

# (category, [(base product name, unit price range)], spec variants)
CATALOG = [
    (
        "电子元器件 / Electronic Components",
        [
            ("贴片电阻 SMD Resistor", (5, 40)),
            ("铝电解电容 Capacitor", (8, 60)),
            ("MCU 微控制器 STM32", (25, 180)),
            ("工业继电器 Relay 24V", (30, 220)),
            ("电源模块 Power Module", (90, 680)),
            ("传感器 Sensor", (60, 900)),
        ],
        ["A1", "B2", "C3", "Pro", "Lite", "X", "S", "M", "L", "Plus"],
    ),
    (
        "网络设备 / Networking",
        [
            ("千兆交换机 Gigabit Switch", (600, 4800)),
            ("无线路由器 Wi-Fi Router", (300, 2600)),
            ("Cat6 网线 305m", (380, 900)),
            ("光模块 SFP", (150, 1200)),
            ("防火墙 Firewall", (3000, 26000)),
        ],
        ["8口", "16口", "24口", "48口", "10G", "PoE", "Enterprise", "SOHO"],
    ),
    (
        "办公设备 / Office Equipment",
        [
            ("激光打印机 Laser Printer", (900, 6800)),
            ("投影仪 Projector", (2200, 12000)),
            ("碎纸机 Shredder", (300, 2600)),
            ("会议平板 Meeting Board", (8000, 36000)),
            ("办公椅 Office Chair", (400, 3200)),
        ],
        ["标准版", "商务版", "旗舰版", "Compact", "Pro", "Max"],
    ),
    (
        "照明 / Lighting",
        [
            ("LED 面板灯 600x600", (80, 420)),
            ("LED 工矿灯 High Bay", (260, 1600)),
            ("LED 路灯 Street Light", (480, 3500)),
            ("应急灯 Emergency Light", (60, 380)),
        ],
        ["30W", "40W", "60W", "100W", "150W", "200W", "3000K", "6500K"],
    ),
    (
        "工业配件 / Industrial Parts",
        [
            ("深沟球轴承 Bearing", (12, 260)),
            ("气缸 Pneumatic Cylinder", (120, 980)),
            ("变频器 Inverter", (1200, 9800)),
            ("伺服电机 Servo Motor", (1800, 12000)),
            ("PLC 控制器", (2500, 18000)),
        ],
        ["0.75kW", "1.5kW", "2.2kW", "4kW", "7.5kW", "Type A", "Type B", "IP65"],
    ),
    (
        "包装材料 / Packaging",
        [
            ("瓦楞纸箱 Carton", (3, 25)),
            ("缠绕膜 Stretch Film", (25, 90)),
            ("气泡袋 Bubble Bag", (2, 18)),
            ("木托盘 Pallet", (60, 260)),
        ],
        ["小号", "中号", "大号", "加厚", "Standard", "Heavy Duty"],
    ),
]

PAYMENT_TERM_XMLIDS = [
    "account.account_payment_term_immediate",
    "account.account_payment_term_30days",
    "account.account_payment_term_30days",
    "account.account_payment_term_45days",
    "account.account_payment_term_end_following_month",
]
TERM_45_EOM = "45 Days End of Month"

# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


class AlreadySeeded(Exception):
    pass


class _Progress:
    def __init__(self, log):
        self.log = log
        self.t0 = time.monotonic()

    def __call__(self, what, done=None, total=None):
        elapsed = time.monotonic() - self.t0
        if total is None:
            self.log(f"[seed] {what} ({elapsed:.1f}s)")
        else:
            self.log(f"[seed] {what} {done}/{total} ({elapsed:.1f}s)")


def _chunks(seq, size):
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def _money(rng, low, high):
    """Log-uniform price between low and high, rounded like a price list."""
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    if value < 20:
        return round(value, 2)
    if value < 200:
        return round(value, 1)
    return float(round(value))


def _zh_person(rng):
    return rng.choice(ZH_SURNAMES) + rng.choice(ZH_GIVEN)


def _en_person(rng):
    return f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"


def _sql_set_dates(cr, table, column, pairs):
    """Bulk ``UPDATE table SET column = value`` for (id, value) pairs."""
    if not pairs:
        return
    for chunk in _chunks(pairs, 5000):
        values = ",".join(cr.mogrify("(%s,%s)", (rid, val)).decode() for rid, val in chunk)
        cr.execute(
            f"UPDATE {table} t SET {column} = v.val::timestamp "
            f"FROM (VALUES {values}) AS v(id, val) WHERE t.id = v.id"
        )


class Seeder:
    def __init__(self, env, size, log, commit, lang="en_US"):
        if size not in SIZES:
            raise ValueError(f"unknown size {size!r}, expected one of {sorted(SIZES)}")
        self.size = size
        self.cfg = SIZES[size]
        self.log = _Progress(log)
        self.commit_enabled = commit
        self.rng = random.Random(f"{RANDOM_SEED}-{size}")
        ctx = {
            "tracking_disable": True,
            "mail_create_nolog": True,
            "mail_create_nosubscribe": True,
            "mail_notrack": True,
            "no_reset_password": True,
            "skip_sale_auto_invoice_send": True,
        }
        self.env = env(context=dict(env.context, **ctx))
        self.company = self.env.company
        self._set_days()
        self.counts = defaultdict(int)
        self.lang = lang
        self.gate = None
        # build invoice journal items with the tax engine instead of the per-line sync
        self.fast_invoices = True

    def _set_days(self):
        """Today is the company's day (sales_compliance), as every screen of the suite counts
        it; the orders' days go back a year from it."""
        self.today = (
            self.company._sales_today() if hasattr(self.company, "_sales_today") else date.today()
        )
        self.start = self.today - timedelta(days=365)
        # order days: the company grows by a third over the year, months follow SEASONALITY
        self.days = [self.start + timedelta(days=d) for d in range(365)]
        self.day_weights = list(
            itertools.accumulate(
                (1.0 + d / 1095) * SEASONALITY[day.month - 1] for d, day in enumerate(self.days)
            )
        )

    # -- infrastructure ---------------------------------------------------------------

    def commit(self):
        self.env.flush_all()
        if self.commit_enabled:
            self.env.cr.commit()
            self.env.invalidate_all()

    def check_prerequisites(self):
        env = self.env
        mods = env["ir.module.module"].search([("name", "in", REQUIRED_MODULES)])
        installed = set(mods.filtered(lambda m: m.state == "installed").mapped("name"))
        missing = sorted(set(REQUIRED_MODULES) - installed)
        if missing:
            raise RuntimeError(f"missing modules in the database: {', '.join(missing)}")
        if self.chinese:
            self.make_chinese_company()
        if not self.company.chart_template and not env["account.account"].search_count(
            [("company_ids", "in", self.company.id)], limit=1
        ):
            self.log("loading the generic chart of accounts")
            env["account.chart.template"].try_loading(
                "generic_coa", self.company, install_demo=False
            )
        self.sale_journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company.id)], limit=1
        )
        self.bank_journal = env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1
        )
        if not self.sale_journal or not self.bank_journal:
            raise RuntimeError("the company needs a sales journal and a bank journal")

    # -- language ------------------------------------------------------------------------

    @property
    def chinese(self):
        return self.lang == "zh_CN"

    def make_chinese_company(self):
        """A Chinese demo is run by a Chinese company: a Chinese name and address, on Shanghai
        time and, where Odoo's Chinese localisation (l10n_cn) is installed, with the Chinese
        chart of accounts in yuan. Choosing it on a demo database replaces the demo's
        accounting, as Odoo does when a chart is chosen there (``seed.py --lang zh_CN``
        installs l10n_cn first)."""
        env = self.env
        company = self.company
        china = env.ref("base.cn")
        shanghai = env["res.country.state"].search(
            [("country_id", "=", china.id), ("code", "=", "SH")], limit=1
        )
        company.write({**ZH_COMPANY, "country_id": china.id, "state_id": shanghai.id})
        company.partner_id.tz = "Asia/Shanghai"
        Chart = env["account.chart.template"]
        l10n_cn = env["ir.module.module"].search([("name", "=", "l10n_cn")])
        if company.chart_template != "cn" and l10n_cn.state == "installed":
            old_currency = company.currency_id
            self.log("loading the Chinese chart of accounts (l10n_cn), in CNY")
            Chart.try_loading("cn", company, install_demo=False)
            # the prices of the company's pricelists are in yuan too
            env["product.pricelist"].with_context(active_test=False).search(
                [("currency_id", "=", old_currency.id), ("company_id", "in", (company.id, False))]
            ).currency_id = company.currency_id
        elif company.chart_template != "cn":
            self.log("l10n_cn is not installed: the company keeps its chart and currency")
        self._set_days()

    def load_language(self):
        """Load ``lang`` with the translations of every installed module, and make it the
        administrator's: the demo is then run as a company of that language would."""
        if self.lang == "en_US":
            return
        env = self.env
        if not env["res.lang"]._lang_get(self.lang):
            if (
                not env["res.lang"]
                .with_context(active_test=False)
                .search_count([("code", "=", self.lang)])
            ):
                raise RuntimeError(f"unknown language {self.lang!r}")
            self.log(f"loading the language {self.lang}")
            lang = env["res.lang"]._activate_lang(self.lang)
            env["base.language.install"].create({"lang_ids": [(6, 0, lang.ids)]}).lang_install()
        admin = env.ref("base.user_admin", raise_if_not_found=False)
        if admin:
            admin.lang = self.lang
        self.company.partner_id.lang = self.lang
        # data created from here on (names computed from translated records) is in lang
        self.env = env(context=dict(env.context, lang=self.lang))

    def localise_targets(self):
        """Names of the existing targets (the addons' demo plan) again in ``lang``: they
        are made of the metric's name, stored when the demo data was loaded in English."""
        if self.lang == "en_US" or "sales.target" not in self.env:
            return
        targets = self.env["sales.target"].search([])
        if targets:
            # recomputed as Odoo does (in ``lang``), not written: no revision of the plans
            self.env.add_to_compute(targets._fields["name"], targets)
            self.commit()
            self.log(f"{len(targets)} target names in {self.lang}")

    # -- organisation --------------------------------------------------------------------

    def make_organisation(self):
        env, rng, cfg = self.env, self.rng, self.cfg
        n_teams = cfg["teams"]
        regions = REGIONS[:n_teams]
        self.regions = regions
        group_user = env.ref("base.group_user")
        g_rep = env.ref("sales_team.group_sale_salesman")
        g_lead = env.ref("sales_team.group_sale_salesman_all_leads")
        # team leaders follow their team's targets (sales_targets), when installed
        g_lead |= (
            env.ref("sales_targets.group_targets_team_leader", raise_if_not_found=False)
            or (env["res.groups"])
        )
        g_mgr = env.ref("sales_team.group_sale_manager")

        def user_vals(idx, role, lang, groups):
            # a Chinese company staffs its export teams with Chinese speakers too
            if self.chinese:
                lang = "zh"
            name = _zh_person(rng) if lang == "zh" else _en_person(rng)
            login = f"{LOGIN_PREFIX}{role}{idx:03d}@sales-suite.example.com"
            return {
                "lang": self.lang,
                "name": name,
                "login": login,
                "email": login,
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [(6, 0, [group_user.id, *groups.ids])],
                "tz": "Asia/Shanghai" if lang == "zh" else "Europe/London",
                # demo logins; hashing 200 passwords would only slow the bench size down
                **({"password": DEMO_PASSWORD} if self.size != "bench" else {}),
            }

        Users = env["res.users"]
        self.director = Users.create(user_vals(1, "director", "zh", g_mgr))
        leaders = Users.create(
            [user_vals(i + 1, "leader", lang, g_lead) for i, (_n, lang, _c) in enumerate(regions)]
        )
        # reps spread round-robin over teams
        rep_vals, rep_team = [], []
        for i in range(cfg["reps"]):
            t = i % n_teams
            rep_vals.append(user_vals(i + 1, "rep", regions[t][1], g_rep))
            rep_team.append(t)
        reps = Users.browse()
        for n, chunk in enumerate(_chunks(rep_vals, 50)):
            reps |= Users.create(chunk)
            self.log("users", min((n + 1) * 50, len(rep_vals)), len(rep_vals))
        self.counts["users"] = 1 + len(leaders) + len(reps)

        teams = env["crm.team"].create(
            [
                {
                    "name": ZH_TEAM_NAMES.get(name, name) if self.chinese else name,
                    "user_id": leaders[t].id,
                    "company_id": self.company.id,
                    "use_opportunities": True,
                    "invoiced_target": float(rng.choice([300, 500, 800, 1200]) * 1000),
                    "sequence": 10 + t,
                }
                for t, (name, _lang, _cities) in enumerate(regions)
            ]
        )
        env["crm.team.member"].create(
            [{"crm_team_id": teams[t].id, "user_id": reps[i].id} for i, t in enumerate(rep_team)]
        )
        self.teams = teams
        self.team_reps = defaultdict(list)  # team index -> [user ids]
        for i, t in enumerate(rep_team):
            self.team_reps[t].append(reps[i].id)
        # the demo login (Marc Demo) sells in the first team: its leader's team, with customers,
        # orders and a day of their own (not in bench: the benchmarks count only the seed's)
        demo = env.ref("base.user_demo", raise_if_not_found=False)
        self.demo_user = env["res.users"]
        if demo and demo.active and self.size != "bench":
            vals = {"groups_id": [(4, g_rep.id)]}
            if self.chinese:
                vals.update(lang=self.lang, tz="Asia/Shanghai")
            demo.write(vals)
            env["crm.team.member"].create({"crm_team_id": teams[0].id, "user_id": demo.id})
            self.team_reps[0].append(demo.id)
            self.demo_user = demo
        self.counts["teams"] = len(teams)
        self.counts["reps"] = len(reps)
        self.commit()
        self.log(f"organisation done: {len(teams)} teams, {len(reps)} reps")

    # -- customers -----------------------------------------------------------------------

    def _payment_terms(self):
        env = self.env
        terms = [env.ref(x, raise_if_not_found=False) for x in PAYMENT_TERM_XMLIDS]
        terms = [t for t in terms if t]
        eom = env["account.payment.term"].search([("name", "=", TERM_45_EOM)], limit=1)
        if not eom:
            eom = env["account.payment.term"].create(
                {
                    "name": TERM_45_EOM,
                    "note": "Payment terms: 45 days end of month",
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "value": "percent",
                                "value_amount": 100.0,
                                "nb_days": 45,
                                "delay_type": "days_after_end_of_month",
                            },
                        )
                    ],
                }
            )
        terms.append(eom)
        # approximate delay in days, used to date payments realistically
        delays = {}
        for term in terms:
            due = term._compute_terms(
                self.today,
                self.company.currency_id,
                self.company,
                0.0,
                0.0,
                1.0,
                100.0,
                100.0,
            )["line_ids"]
            last = max((line["date"] for line in due), default=self.today)
            delays[term.id] = (last - self.today).days
        self.term_delay = delays
        return terms

    def make_customers(self):
        env, rng, cfg = self.env, self.rng, self.cfg
        terms = self._payment_terms()
        countries = {c.code: c for c in env["res.country"].search([])}
        states = {}  # (country code, state code) -> state id
        for _team, _lang, cities in self.regions:
            for _city, ccode, scode in cities:
                if ccode in countries and scode:
                    found = countries[ccode].state_ids.filtered(lambda s, sc=scode: s.code == sc)
                    states[ccode, scode] = found[:1].id
        has_team = "team_id" in env["res.partner"]._fields
        names = set()
        vals_list = []
        self.customer_team = []
        for i in range(cfg["customers"]):
            t = i % len(self.regions)
            _team, lang, cities = self.regions[t]
            city, ccode, scode = rng.choice(cities)
            # Chinese regions also get some English-named (foreign-invested) customers
            english = lang == "en" or rng.random() < 0.12
            for _attempt in range(50):
                if english:
                    name = (
                        f"{rng.choice(EN_WORDS_A)} {rng.choice(EN_WORDS_B)} "
                        f"{rng.choice(EN_SUFFIXES)}"
                    )
                    if lang == "zh" and rng.random() < 0.5:
                        name = f"{name} ({city})"
                else:
                    brand = "".join(rng.sample(ZH_BRAND_CHARS, 2))
                    name = f"{city}{'市' if rng.random() < 0.4 else ''}{brand}"
                    name += f"{rng.choice(ZH_INDUSTRIES)}{rng.choice(ZH_SUFFIXES)}"
                if name not in names:
                    break
                name = f"{name} {i}"
            names.add(name)
            country = countries.get(ccode)
            state = states.get((ccode, scode), False)
            reps = self.team_reps[t]
            ref = f"{REF_PREFIX}C{i + 1:05d}"
            if lang == "zh":
                street = f"{rng.choice(STREETS_ZH)}{rng.randint(1, 999)}号"
                phone = f"+86 {rng.randint(130, 199)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"  # noqa: E501
            else:
                street = f"{rng.randint(1, 250)} {rng.choice(STREETS_EN)}"
                phone = (
                    f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(100000, 999999)}"
                )
            vals_list.append(
                {
                    "name": name,
                    "is_company": True,
                    "ref": ref,
                    "street": street,
                    "city": city,
                    "country_id": country.id if country else False,
                    "state_id": state,
                    "phone": phone,
                    "email": f"purchasing{i + 1}@customer{i + 1}.example.com",
                    # the Chinese customers read their documents in Chinese
                    "lang": self.lang if self.chinese and not name.isascii() else "en_US",
                    "customer_rank": 1,
                    "user_id": rng.choice(reps),
                    "property_payment_term_id": rng.choice(terms).id,
                    "comment": "Seed customer",
                }
            )
            if has_team:
                vals_list[-1]["team_id"] = self.teams[t].id
            self.customer_team.append(t)
        partners = env["res.partner"].browse()
        for n, chunk in enumerate(_chunks(vals_list, 500)):
            partners |= env["res.partner"].create(chunk)
            self.commit()
            self.log("customers", min((n + 1) * 500, len(vals_list)), len(vals_list))
        # one purchasing contact per customer
        contact_vals = []
        for i, partner in enumerate(partners):
            lang = self.regions[self.customer_team[i]][1]
            chinese = lang == "zh" and not partner.name.isascii()
            contact_vals.append(
                {
                    "parent_id": partner.id,
                    "type": "contact",
                    "name": _zh_person(rng) if chinese else _en_person(rng),
                    "function": rng.choice(
                        ["采购经理", "采购专员", "总经理", "财务主管"]
                        if chinese
                        else ["Purchasing Manager", "Buyer", "Procurement Lead", "CFO"]
                    ),
                    "email": f"buyer{i + 1}@customer{i + 1}.example.com",
                    "phone": partner.phone,
                }
            )
        for chunk in _chunks(contact_vals, 1000):
            env["res.partner"].create(chunk)
        self.commit()
        self.counts["contacts"] = len(contact_vals)
        self.customers = [
            {
                "id": p.id,
                "team": self.customer_team[i],
                "user": vals_list[i]["user_id"],
                "term": vals_list[i]["property_payment_term_id"],
                # a few key accounts buy much more often
                "weight": rng.choice([1, 1, 1, 2, 3, 8]),
            }
            for i, p in enumerate(partners)
        ]
        self.counts["customers"] = len(partners)

    # -- products ------------------------------------------------------------------------

    def make_products(self):
        env, rng, cfg = self.env, self.rng, self.cfg
        parent = env["product.category"].create({"name": "Sales Suite"})
        categories = env["product.category"].create(
            [{"name": c[0], "parent_id": parent.id} for c in CATALOG]
        )
        uom_unit = env.ref("uom.product_uom_unit")
        candidates = []
        for ci, (_cat, bases, specs) in enumerate(CATALOG):
            for base, prange in bases:
                for spec in specs:
                    candidates.append((ci, f"{base} {spec}", prange))
        rng.shuffle(candidates)
        n = cfg["products"]
        vals_list = []
        for i in range(n):
            ci, name, (low, high) = candidates[i % len(candidates)]
            if i >= len(candidates):
                name = f"{name} V{i // len(candidates) + 1}"
            price = _money(rng, low, high)
            vals_list.append(
                {
                    "name": name,
                    "default_code": f"{REF_PREFIX}P{i + 1:05d}",
                    "type": "consu",
                    "is_storable": False,
                    "categ_id": categories[ci].id,
                    "list_price": price,
                    "standard_price": round(price * rng.uniform(0.55, 0.82), 2),
                    "sale_ok": True,
                    "purchase_ok": True,
                    "invoice_policy": "order",
                    "uom_id": uom_unit.id,
                    "uom_po_id": uom_unit.id,
                }
            )
        templates = env["product.template"].browse()
        for k, chunk in enumerate(_chunks(vals_list, 500)):
            templates |= env["product.template"].create(chunk)
            self.commit()
            self.log("products", min((k + 1) * 500, n), n)
        self.products = []
        for tmpl in templates:
            prod = tmpl.product_variant_id
            self.products.append(
                {
                    "id": prod.id,
                    "name": prod.display_name,
                    "price": tmpl.list_price,
                    "cost": tmpl.standard_price,
                    "uom": uom_unit.id,
                    "taxes": tmpl.taxes_id.filtered(lambda t: t.company_id == self.company).ids,
                }
            )
        # popular products sell more (Pareto-ish)
        self.product_weights = [1.0 / (1 + i) ** 0.6 for i in range(len(self.products))]
        self.counts["products"] = len(self.products)

    # -- planning ------------------------------------------------------------------------

    def _random_day(self):
        return self.rng.choices(self.days, cum_weights=self.day_weights)[0]

    def _at(self, day, hour=None):
        hour = self.rng.randint(1, 10) if hour is None else hour
        return datetime(day.year, day.month, day.day, hour, self.rng.randint(0, 59))

    def plan_orders(self):
        rng, cfg = self.rng, self.cfg
        customers = self.customers
        cweights = [c["weight"] for c in customers]
        lo, hi = cfg["lines"]
        plans = []
        for _i in range(cfg["orders"]):
            cust = rng.choices(customers, cweights)[0]
            day = self._random_day()
            age = (self.today - day).days
            roll = rng.random()
            if age > 45:
                state = "cancel" if roll < 0.07 else ("sent" if roll < 0.10 else "sale")
            else:
                state = (
                    "cancel"
                    if roll < 0.04
                    else ("draft" if roll < 0.17 else ("sent" if roll < 0.30 else "sale"))
                )
            user = cust["user"] if rng.random() < 0.9 else rng.choice(self.team_reps[cust["team"]])
            discount = rng.choice([5.0, 8.0, 10.0, 15.0]) if rng.random() < 0.25 else 0.0
            n_lines = rng.randint(lo, hi)
            n_lines = min(n_lines, len(self.products))
            seen, lines = set(), []
            while len(lines) < n_lines:
                p = rng.choices(self.products, self.product_weights)[0]
                if p["id"] in seen:
                    continue
                seen.add(p["id"])
                qty = (
                    rng.choice([1, 2, 3, 5, 10, 20, 50, 100])
                    if p["price"] < 500
                    else rng.choice([1, 1, 2, 3, 5, 10])
                )
                lines.append((p, float(qty), discount if rng.random() < 0.8 else 0.0))
            plans.append(
                {
                    "partner": cust["id"],
                    "team": self.teams[cust["team"]].id,
                    "user": user,
                    "term": cust["term"],
                    "day": day,
                    "state": state,
                    "lines": lines,
                    "untaxed": sum(p["price"] * q * (1 - d / 100) for p, q, d in lines),
                }
            )
        plans.sort(key=lambda p: p["day"])
        self.plans = plans
        self._plan_late_orders()

    def _plan_late_orders(self):
        """Orders whose goods are late today (``p["late"]``): a share of the recent ones, and
        for every salesperson one order of the last weeks that stays late (moved there from
        their latest older order when they have none), so that each one's day, and each
        team's, has a late delivery to follow up."""
        if self.size == "bench":  # the benchmarks make their own late deliveries
            return
        rng = self.rng
        recent = defaultdict(list)  # user id -> plans of the late window, in date order
        older = {}  # user id -> latest plan before the window
        for plan in self.plans:
            age = (self.today - plan["day"]).days
            if LATE_MIN_AGE <= age <= LATE_MAX_AGE and plan["state"] == "sale":
                recent[plan["user"]].append(plan)
            elif age > LATE_MAX_AGE:
                older[plan["user"]] = plan
        for user_id in {uid for uids in self.team_reps.values() for uid in uids}:
            if not recent[user_id] and user_id in older:
                plan = older[user_id]
                plan.update(
                    day=self.today - timedelta(days=rng.randint(LATE_MIN_AGE, 20)),
                    state="sale",
                    lines=[(p, q, min(d, GATE_DISCOUNT)) for p, q, d in plan["lines"]],
                )
                plan["untaxed"] = sum(p["price"] * q * (1 - d / 100) for p, q, d in plan["lines"])
                recent[user_id].append(plan)
            for plan in recent[user_id]:
                plan["late"] = rng.random() < LATE_SHARE
            # the one that stays late: no discount to approve first (it could still wait)
            plain = [
                p for p in recent[user_id] if max(d for _p, _q, d in p["lines"]) <= GATE_DISCOUNT
            ]
            if plain:
                plain[-1].update(late=True, late_stays=True)
        self.plans.sort(key=lambda p: p["day"])

    # -- opportunities -------------------------------------------------------------------

    def make_opportunities(self):
        env, rng, cfg = self.env, self.rng, self.cfg
        stages = env["crm.stage"].search([], order="sequence, id")
        won_stage = stages.filtered("is_won")[:1]
        open_stages = stages.filtered(lambda s: not s.is_won)
        if not won_stage or not open_stages:
            raise RuntimeError("CRM stages (New/Qualified/Proposition/Won) are missing")
        Reason = env["crm.lost.reason"]
        summaries = "closing_lesson" in env["crm.lead"]._fields  # sales_assistant
        if summaries:
            won_reasons = Reason.search([("closing_type", "=", "won")]).ids
            lost_reasons = Reason.search([("closing_type", "!=", "won")])
            competitors = self._competitors()
            lessons = CLOSING_LESSONS["zh" if self.chinese else "en"]
        else:
            lost_reasons = Reason.search([])
        lost_reasons = lost_reasons.ids
        competitor_reasons = set(
            Reason.browse(lost_reasons)
            .filtered(lambda r: r._fields.get("lost_to_competitor") and r.lost_to_competitor)
            .ids
        )
        tags = ["OEM 项目", "年度框架协议", "Tender", "Renewal", "New Logo", "扩产需求", "Upsell"]
        vals_list, create_dates = [], []
        prob_by_stage = {s.id: min(90.0, 10.0 + 25.0 * i) for i, s in enumerate(open_stages)}

        # 1) won opportunities behind a share of the confirmed orders
        for plan in self.plans:
            if plan["state"] == "sale" and rng.random() < 0.3:
                opened = plan["day"] - timedelta(days=rng.randint(7, 60))
                plan["opp_index"] = len(vals_list)
                vals_list.append(
                    {
                        "name": f"{rng.choice(tags)} - {len(vals_list) + 1}",
                        "type": "opportunity",
                        "partner_id": plan["partner"],
                        "user_id": plan["user"],
                        "team_id": plan["team"],
                        "stage_id": won_stage.id,
                        "probability": 100.0,
                        "expected_revenue": round(plan["untaxed"], 2),
                        "date_deadline": plan["day"],
                        "date_closed": self._at(plan["day"]),
                        "priority": rng.choice(["0", "1", "2"]),
                    }
                )
                if summaries:  # every won deal is summarised (商机总结)
                    vals_list[-1].update(
                        won_reason_id=rng.choice(won_reasons) if won_reasons else False,
                        closing_lesson=rng.choice(lessons["won"]),
                        closing_stage_id=open_stages[-1].id,
                    )
                create_dates.append(self._at(max(opened, self.start)))
        # 2) pipeline: open and lost opportunities over the year
        n_pipeline = max(cfg["opportunities"] - len(vals_list), cfg["opportunities"] // 2)
        for _i in range(n_pipeline):
            cust = rng.choice(self.customers)
            opened = self._random_day()
            age = (self.today - opened).days
            lost = age > 30 and rng.random() < 0.35
            stage = rng.choice(open_stages)
            revenue = float(round(_money(rng, 2000, 400000), -2))
            vals = {
                "name": f"{rng.choice(tags)} - {len(vals_list) + 1}",
                "type": "opportunity",
                "partner_id": cust["id"],
                "user_id": cust["user"],
                "team_id": self.teams[cust["team"]].id,
                "stage_id": stage.id,
                "probability": prob_by_stage[stage.id],
                "expected_revenue": revenue,
                # the open pipeline closes from a few weeks ago (late) to the next months
                "date_deadline": self.today + timedelta(days=rng.randint(-25, 90)),
                "priority": rng.choice(["0", "0", "1", "2", "3"]),
            }
            if lost:
                reason = rng.choice(lost_reasons) if lost_reasons else False
                vals.update(
                    active=False,
                    probability=0.0,
                    lost_reason_id=reason,
                    date_deadline=opened + timedelta(days=rng.randint(20, 120)),
                    date_closed=self._at(opened + timedelta(days=rng.randint(10, 30))),
                )
                if summaries:
                    vals.update(
                        closing_lesson=rng.choice(lessons["lost"]),
                        closing_stage_id=stage.id,
                        lost_competitor_id=(
                            rng.choice(competitors).id if reason in competitor_reasons else False
                        ),
                    )
            vals_list.append(vals)
            create_dates.append(self._at(opened))
        Lead = env["crm.lead"].with_context(mail_auto_subscribe_no_notify=True)
        if summaries:
            # the demo's history was closed through the closing actions: it records the stage
            # reached with their own marker, which no client can send
            from odoo.addons.sales_assistant.models.crm_lead_closing import (  # noqa: PLC0415
                CLOSING_WRITE,
            )

            Lead = Lead.with_context(sales_closing_write=CLOSING_WRITE)
        leads = Lead.browse()
        bs = 500
        for k, chunk in enumerate(_chunks(vals_list, bs)):
            leads |= Lead.create(chunk)
            self.commit()
            self.log("opportunities", min((k + 1) * bs, len(vals_list)), len(vals_list))
        _sql_set_dates(
            env.cr, "crm_lead", "create_date", list(zip(leads.ids, create_dates, strict=True))
        )
        self.opportunity_ids = leads.ids
        self.counts["opportunities"] = len(leads)

    # -- orders --------------------------------------------------------------------------

    def make_orders(self):
        env, rng = self.env, self.rng
        SO = env["sale.order"]
        has_opp = "opportunity_id" in SO._fields
        plans = self.plans
        total = len(plans)
        bs = self.cfg["batch"]
        done = 0
        for chunk in _chunks(plans, bs):
            vals_list = []
            for plan in chunk:
                order_dt = self._at(plan["day"])
                vals = {
                    "partner_id": plan["partner"],
                    # the customers' contacts are plain contacts: bill and ship to the company
                    "partner_invoice_id": plan["partner"],
                    "partner_shipping_id": plan["partner"],
                    "user_id": plan["user"],
                    "team_id": plan["team"],
                    "company_id": self.company.id,
                    "date_order": order_dt,
                    "payment_term_id": plan["term"],
                    "client_order_ref": f"PO-{plan['day']:%Y%m}-{rng.randint(1000, 9999)}",
                    "validity_date": plan["day"] + timedelta(days=30),
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": p["id"],
                                "name": p["name"],
                                "product_uom_qty": qty,
                                "product_uom": p["uom"],
                                "price_unit": p["price"],
                                "technical_price_unit": p["price"],
                                "discount": disc,
                                "purchase_price": p["cost"],
                                "tax_id": [(6, 0, p["taxes"])],
                                "customer_lead": 0.0,
                                "analytic_distribution": False,
                            },
                        )
                        for p, qty, disc in plan["lines"]
                    ],
                }
                if has_opp and "opp_index" in plan:
                    vals["opportunity_id"] = self.opportunity_ids[plan["opp_index"]]
                vals_list.append(vals)
            orders = SO.create(vals_list)
            for plan, order in zip(chunk, orders, strict=True):
                plan["order"] = order.id
            by_state = defaultdict(list)
            for plan in chunk:
                by_state[plan["state"]].append(plan)
            if by_state["sent"]:
                SO.browse([p["order"] for p in by_state["sent"]]).write({"state": "sent"})
            if by_state["cancel"]:
                SO.browse([p["order"] for p in by_state["cancel"]]).write({"state": "cancel"})
            confirmed = by_state["sale"]
            via_stock, direct = [], []
            for p in confirmed:
                (via_stock if rng.random() < self.cfg["stock_ratio"] else direct).append(p)
            if direct:
                SO.browse([p["order"] for p in direct]).write({"state": "sale"})
            if via_stock:
                self._confirm_and_deliver(via_stock)
            # orders still waiting for their approval stay quotations
            held = [p for p in confirmed if p["state"] != "sale"]
            # confirmation resets date_order: put the historical dates back
            env.flush_all()
            _sql_set_dates(
                env.cr,
                "sale_order",
                "date_order",
                [(p["order"], self._at(p["day"], 9)) for p in chunk],
            )
            _sql_set_dates(
                env.cr,
                "sale_order",
                "create_date",
                [(p["order"], self._at(p["day"], 8)) for p in chunk],
            )
            env["sale.order"].invalidate_model(["date_order", "create_date"])
            # confirming made collection plans counted from today: they are made again from
            # the orders' own dates once invoiced and paid (make_collection_plans)
            confirmed_orders = SO.browse([p["order"] for p in confirmed if p["state"] == "sale"])
            if "collection_plan_ids" in SO._fields:
                confirmed_orders.collection_plan_ids.sudo().unlink()
            self._date_late_deliveries(chunk)
            if self.gate:
                self.gate.date_records()
            done += len(chunk)
            self.counts["orders"] += len(chunk)
            self.counts["order_lines"] += sum(len(p["lines"]) for p in chunk)
            self.counts["confirmed_orders"] += len(confirmed) - len(held)
            self.counts["quotations"] += len(by_state["draft"]) + len(by_state["sent"]) + len(held)
            self.commit()
            self.log("orders", done, total)

    def _confirm_and_deliver(self, plans):
        env, rng = self.env, self.rng
        if self.gate:
            self.gate.confirm(plans)
            plans = [p for p in plans if p["state"] == "sale"]
        else:
            env["sale.order"].browse([p["order"] for p in plans]).action_confirm()
        # the late orders (_plan_late_orders) wait for goods, promised 1-4 days after the order
        delivered = [
            p
            for p in plans
            if not p.get("late") and ((self.today - p["day"]).days > 5 or rng.random() < 0.3)
        ]
        if not delivered:
            return
        d_orders = env["sale.order"].browse([p["order"] for p in delivered])
        pickings = d_orders.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        # historical delivery dates: 1-6 days after the order
        day_by_order = {p["order"]: p["day"] for p in delivered}
        dates = {}
        for picking in pickings:
            day = day_by_order[picking.sale_id.id] + timedelta(days=rng.randint(1, 6))
            dates[picking.id] = self._at(min(day, self.today), 14)
        self._deliver(pickings, dates)

    def _deliver(self, pickings, dates, on_time=True):
        """Deliver ``pickings`` in full, each on ``dates[picking id]`` (a datetime); ``on_time``:
        scheduled for that day too (else they keep the date they were promised for)."""
        env = self.env
        if not pickings:
            return
        moves = pickings.move_ids
        for move in moves:
            if move.quantity != move.product_uom_qty:
                move.quantity = move.product_uom_qty
        moves.picked = True
        pickings.with_context(skip_backorder=True, skip_sms=True)._action_done()
        pick_dates, move_dates, line_dates = [], [], []
        for picking in pickings:
            when = dates[picking.id]
            pick_dates.append((picking.id, when))
            move_dates.extend((m.id, when) for m in picking.move_ids)
            line_dates.extend((ml.id, when) for ml in picking.move_line_ids)
        env.flush_all()
        _sql_set_dates(env.cr, "stock_picking", "date_done", pick_dates)
        if on_time:
            _sql_set_dates(env.cr, "stock_picking", "scheduled_date", pick_dates)
        _sql_set_dates(env.cr, "stock_move", "date", move_dates)
        _sql_set_dates(env.cr, "stock_move_line", "date", line_dates)
        env["stock.picking"].invalidate_model(["date_done", "scheduled_date"])
        env["stock.move"].invalidate_model(["date"])
        env["stock.move.line"].invalidate_model(["date"])
        self.counts["deliveries_done"] += len(pickings)

    # -- invoices ------------------------------------------------------------------------

    def plan_invoices(self):
        rng = self.rng
        invoices = []  # (date, order id, partial?)
        for plan in self.plans:
            if plan["state"] != "sale":
                continue
            age = (self.today - plan["day"]).days
            if age < 3:
                continue
            p_invoice = 0.97 if age > 40 else 0.6
            if rng.random() >= p_invoice * self.cfg.get("invoice_ratio", 1.0):
                continue
            inv_day = min(plan["day"] + timedelta(days=rng.randint(0, 12)), self.today)
            partial = rng.random() < 0.08 and any(q >= 2 for _p, q, _d in plan["lines"])
            invoices.append((inv_day, plan["order"], "first_half" if partial else "full"))
            if partial and age > 60:
                rest_day = min(inv_day + timedelta(days=rng.randint(15, 40)), self.today)
                invoices.append((rest_day, plan["order"], "rest"))
        invoices.sort(key=lambda x: (x[0], x[1]))
        return invoices

    def _complete_invoice_vals(self, order, vals):
        """Add the balances, the tax lines and the receivable line to invoice ``vals``.

        They are computed with Odoo's own tax engine (the helpers ``_sync_tax_lines`` and
        ``_compute_needed_terms`` use), which lets the invoice be created with
        ``skip_invoice_sync`` -- the per-line synchronisation is what makes invoice creation
        slow. Returns False (vals untouched) for the cases this shortcut does not cover.
        """
        env = self.env
        company = self.company
        currency = company.currency_id
        term = env["account.payment.term"].browse(vals.get("invoice_payment_term_id"))
        partner = order.partner_invoice_id.commercial_partner_id  # vals["partner_id"]
        receivable = partner.with_company(company).property_account_receivable_id
        if (
            order.currency_id != currency
            or order.fiscal_position_id
            or not term
            or term.early_discount
            or not receivable
            or vals.get("invoice_cash_rounding_id")
            or company.tax_calculation_rounding_method != "round_per_line"
        ):
            return False
        AccountTax = env["account.tax"]
        base_lines = []
        for cmd in vals["invoice_line_ids"]:
            lvals = cmd[2]
            product = env["product.product"].browse(lvals["product_id"])
            account = self._income_account(product)
            if not account:
                return False
            lvals["account_id"] = account.id
            base_lines.append(
                AccountTax._prepare_base_line_for_taxes_computation(
                    None,
                    price_unit=lvals["price_unit"],
                    quantity=lvals["quantity"],
                    discount=lvals["discount"],
                    tax_ids=AccountTax.browse(lvals["tax_ids"][0][2]),
                    currency_id=currency,
                    product_id=product,
                    product_uom_id=env["uom.uom"].browse(lvals["product_uom_id"]),
                    partner_id=partner,
                    account_id=account,
                    sign=-1,  # out_invoice: income is a credit
                    is_refund=False,
                    tax_tag_invert=True,
                    rate=1.0,
                )
            )
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        AccountTax._add_accounting_data_in_base_lines_tax_details(base_lines, company)
        tax_results = AccountTax._prepare_tax_lines(base_lines, company)
        untaxed = tax = 0.0
        for (_base_line, to_update), cmd in zip(
            tax_results["base_lines_to_update"], vals["invoice_line_ids"], strict=True
        ):
            cmd[2].update(to_update)  # tax_tag_ids, amount_currency, balance
            untaxed -= to_update["balance"]
        other_lines = []
        for tax_vals in tax_results["tax_lines_to_add"]:
            tax -= tax_vals["balance"]
            other_lines.append((0, 0, {**tax_vals, "display_type": "tax"}))
        terms = term._compute_terms(
            date_ref=vals["invoice_date"],
            currency=currency,
            company=company,
            tax_amount=tax,
            tax_amount_currency=tax,
            sign=1,
            untaxed_amount=untaxed,
            untaxed_amount_currency=untaxed,
        )
        for term_line in terms["line_ids"]:
            other_lines.append(
                (
                    0,
                    0,
                    {
                        "display_type": "payment_term",
                        "account_id": receivable.id,
                        "partner_id": partner.id,
                        "currency_id": currency.id,
                        "date_maturity": term_line["date"],
                        "balance": term_line["company_amount"],
                        "amount_currency": term_line["foreign_amount"],
                        "discount_date": terms.get("discount_date") or False,
                        "discount_balance": terms.get("discount_balance") or 0.0,
                        "discount_amount_currency": terms.get("discount_amount_currency") or 0.0,
                    },
                )
            )
        vals["line_ids"] = other_lines
        return True

    def _income_account(self, product):
        cache = self.__dict__.setdefault("_income_accounts", {})
        if product.id not in cache:
            accounts = product.with_company(self.company).product_tmpl_id.get_product_accounts()
            cache[product.id] = accounts["income"] or self.sale_journal.default_account_id
        return cache[product.id]

    def make_invoices(self):
        env = self.env
        SO = env["sale.order"]
        todo = self.plan_invoices()
        total = len(todo)
        bs = self.cfg["batch"]
        done = 0
        self.invoice_ids = []
        # the 'rest' invoices come after the first ones (sorted by date), so process in
        # date order and never put both parts of an order in the same batch
        pending = list(todo)
        while pending:
            chunk, seen, later = [], set(), []
            for item in pending:
                if len(chunk) < bs and item[1] not in seen:
                    chunk.append(item)
                    seen.add(item[1])
                else:
                    later.append(item)
            pending = later
            orders = SO.browse([x[1] for x in chunk])
            vals_list, fast_vals = [], []
            for (inv_day, _oid, mode), order in zip(chunk, orders, strict=True):
                order = order.with_company(order.company_id)
                vals = order._prepare_invoice()
                vals["invoice_date"] = inv_day
                vals["journal_id"] = self.sale_journal.id
                lines = []
                for seq, line in enumerate(
                    order.order_line.filtered(lambda sol: not sol.display_type)
                ):
                    qty = line.product_uom_qty - line.qty_invoiced
                    if mode == "first_half":
                        qty = math.floor(line.product_uom_qty / 2)
                    if qty <= 0:
                        continue
                    lvals = line._prepare_invoice_line(sequence=seq + 1)
                    lvals["quantity"] = qty
                    lines.append((0, 0, lvals))
                if not lines:
                    continue
                vals["invoice_line_ids"] = lines
                if self.fast_invoices and self._complete_invoice_vals(order, vals):
                    fast_vals.append(vals)
                else:
                    vals_list.append(vals)
            moves = env["account.move"]
            if fast_vals:
                # journal items are complete and balanced: skip the (slow) synchronisations
                fast_ctx = {
                    "skip_invoice_sync": True,
                    "skip_invoice_line_sync": True,
                    "skip_analytic_sync": True,
                }
                fast_moves = (
                    env["account.move"]
                    .with_context(default_move_type="out_invoice", **fast_ctx)
                    .create(fast_vals)
                )
                fast_moves.with_context(skip_invoice_sync=True).action_post()
                moves |= fast_moves
            if vals_list:
                slow_moves = SO._create_account_invoices(vals_list, final=False)
                slow_moves = env["account.move"].browse(slow_moves.ids)
                slow_moves.action_post()
                moves |= slow_moves
            self.invoice_ids.extend(moves.ids)
            done += len(chunk)
            self.counts["invoices"] += len(moves)
            self.counts["invoice_lines"] += len(moves.invoice_line_ids)
            self.commit()
            self.log("invoices", done, total)

    # -- payments ------------------------------------------------------------------------

    def make_payments(self):
        env, rng = self.env, self.rng
        AML = env["account.move.line"]
        Move = env["account.move"]
        Payment = env["account.payment"]
        total = len(self.invoice_ids)
        bs = self.cfg["batch"] * 2
        done = 0
        method_line = self.bank_journal.inbound_payment_method_line_ids[:1]

        def open_receivable(ln):
            return ln.account_id.account_type == "asset_receivable" and not ln.reconciled

        for chunk_ids in _chunks(self.invoice_ids, bs):
            invoices = Move.browse(chunk_ids)
            pay_vals, targets = [], []
            for inv in invoices:
                due = inv.invoice_date_due or inv.invoice_date
                overdue_days = (self.today - due).days
                roll = rng.random()
                if overdue_days > 0:
                    mode = "full" if roll < 0.82 else ("partial" if roll < 0.93 else None)
                else:
                    mode = "full" if roll < 0.35 else ("partial" if roll < 0.45 else None)
                if not mode:
                    continue
                residual = inv.amount_residual
                if mode == "partial":
                    amount = inv.currency_id.round(residual * rng.choice([0.3, 0.4, 0.5, 0.6]))
                else:
                    amount = residual
                if amount <= 0:
                    continue
                delay = self.term_delay.get(inv.invoice_payment_term_id.id, 30)
                pay_day = inv.invoice_date + timedelta(days=max(0, delay + rng.randint(-10, 20)))
                pay_day = min(pay_day, self.today)
                pay_vals.append(
                    {
                        "payment_type": "inbound",
                        "partner_type": "customer",
                        "partner_id": inv.commercial_partner_id.id,
                        "amount": amount,
                        "currency_id": inv.currency_id.id,
                        "date": pay_day,
                        "journal_id": self.bank_journal.id,
                        "payment_method_line_id": method_line.id,
                        "memo": inv.name,
                        "payment_reference": inv.payment_reference or inv.name,
                    }
                )
                targets.append(inv)
            if pay_vals:
                payments = Payment.create(pay_vals)
                payments.action_post()
                plan = []
                for pay, inv in zip(payments, targets, strict=True):
                    pay_lines = pay.move_id.line_ids.filtered(open_receivable)
                    inv_lines = inv.line_ids.filtered(open_receivable)
                    plan.append(pay_lines + inv_lines)
                AML._reconcile_plan(plan)
                for pay, inv in zip(payments, targets, strict=True):
                    inv.matched_payment_ids += pay
                self.counts["payments"] += len(payments)
            done += len(chunk_ids)
            self.commit()
            self.log("payments", done, total)

    # -- main --------------------------------------------------------------------------------

    def make_collection_plans(self):
        """A collection plan for every confirmed order (sales_assistant), as confirming it in
        the web client makes one; states follow the invoices and payments made above."""
        env = self.env
        if "sales.collection.plan" not in env:
            return
        orders = env["sale.order"].search([("state", "=", "sale")], order="id")
        for batch in _chunks(orders.ids, 500):
            plans = env["sale.order"].browse(batch)._collection_create_plans()
            plans._collection_refresh()
            self.counts["collection_plans"] += len(plans)
            self.log("collection plans", self.counts["collection_plans"], len(orders))
            self.commit()

    # -- the demo's life up to today ---------------------------------------------------------

    def _competitors(self):
        Competitor = self.env["sales.competitor"]
        names = [zh if self.chinese else en for en, zh in COMPETITORS]
        found = Competitor.search([("name", "in", names)])
        missing = [name for name in names if name not in found.mapped("name")]
        return found | Competitor.create([{"name": name} for name in missing])

    def _text(self, key):
        """A text of the demo's life (``LIFE_TEXTS``) in the company's language."""
        return LIFE_TEXTS[key][1 if self.chinese else 0]

    def _date_late_deliveries(self, chunk):
        """The open deliveries of the orders that wait for goods: promised 1-4 days after
        the order, so that they are late today."""
        late = [p for p in chunk if p.get("late") and p["state"] == "sale"]
        if not late:
            return
        env = self.env
        orders = env["sale.order"].browse([p["order"] for p in late])
        day_of = {p["order"]: p["day"] for p in late}
        pick_dates, move_dates = [], []
        for picking in orders.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")):
            promised = day_of[picking.sale_id.id] + timedelta(days=self.rng.randint(1, 4))
            when = self._at(min(promised, self.today - timedelta(days=1)), 10)
            pick_dates.append((picking.id, when))
            move_dates.extend((m.id, when) for m in picking.move_ids)
        env.flush_all()
        _sql_set_dates(env.cr, "stock_picking", "scheduled_date", pick_dates)
        _sql_set_dates(env.cr, "stock_move", "date", move_dates)
        env["stock.picking"].invalidate_model(["scheduled_date"])
        env["stock.move"].invalidate_model(["date"])

    def make_demo_life(self):
        """What happened after the orders, up to today, so that every screen of the suite
        has content on the day the demo is made, for a salesperson, a team leader and the
        administrator: late deliveries (some delivered since, most explained), customer
        receipts, reminders at their levels, promises kept, broken and open, each
        salesperson's day (activities, visits, deals closing this week or late), the
        month's targets and a finished hand-over. Not in bench (its own data)."""
        if self.size == "bench" or "sales.collection.plan" not in self.env:
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
        for chunk in _chunks(days, 1000):
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

    def make_month_targets(self):
        """Revenue targets for this month, company, teams and salespeople, approved and
        measured: "Progress on Targets" has content from the first day."""
        env = self.env
        if "sales.target.plan" not in env:
            return
        metric = env.ref("sales_targets.metric_revenue", raise_if_not_found=False)
        if not metric:
            return
        start = self.today.replace(day=1)
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
        self.counts["month_targets"] = len(plan.target_ids)

    def make_handover(self):
        """A salesperson of the first team left: their customers and deals went to the demo
        salesperson (or a colleague) through a finished hand-over; the account is archived."""
        env = self.env
        admin = env.ref("base.user_admin", raise_if_not_found=False)
        successor = self.demo_user or env["res.users"].browse(self.team_reps[0][0])
        giver = env["res.users"].browse(
            next(uid for uid in self.team_reps[0] if uid != successor.id)
        )
        name = _zh_person(self.rng) if self.chinese else _en_person(self.rng)
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

    def run(self):
        env = self.env
        ICP = env["ir.config_parameter"].sudo()
        marker = ICP.get_param(MARKER_PARAM)
        if marker or env["res.users"].with_context(active_test=False).search_count(
            [("login", "=like", f"{LOGIN_PREFIX}director%")], limit=1
        ):
            raise AlreadySeeded(marker or "unknown size")
        self.check_prerequisites()
        ICP.set_param(MARKER_PARAM, f"{self.size}:in_progress")
        self.log(f"seeding size={self.size} company={self.company.name!r} lang={self.lang}")
        self.load_language()
        self.make_organisation()
        self.make_customers()
        self.make_products()
        self.plan_orders()
        self.make_opportunities()
        self.gate = ComplianceGate.setup(self)
        self.make_orders()
        if self.gate:
            self.gate.finish()
        self.make_invoices()
        self.make_payments()
        self.make_collection_plans()
        self.make_demo_life()
        if "assistant_confirm_guide" in self.company._fields:
            self.company.assistant_confirm_guide = True  # the demo shows the guided screen
        self.localise_targets()
        ICP.set_param(MARKER_PARAM, self.size)
        self.commit()
        self.counts["seconds"] = round(time.monotonic() - self.log.t0, 1)
        self.log("done: " + ", ".join(f"{k}={v}" for k, v in sorted(self.counts.items())))
        return dict(self.counts)


# ------------------------------------------------------------------------------------------
# The compliance gate (when sales_compliance is installed)
# ------------------------------------------------------------------------------------------

# Shares of the orders confirmed through action_confirm() (``stock_ratio``) that meet the gate
# as a salesperson does: a missing customer PO number blocks the order until it is filled in;
# a discount above 10% waits for the team leader, who now and then rejects it (the rep then
# lowers the discount to 10%); orders above the GATE_LARGE_ORDER share of amounts are warned.
GATE_BLOCKED_SHARE = 0.04
GATE_REJECTED_EVERY = 6  # one discount request in six is rejected
GATE_LARGE_ORDER = 0.95  # percentile of the order amounts above which a warning is logged
GATE_PENDING_SHARE = 0.1  # the latest tenth of the discount requests (last month) still wait
GATE_PENDING_DAYS = 30
GATE_DISCOUNT = 10.0

# (key, name, message, zh_CN name, zh_CN message)
GATE_TEXTS = {
    "po": (
        "Customer PO number required",
        "{record}: enter the customer's PO number before confirming",
        "必须填写客户采购单号",
        "{record}:确认前请填写客户采购单号",
    ),
    "discount": (
        "Discount above 10%: team leader approval",
        "{record}: a line discount above 10% needs the team leader's approval",
        "折扣超过10%需团队经理审批",
        "{record}:单行折扣超过10%,需团队经理审批",
    ),
    "discount_level": ("Team leader", None, "团队经理", None),
    "large": (
        "Large order: finance is informed",
        "{record}: {value} is above {limit}; finance will check the customer's credit",
        "大额订单:通知财务",
        "{record}:金额{value}超过{limit},财务将复核客户信用",
    ),
}
GATE_COMMENTS = {
    "resolved": ("The customer sent the PO number.", "客户已补发采购单号。"),
    "approved": ("Approved: strategic customer, volume commitment.", "同意:重点客户,有量的承诺。"),
    "rejected": ("Too much: 10% at most for this customer.", "折扣过高,该客户最多10%。"),
}


# The demo's life after the orders (Seeder.make_demo_life): the share of the orders of the last
# LATE_MAX_AGE days whose goods are late, the competitors deals are lost to, the lessons of
# the closing summaries, and the texts of promises, activities and delays (English, Chinese).
LATE_SHARE = 0.3
LATE_MIN_AGE = 3
LATE_MAX_AGE = 30
COMPETITORS = [
    ("Huaxin Technology", "华信科技"),
    ("Everbright Industrial", "光大实业"),
    ("Pacific Components", "太平洋元器件"),
    ("Zhongke Automation", "中科自动化"),
]
CLOSING_LESSONS = {
    "en": {
        "won": [
            "Early demo at the plant convinced the engineers.",
            "We answered the tender within 48 hours; keep that pace.",
            "The framework price held because we bundled installation.",
        ],
        "lost": [
            "We quoted too late: the competitor was already in the trial.",
            "Price gap of about 8%; we had no cost-down option ready.",
            "The buyer changed and we never met the new one.",
        ],
    },
    "zh": {
        "won": [
            "现场演示说服了工程师,继续提前安排演示。",
            "48小时内回复招标,保持这个速度。",
            "捆绑安装服务,守住了框架价格。",
        ],
        "lost": [
            "报价太晚,竞争对手已在试用。",
            "价格差约8%,没有准备降本方案。",
            "采购负责人更换后一直没有拜访新负责人。",
        ],
    },
}
LIFE_TEXTS = {
    "promise": ("Finance will pay after the month-end closing.", "财务月结后付款。"),
    "delay": ("Supplier shipment arrived late at the warehouse.", "供应商到货延误。"),
    "call": ("Confirm the order quantities", "确认订单数量"),
    "quote": ("Send the revised quotation", "发送修改后的报价"),
    "visit": ("Visit the purchasing manager", "拜访采购经理"),
    "visited": ("Met the buyer; trial order next month.", "已拜访采购,下月试单。"),
}


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
        self.waiting = {id(plan) for plan in discounted[len(discounted) - waiting :]}

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
        if id(plan) in self.waiting:
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
        env = self.env
        env.flush_all()
        pairs = [
            (oid, datetime(day.year, day.month, day.day, 9, 0)) for oid, day in self.dated.items()
        ]
        values = ",".join(env.cr.mogrify("(%s,%s::timestamp)", pair).decode() for pair in pairs)
        env.cr.execute(
            f"""
            WITH days(order_id, moment) AS (VALUES {values}),
            v AS (
                UPDATE sales_compliance_violation t
                   SET date = d.moment, last_attempt_date = d.moment, create_date = d.moment,
                       write_date = d.moment + interval '2 hours',
                       decision_date = CASE WHEN t.decision_date IS NULL THEN NULL
                                            ELSE d.moment + interval '2 hours' END
                  FROM days d
                 WHERE t.res_model = 'sale.order' AND t.res_id = d.order_id
            ), a AS (
                UPDATE sales_compliance_approval t
                   SET request_date = d.moment + interval '10 minutes',
                       create_date = d.moment + interval '10 minutes',
                       write_date = d.moment + interval '2 hours'
                  FROM days d
                 WHERE t.res_model = 'sale.order' AND t.res_id = d.order_id
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
             WHERE t.model = 'sale.order' AND t.res_id = d.order_id
            """
        )
        env.invalidate_all()
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
        if self.seeder.size == "bench":
            env["sales.compliance.rule"].union(*self.rules.values()).active = False


def seed(env, size="demo", log=print, commit=False, lang="en_US"):
    """Seed ``env``'s database. Returns a dict of counts.

    ``lang`` (e.g. ``zh_CN``) is loaded and used by the generated staff, the Chinese
    customers and the administrator; names generated from translated data (targets) are
    in that language.

    If the database is already seeded, nothing is created and the returned dict is
    ``{"already_seeded": <size>}``. ``commit`` must stay False inside tests.
    """
    try:
        return Seeder(env, size, log, commit, lang=lang).run()
    except AlreadySeeded as exc:
        if str(exc).endswith(":in_progress"):
            log(
                f"[seed] a previous run ({exc}) did not finish; nothing done. "
                "Seed a fresh database instead."
            )
        else:
            log(f"[seed] database already seeded (size {exc}); nothing to do")
        return {"already_seeded": str(exc)}


# ------------------------------------------------------------------------------------------
# CLI
# ------------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description="Seed an Odoo 18 database with sales data.")
    parser.add_argument("-d", "--database", required=True, help="database name")
    parser.add_argument("--size", choices=sorted(SIZES), default="demo")
    parser.add_argument(
        "--lang",
        default="en_US",
        help="language of the company: loaded, used by the staff and the Chinese customers "
        "(e.g. zh_CN)",
    )
    parser.add_argument("--addons-path", help="Odoo addons path (comma separated)")
    parser.add_argument("-c", "--config", help="Odoo configuration file")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import preflight  # noqa: PLC0415 (the project's shared prerequisite checks)

    try:
        odoo = preflight.check_odoo()
        preflight.ensure_postgres(args.config or str(preflight.DEFAULT_CONFIG))
    except preflight.PreflightError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo_args = ["-d", args.database]
    if args.config:
        odoo_args += ["-c", args.config]
    if args.addons_path:
        odoo_args += ["--addons-path", args.addons_path]
    try:
        odoo.tools.config.parse_config(odoo_args)
    except (Exception, SystemExit) as exc:  # bad config file / addons path
        print(f"seed.py: invalid Odoo configuration: {exc}", file=sys.stderr)
        return 2
    try:
        import psycopg2  # noqa: PLC0415

        with odoo.sql_db.db_connect(args.database).cursor() as cr:
            cr.execute("SELECT 1 FROM pg_class WHERE relname = 'ir_module_module'")
            if not cr.fetchone():
                print(
                    f"seed.py: database {args.database!r} is not an Odoo database", file=sys.stderr
                )
                return 2
        registry = Registry(args.database)
    except psycopg2.Error as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"seed.py: cannot reach database {args.database!r}: {msg}", file=sys.stderr)
        return 2
    except Exception as exc:
        print(f"seed.py: cannot load database {args.database!r}: {exc}", file=sys.stderr)
        return 2

    from odoo.api import SUPERUSER_ID, Environment  # noqa: PLC0415

    if args.lang == "zh_CN":
        # a Chinese company keeps Chinese books: Odoo's Chinese chart of accounts (l10n_cn)
        with registry.cursor() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            seeded = env["ir.config_parameter"].get_param(MARKER_PARAM)
            module = env["ir.module.module"].search(
                [("name", "=", "l10n_cn"), ("state", "=", "uninstalled")]
            )
            if module and not seeded:
                print("[seed] installing l10n_cn (the Chinese chart of accounts)", flush=True)
                module.button_immediate_install()
        registry = Registry(args.database)

    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {})
        try:
            result = seed(
                env,
                size=args.size,
                log=lambda m: print(m, flush=True),
                commit=True,
                lang=args.lang,
            )
        except RuntimeError as exc:
            cr.rollback()
            print(f"seed.py: {exc}", file=sys.stderr)
            return 2
        cr.commit()
    if str(result.get("already_seeded", "")).endswith(":in_progress"):
        print(
            f"seed.py: a previous seed of {args.database} died half-way; drop the database "
            "and seed a new one (scripts/run and the Docker init do this by themselves)",
            file=sys.stderr,
        )
        return 3
    if "already_seeded" in result:
        print(f"seed.py: {args.database} already seeded ({result['already_seeded']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
