from . import (
    test_approval,
    test_checks,
    test_engine,
    test_i18n,
    test_ownership,
    test_rule_eval,
    test_save_cost,
    test_tour,
    test_views,
    test_violation,
)
