from . import sale_order
from . import sales_receipt_confirmation
from . import sales_target_metric_compliance_rate
