from . import sale_order
from . import sales_customer_receipt
from . import stock_picking
from . import sales_delivery_delay_reason
from . import sales_late_delivery
from . import sale_report
from . import res_company_delivery
from . import res_config_settings_delivery
