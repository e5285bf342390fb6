from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from odoo.addons.sales_compliance.tools.registry import ExtensionError
from odoo.addons.sales_targets.models.sales_target_metric import (
    FACT_COLUMNS,
    METRIC_COLUMNS,
    METRIC_READERS,
    _metric_sql_problem,
)
from odoo.addons.sales_targets.tests.common import TargetsCase
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

BUILTIN_READERS = {
    "revenue",
    "invoiced",
    "margin",
    "collected",
    "new_customers",
    "won_opportunities",
    "visits",
    "product_mix",
}
JANUARY = (date(2025, 1, 1), date(2025, 1, 31))


@tagged("post_install", "-at_install")
class TestDispatchMetrics(TargetsCase):
    """The SQL readers of the metric types (``_metric_sql_<type>``) go through the shared
    registry helper: each must give the documented columns, checked once (at registry load
    or first use, with a ``LIMIT 0`` query), never on every read."""

    @contextmanager
    def _another_addon_metric(self, key, method):
        """What another addon does: a metric type and its reader; yields a metric of it."""
        Metric = self.env["sales.target.metric"]
        field = Metric._fields["metric_type"]
        label = key.replace("_", " ").title()
        with (
            patch.object(field, "selection", [*field.selection, (key, label)]),
            patch.object(field, "_selection", {**field._selection, key: label}),
            patch.object(type(Metric), method.__name__, method, create=True),
        ):
            yield Metric.create({"name": label, "metric_type": key}).with_user(self.manager)

    def test_every_builtin_reader_gives_the_documented_columns(self):
        Metric = self.env["sales.target.metric"]
        self.assertLessEqual(BUILTIN_READERS, set(METRIC_READERS.keys(Metric)))
        for key in METRIC_READERS.keys(Metric):
            name = f"_metric_sql_{key}"
            with self.subTest(key):
                # checked afresh, not read from the registry's cache
                self.assertIsNone(_metric_sql_problem(Metric, name, getattr(type(Metric), name)))
                self.assertTrue(METRIC_READERS.method(Metric.with_user(self.manager), key))

    def test_a_reader_without_the_source_ref_column_is_refused_naming_it(self):
        def _metric_sql_short(self, period):
            columns = SQL(", ".join(METRIC_COLUMNS[:-1]))
            return SQL("SELECT %s FROM (%s) src", columns, self._metric_sql_revenue(period))

        with self._another_addon_metric("short", _metric_sql_short) as metric:
            with self.assertRaises(ExtensionError) as caught:
                metric._fetch_facts(*JANUARY, self.company)
        message = str(caught.exception)
        self.assertIn("sales.target.metric._metric_sql_short", message)
        self.assertIn(f"must return the columns ({', '.join(METRIC_COLUMNS)})", message)

    def test_a_reader_of_another_shape_is_refused_naming_it(self):
        def renamed(self, period):
            return SQL(
                "SELECT res_model, res_id, doc_name, user_id, team_id, company_id, day, "
                "amount AS amount_total, share, overlay, source_ref FROM (%s) src",
                self._metric_sql_revenue(period),
            )

        shapes = {
            "a renamed column": (renamed, "not (res_model, res_id"),
            "text, not SQL": (lambda self, period: "SELECT 1", "must return SQL, not str"),
            "SQL that fails": (
                lambda self, period: SQL("SELECT nothing FROM sale_order"),
                "returns SQL that fails",
            ),
        }
        for label, (reader, problem) in shapes.items():
            with self.subTest(label):
                reader.__name__ = "_metric_sql_misshapen"
                with (
                    self._another_addon_metric("misshapen", reader) as metric,
                    mute_logger("odoo.sql_db"),
                    self.assertRaises(ExtensionError) as caught,
                ):
                    metric._source_sql(*JANUARY, self.company)
                self.assertIn("sales.target.metric._metric_sql_misshapen", str(caught.exception))
                self.assertIn(problem, str(caught.exception))

    def test_a_well_shaped_reader_is_checked_once_not_on_every_read(self):
        def _metric_sql_revenue_again(self, period):
            return self._metric_sql_revenue(period)

        self.make_order(self.rep_a, 1200.0)
        revenue = self.env.ref("sales_targets.metric_revenue").with_user(self.manager)
        expected = revenue._fetch_facts(*JANUARY, self.company)
        self.assertTrue(expected)
        with (
            self._another_addon_metric("revenue_again", _metric_sql_revenue_again) as metric,
            patch.object(METRIC_READERS, "check", wraps=METRIC_READERS.check) as check,
        ):
            queries = []
            for _i in range(3):
                before = self.cr.sql_log_count
                self.assertEqual(metric._fetch_facts(*JANUARY, self.company), expected)
                queries.append(self.cr.sql_log_count - before)
        self.assertEqual(check.call_count, 1)
        # the first read also ran the check's LIMIT 0 query; the next ones only read
        self.assertGreater(queries[0], queries[1])
        self.assertEqual(queries[1], queries[2])

    def test_the_readers_are_checked_when_the_registry_loads(self):
        def _metric_sql_broken(self, period):
            return SQL("SELECT 1 AS res_model")

        Metric = self.env["sales.target.metric"]
        with self._another_addon_metric("broken", _metric_sql_broken):
            with self.assertLogs("odoo.addons.sales_targets.models", "ERROR") as logs:
                Metric._register_hook()
        # the built-in readers pass: the broken one alone is named
        self.assertEqual(len(logs.output), 1)
        self.assertIn("sales.target.metric._metric_sql_broken", logs.output[0])

    def test_an_orm_reader_of_another_addon_is_found_and_its_facts_checked(self):
        """``_metric_facts_<type>`` (a sibling of the SQL readers) goes through the same
        helper: it returns the grouped facts of ``_fetch_facts``, tuples of FACT_COLUMNS."""

        def _metric_facts_flat(self, period, user_ids=None):
            return [(None, None, period.companies[:1].id, period.date_from, False, 5.0, 1)]

        with self._another_addon_metric("flat", _metric_facts_flat) as metric:
            facts = metric._fetch_facts(*JANUARY, self.company)
        self.assertEqual(facts, [(None, None, self.company.id, JANUARY[0], False, 5.0, 1)])

        def as_dicts(self, period, user_ids=None):
            return [dict(zip(FACT_COLUMNS, fact, strict=True)) for fact in facts]

        def without_users(self, period):
            return []

        shapes = {
            "dicts": (as_dicts, "must return facts (user_id, team_id"),
            "no user_ids": (without_users, "cannot be called with (period, user_ids)"),
        }
        for label, (reader, problem) in shapes.items():
            with self.subTest(label):
                reader.__name__ = "_metric_facts_misshapen"
                with (
                    self._another_addon_metric("misshapen", reader) as metric,
                    self.assertRaises(ExtensionError) as caught,
                ):
                    metric._fetch_facts(*JANUARY, self.company)
                self.assertIn("sales.target.metric._metric_facts_misshapen", str(caught.exception))
                self.assertIn(problem, str(caught.exception))

    def test_a_metric_without_a_sql_reader_is_still_refused_as_before(self):
        metric = self.env["sales.target.metric"].new({"name": "Generic", "metric_type": "generic"})
        with self.assert_raises_msg(ValidationError, "is not read with SQL"):
            metric._source_sql(*JANUARY, self.company)
