from . import (
    test_receipt_confirmation,
)
from . import test_target_metric_compliance_rate
