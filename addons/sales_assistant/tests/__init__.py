from . import (
    test_receipt_confirmation,
    test_handover,
)
