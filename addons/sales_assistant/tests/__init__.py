from . import (
    test_receipt_confirmation,
    test_customer_receipt_portal,
    test_late_delivery,
    test_tour_customer_receipt,
    test_i18n_delivery,
)
