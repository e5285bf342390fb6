from contextlib import ExitStack, contextmanager
from unittest.mock import patch

from odoo.addons.sales_assistant.models.sales_assistant_day import SECTIONS
from odoo.addons.sales_assistant.models.sales_handover_log import COLLECTORS
from odoo.addons.sales_compliance.tools.registry import ExtensionError
from odoo.tests import TransactionCase, new_test_user, tagged

BUILTIN_KINDS = ["customer", "opportunity", "quotation", "order", "activity"]
BUILTIN_SECTIONS = {
    "activities",
    "visits",
    "visits_behind",
    "closing",
    "closing_passed",
    "approvals",
    "targets",
    "installments",
    "broken_promises",
    "late_deliveries",
}


@tagged("post_install", "-at_install")
class TestDispatchHandover(TransactionCase):
    """The hand-over collectors (``_handover_collect_<kind>``) go through the shared
    registry helper: a collector of another addon must take (user, company) and return the
    records the rep holds as a superuser recordset, or the hand-over stops naming it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.manager = new_test_user(
            cls.env, login="dsp_manager", groups="sales_team.group_sale_manager", name="Manager Qin"
        )
        cls.leaving = new_test_user(
            cls.env, login="dsp_leaving", groups="sales_team.group_sale_salesman", name="Rep Lu"
        )
        cls.successor = new_test_user(
            cls.env, login="dsp_successor", groups="sales_team.group_sale_salesman", name="Rep Ma"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "无锡阀门有限公司", "is_company": True, "user_id": cls.leaving.id}
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Valve enquiry",
                "type": "lead",
                "partner_id": cls.customer.id,
                "user_id": cls.leaving.id,
            }
        )

    @contextmanager
    def _another_addon_kind(self, collector=None):
        """What another addon does: a hand-over kind "lead" (plain leads) and, unless
        None, its collector."""
        field = self.env["sales.handover.log.line"]._fields["kind"]
        with ExitStack() as stack:
            stack.enter_context(
                patch.object(field, "selection", [*field.selection, ("lead", "Lead")])
            )
            if collector:
                Log = type(self.env["sales.handover.log"])
                stack.enter_context(
                    patch.object(Log, "_handover_collect_lead", collector, create=True)
                )
            yield

    def _plan(self):
        Log = self.env["sales.handover.log"].with_user(self.manager)
        return Log._handover_plan(self.leaving, self.company, "single", self.successor, 0)

    def test_every_builtin_kind_has_its_collector(self):
        Log = self.env["sales.handover.log"].with_user(self.manager)
        self.assertEqual(Log._handover_kinds(), BUILTIN_KINDS)
        self.assertEqual(sorted(COLLECTORS.keys(Log)), sorted(BUILTIN_KINDS))
        collected = Log._handover_collect(self.leaving, self.company)
        self.assertEqual(list(collected), BUILTIN_KINDS)
        self.assertEqual(collected["customer"], self.customer)

    def test_a_collector_of_another_addon_is_found_and_its_records_handed_over(self):
        def _handover_collect_lead(self, user, company):
            return (
                self.env["crm.lead"]
                .sudo()
                .search([("user_id", "=", user.id), ("type", "=", "lead")], order="id")
            )

        with self._another_addon_kind(_handover_collect_lead):
            lines = [(vals["kind"], vals["res_id"]) for vals in self._plan()]
        self.assertIn(("lead", self.lead.id), lines)
        self.assertIn(("customer", self.customer.id), lines)

    def test_a_collector_of_the_wrong_shape_is_refused_naming_it(self):
        def ids(self, user, company):
            return self.env["crm.lead"].sudo().search([("user_id", "=", user.id)]).ids

        def as_the_manager(self, user, company):
            # read with the rights of who runs the hand-over: what they cannot see would stay
            return self.env["crm.lead"].search([("user_id", "=", user.id)])

        def without_company(self, user):
            return self.env["crm.lead"].sudo()

        shapes = {
            "ids": (ids, "must return a recordset, not list"),
            "not as superuser": (as_the_manager, "must return its records as superuser"),
            "no company": (without_company, "cannot be called with (user, company)"),
        }
        for label, (collector, problem) in shapes.items():
            with self.subTest(label), self._another_addon_kind(collector):
                with self.assertRaises(ExtensionError) as caught:
                    self._plan()
                self.assertIn("sales.handover.log._handover_collect_lead", str(caught.exception))
                self.assertIn(problem, str(caught.exception))

    def test_a_kind_without_collector_stops_the_handover_naming_the_method(self):
        with self._another_addon_kind(), self.assertRaises(ExtensionError) as caught:
            self._plan()
        self.assertIn("has no method _handover_collect_lead", str(caught.exception))
        self.assertEqual(self.lead.user_id, self.leaving)


@tagged("post_install", "-at_install")
class TestDispatchMyDay(TransactionCase):
    """The My day sections (``_my_day_section_<name>``) go through the shared registry
    helper: a section of another addon must take (users, today) and return ``None`` or a
    section of the documented shape (``SECTION_SHAPE``), or My day stops naming it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.rep = new_test_user(
            cls.env, login="dsp_day_rep", groups="sales_team.group_sale_salesman", name="Rep Gu"
        )
        cls.manager = new_test_user(
            cls.env, login="dsp_day_mgr", groups="sales_team.group_sale_manager", name="Manager He"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "常州轴承厂", "is_company": True, "user_id": cls.rep.id}
        )

    @contextmanager
    def _another_addon_section(self, section):
        Day = type(self.env["sales.assistant.day"])
        with patch.object(Day, section.__name__, section, create=True):
            yield

    def day_of(self, user):
        return self.env["sales.assistant.day"].with_user(user).get_my_day()

    def test_every_builtin_section_is_found_and_of_the_documented_shape(self):
        Day = self.env["sales.assistant.day"]
        self.assertLessEqual(BUILTIN_SECTIONS, set(SECTIONS.keys(Day)))
        names = {section["name"] for section in self.day_of(self.manager)["sections"]}
        self.assertLessEqual(BUILTIN_SECTIONS, names)

    def test_a_section_of_another_addon_is_found_and_shown(self):
        def _my_day_section_customers(self, users, today):
            def entry(partner):
                return self._my_day_entry(
                    partner, partner._name, partner.id, partner.name, "", False, today
                )

            return self._my_day_section(
                "My customers",
                "res.partner",
                [("user_id", "in", users.ids)],
                entry,
                sequence=5,
                icon="fa-users",
            )

        with self._another_addon_section(_my_day_section_customers):
            day = self.day_of(self.rep)
        first = day["sections"][0]
        self.assertEqual((first["name"], first["count"]), ("customers", 1))
        self.assertEqual(first["records"][0]["id"], self.customer.id)

    def test_a_section_of_the_wrong_shape_is_refused_naming_it(self):
        good = {
            "title": "Wrong",
            "sequence": 1,
            "icon": "fa-bug",
            "count": 1,
            "note": None,
            "records": [],
            "action": {},
        }
        shapes = {
            "a list": ([good], "must return a section (a dict) or None, not list"),
            "no count": (
                {k: v for k, v in good.items() if k != "count"},
                "must return a section with count",
            ),
            "count as text": (dict(good, count="1"), "must give its count as int, not '1'"),
            "records as ids": (dict(good, records=[1]), "must give its records as dicts of"),
        }

        def returning(section):
            def _my_day_section_wrong(self, users, today):
                return section

            return _my_day_section_wrong

        for label, (section, problem) in shapes.items():
            with self.subTest(label), self._another_addon_section(returning(section)):
                with self.assertRaises(ExtensionError) as caught:
                    self.day_of(self.rep)
                self.assertIn("sales.assistant.day._my_day_section_wrong", str(caught.exception))
                self.assertIn(problem, str(caught.exception))

    def test_a_section_that_does_not_take_the_day_is_refused_naming_it(self):
        def _my_day_section_undated(self, users):
            return None

        with self._another_addon_section(_my_day_section_undated):
            with self.assertRaises(ExtensionError) as caught:
                self.day_of(self.rep)
        self.assertIn(
            "sales.assistant.day._my_day_section_undated cannot be called with (users, today)",
            str(caught.exception),
        )
