"""The decomposition arithmetic (``tools/decomposition.py``) as plain functions: no database."""

from datetime import date

from odoo.tests import tagged
from odoo.tests.common import BaseCase

from ..tools.achievement import DailySeries
from ..tools.decomposition import child_periods, last_year_weights, split_amount


@tagged("post_install", "-at_install")
class TestDecompositionArithmetic(BaseCase):
    def test_a_year_splits_into_its_four_calendar_quarters(self):
        self.assertEqual(
            child_periods(date(2025, 1, 1), date(2025, 12, 31), "quarter"),
            [
                (date(2025, 1, 1), date(2025, 3, 31)),
                (date(2025, 4, 1), date(2025, 6, 30)),
                (date(2025, 7, 1), date(2025, 9, 30)),
                (date(2025, 10, 1), date(2025, 12, 31)),
            ],
        )

    def test_quarters_follow_the_fiscal_year_and_are_cut_to_the_target(self):
        # fiscal year from April: the target from 15 May to 31 August spans two fiscal quarters
        self.assertEqual(
            child_periods(date(2025, 5, 15), date(2025, 8, 31), "quarter", fiscal_month=4),
            [
                (date(2025, 5, 15), date(2025, 6, 30)),
                (date(2025, 7, 1), date(2025, 8, 31)),
            ],
        )

    def test_weeks_start_on_monday_and_the_first_and_last_are_cut(self):
        periods = child_periods(date(2025, 1, 1), date(2025, 1, 31), "week")
        self.assertEqual(periods[0], (date(2025, 1, 1), date(2025, 1, 5)))
        self.assertEqual(periods[1], (date(2025, 1, 6), date(2025, 1, 12)))
        self.assertEqual(periods[-1], (date(2025, 1, 27), date(2025, 1, 31)))
        self.assertEqual(len(periods), 5)

    def test_the_split_adds_up_exactly_to_the_uplifted_total(self):
        values = split_amount(100.0, [1, 1, 1], 0.01)
        self.assertEqual(values[:2], [33.33, 33.33])
        self.assertAlmostEqual(sum(values), 100.0)
        uplifted = split_amount(1000.0, [1, 2, 3], 1.0, uplift_pct=10)
        self.assertEqual(uplifted, [183.0, 367.0, 550.0])
        self.assertAlmostEqual(sum(uplifted), 1100.0)

    def test_a_rate_is_not_split_it_holds_for_every_part(self):
        self.assertEqual(split_amount(98.0, [1, 5, 0], 0.01, rate=True), [98.0] * 3)

    def test_seasonality_weighs_by_the_company_profile_of_last_year(self):
        series = {
            ("company", 1): DailySeries({date(2024, 1, 10): 100.0, date(2024, 2, 10): 300.0}),
            ("user", 7): DailySeries({date(2024, 1, 10): 50.0}),
        }
        specs = [
            {"assignee_type": "user", "user_id": 7, "date_from": start, "date_to": end}
            for start, end in (
                (date(2025, 1, 1), date(2025, 1, 31)),
                (date(2025, 2, 1), date(2025, 2, 28)),
            )
        ]
        self.assertEqual(last_year_weights(specs, "seasonality", series, 1), [100.0, 300.0])
        # history: each child's own assignee, whoever else sold
        self.assertEqual(last_year_weights(specs, "history", series, 1), [50.0, 0.0])

    def test_without_actuals_last_year_every_weight_is_zero(self):
        specs = [
            {
                "assignee_type": "team",
                "team_id": 3,
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 3, 31),
            }
        ]
        self.assertEqual(last_year_weights(specs, "history", {}, 1), [0.0])
        self.assertEqual(last_year_weights(specs, "seasonality", {}, 1), [0.0])
