from . import (
    test_achievement,
    test_commission,
    test_credit_share,
    test_decompose,
    test_forecast,
    test_i18n,
    test_statement_export,
    test_targets,
    test_tour,
)
