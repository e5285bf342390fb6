"""The Seeder: builds the demo's records step by step (organisation, customers, products,
opportunities, orders and deliveries), then hands over to its invoicing (invoicing.py) and to
the demo's life (life.py); the orders it confirms meet the compliance gate (gate.py)."""

import itertools
import random
import time
from collections import defaultdict
from datetime import date, datetime, timedelta

from preflight import MARKER_PARAM

from .bulk import create_orders
from .commission import CommissionSteps
from .complaint_portal import ComplaintPortalSteps
from .complaints import ComplaintSteps
from .contracts import ContractSteps
from .data import (
    CATALOG,
    CLOSING_LESSONS,
    COMPETITORS,
    DEMO_PASSWORD,
    EN_SUFFIXES,
    EN_WORDS_A,
    EN_WORDS_B,
    GATE_DISCOUNT,
    LATE_MAX_AGE,
    LATE_MIN_AGE,
    LATE_SHARE,
    LOGIN_PREFIX,
    PAYMENT_TERM_XMLIDS,
    RANDOM_SEED,
    REF_PREFIX,
    REGIONS,
    REQUIRED_MODULES,
    SEASONALITY,
    SIZES,
    STREETS_EN,
    STREETS_ZH,
    TERM_45_EOM,
    ZH_BRAND_CHARS,
    ZH_COMPANY,
    ZH_INDUSTRIES,
    ZH_SUFFIXES,
    ZH_TEAM_NAMES,
)
from .gate import ComplianceGate
from .helpers import AlreadySeeded, Progress, chunks, en_person, money, sql_set_dates, zh_person
from .invoicing import InvoicingSteps
from .life import DemoLifeSteps
from .mails import MailsSteps
from .outbox import OutboxSteps
from .registers import RegisterSteps
from .resume import drop as drop_checkpoint
from .resume import load as load_checkpoint
from .resume import save as save_checkpoint
from .robot_pushes import RobotPushSteps
from .robots import RobotSteps
from .satisfaction import SatisfactionSteps
from .work_report_rollups import WorkReportRollupSteps
from .work_reports import WorkReportSteps


class Seeder(
    InvoicingSteps,
    CommissionSteps,
    DemoLifeSteps,
    ContractSteps,
    RegisterSteps,
    ComplaintSteps,
    ComplaintPortalSteps,
    SatisfactionSteps,
    WorkReportSteps,
    WorkReportRollupSteps,
    MailsSteps,
    RobotSteps,
    RobotPushSteps,
    OutboxSteps,
):
    """Builds the demo in ``env``'s database at ``size`` (``SIZES``), deterministically."""

    def __init__(self, env, size, log, commit, lang="en_US", bulk=False, checkpoint_hook=None):
        if size not in SIZES:
            raise ValueError(f"unknown size {size!r}, expected one of {sorted(SIZES)}")
        self.size = size
        self.cfg = SIZES[size]
        # bench and its multiples: no demo stories, the benchmarks make their own
        self.bench = self.cfg.get("bench", False)
        # the large tables written with COPY (bulk.py) instead of the ORM's create()
        self.bulk = bulk
        self.log = Progress(log)
        self.commit_enabled = commit
        # called with the step after each checkpoint (tests interrupt the seed there)
        self.checkpoint_hook = checkpoint_hook
        self.step = None
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

    # the steps that commit per batch, and go on after their last batch when resumed; the
    # others commit once, when they end
    BATCH_STEPS = frozenset({"make_orders", "make_invoices", "make_payments"})

    def commit(self):
        """The end of a batch: flushed; committed, with where the seed stands, in the steps
        that resume per batch (``BATCH_STEPS``)."""
        self.env.flush_all()
        if self.step in self.BATCH_STEPS:
            self.checkpoint(f"{self.step}:batch")
        elif self.commit_enabled:
            self.env.invalidate_all()

    def checkpoint(self, step=None):
        """Commit, with the state that lets a new run continue after ``step`` (resume.py)."""
        self.env.flush_all()
        started = time.monotonic()
        save_checkpoint(self, step or self.step)
        self.checkpoint_seconds = getattr(self, "checkpoint_seconds", 0.0)
        self.checkpoint_seconds += time.monotonic() - started
        if self.commit_enabled:
            self.env.cr.commit()
            self.env.invalidate_all()
        if self.checkpoint_hook:
            self.checkpoint_hook(step or self.step)

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
        accounting, as Odoo does when a chart is chosen there (``scripts/seed --lang zh_CN``
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
            name = zh_person(rng) if lang == "zh" else en_person(rng)
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
                **({"password": DEMO_PASSWORD} if not self.bench else {}),
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
        for n, chunk in enumerate(chunks(rep_vals, 50)):
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
        if demo and demo.active and not self.bench:
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
        for n, chunk in enumerate(chunks(vals_list, 500)):
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
                    "name": zh_person(rng) if chinese else en_person(rng),
                    "function": rng.choice(
                        ["采购经理", "采购专员", "总经理", "财务主管"]
                        if chinese
                        else ["Purchasing Manager", "Buyer", "Procurement Lead", "CFO"]
                    ),
                    "email": f"buyer{i + 1}@customer{i + 1}.example.com",
                    "phone": partner.phone,
                }
            )
        for chunk in chunks(contact_vals, 1000):
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
            price = money(rng, low, high)
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
        for k, chunk in enumerate(chunks(vals_list, 500)):
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
        if self.bench:  # the benchmarks make their own late deliveries
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
        for user_id in sorted({uid for uids in self.team_reps.values() for uid in uids}):
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

    def _competitors(self):
        Competitor = self.env["sales.competitor"]
        names = [zh if self.chinese else en for en, zh in COMPETITORS]
        found = Competitor.search([("name", "in", names)])
        missing = [name for name in names if name not in found.mapped("name")]
        return found | Competitor.create([{"name": name} for name in missing])

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
            revenue = float(round(money(rng, 2000, 400000), -2))
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
        for k, chunk in enumerate(chunks(vals_list, bs)):
            leads |= Lead.create(chunk)
            self.commit()
            self.log("opportunities", min((k + 1) * bs, len(vals_list)), len(vals_list))
        sql_set_dates(
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
        for chunk in chunks(plans, bs):
            if "order" in chunk[-1]:  # made before the run was interrupted (resume.py)
                done += len(chunk)
                continue
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
            orders = create_orders(env, vals_list) if self.bulk else SO.create(vals_list)
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
            sql_set_dates(
                env.cr,
                "sale_order",
                "date_order",
                [(p["order"], self._at(p["day"], 9)) for p in chunk],
            )
            sql_set_dates(
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
        sql_set_dates(env.cr, "stock_picking", "date_done", pick_dates)
        if on_time:
            sql_set_dates(env.cr, "stock_picking", "scheduled_date", pick_dates)
        sql_set_dates(env.cr, "stock_move", "date", move_dates)
        sql_set_dates(env.cr, "stock_move_line", "date", line_dates)
        env["stock.picking"].invalidate_model(["date_done", "scheduled_date"])
        env["stock.move"].invalidate_model(["date"])
        env["stock.move.line"].invalidate_model(["date"])
        self.counts["deliveries_done"] += len(pickings)

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
        sql_set_dates(env.cr, "stock_picking", "scheduled_date", pick_dates)
        sql_set_dates(env.cr, "stock_move", "date", move_dates)
        env["stock.picking"].invalidate_model(["scheduled_date"])
        env["stock.move"].invalidate_model(["date"])

    # -- the run ------------------------------------------------------------------------

    # the steps of a run, in order; a run that died continues after the last one committed
    STEPS = (
        "load_language",
        "make_organisation",
        "make_customers",
        "make_products",
        "plan_orders",
        "make_opportunities",
        "setup_gate",
        "make_orders",
        "finish_gate",
        "make_invoices",
        "make_payments",
        "make_collection_plans",
        "make_demo_life",
        "make_contracts",
        "make_mails",
        "make_registers",
        "make_complaints",
        "make_complaint_portal",
        "make_satisfaction",
        "make_work_reports",
        "make_work_report_rollups",
        "make_commission",
        "make_rule_dry_run",
        "make_robots",
        "make_robot_pushes",
        "make_outbox",
        "finish",
    )

    def setup_gate(self):
        self.gate = ComplianceGate.setup(self)

    def finish_gate(self):
        if self.gate:
            self.gate.finish()

    def finish(self):
        if "assistant_confirm_guide" in self.company._fields:
            self.company.assistant_confirm_guide = True  # the demo shows the guided screen
        self.localise_targets()

    def run(self):
        env = self.env
        ICP = env["ir.config_parameter"].sudo()
        marker = ICP.get_param(MARKER_PARAM)
        last = None
        if marker == f"{self.size}:in_progress":
            last = load_checkpoint(self)
        if last is None and (
            marker
            or env["res.users"]
            .with_context(active_test=False)
            .search_count([("login", "=like", f"{LOGIN_PREFIX}director%")], limit=1)
        ):
            raise AlreadySeeded(marker or "unknown size")
        if last is None:
            self.check_prerequisites()
            ICP.set_param(MARKER_PARAM, f"{self.size}:in_progress")
            self.log(f"seeding size={self.size} company={self.company.name!r} lang={self.lang}")
            self.step = "start"
            self.checkpoint()
            todo = self.STEPS
        else:
            done, _sep, batch = last.partition(":")
            position = self.STEPS.index(done) if done in self.STEPS else -1
            # a step that commits per batch goes on after its last batch
            todo = self.STEPS[position + (1 if not batch else 0) :]
            self.log(f"resuming size={self.size} after {last}")
        for step in todo:
            self.step = step
            started = time.monotonic()
            getattr(self, step)()
            self.step = None
            self.checkpoint(step)
            self.log(f"step {step}: {time.monotonic() - started:.1f}s")
        ICP.set_param(MARKER_PARAM, self.size)
        drop_checkpoint(env.cr)
        env.flush_all()
        if self.commit_enabled:
            env.cr.commit()
        self.counts["seconds"] = round(time.monotonic() - self.log.t0, 1)
        self.log("done: " + ", ".join(f"{k}={v}" for k, v in sorted(self.counts.items())))
        self.log(f"the checkpoints took {self.checkpoint_seconds:.1f}s")
        return dict(self.counts)
