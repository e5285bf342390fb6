from . import sale_order
from . import sales_receipt_confirmation
from . import sale_order_line_availability
from . import sale_order_confirm
from . import res_config_settings_confirm
from . import sales_compliance_rule_stock
