from . import (
    test_receipt_confirmation,
    test_handover,
    test_closing,
)
