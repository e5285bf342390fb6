from . import (
    test_receipt_confirmation,
)
