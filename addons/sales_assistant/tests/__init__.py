from . import (
    test_receipt_confirmation,
    test_visit_cadence,
    test_my_day,
    test_digest,
    test_my_day_tour,
)
