from . import (
    test_receipt_confirmation,
    test_handover,
    test_closing,
    test_handover_tour,
)
