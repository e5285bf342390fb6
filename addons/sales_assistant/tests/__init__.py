from . import (
    test_receipt_confirmation,
)
from . import test_confirm_guide
from . import test_confirm_guide_checks
