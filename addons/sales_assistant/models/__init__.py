from . import sale_order
from . import sales_receipt_confirmation
from . import sales_handover_log
from . import sales_competitor
from . import crm_lost_reason
from . import crm_lead_closing
from . import sales_compliance_rule_reactivate
from . import res_config_settings_handover
