from . import sale_order
from . import sales_receipt_confirmation
from . import sales_handover_log
from . import crm_lead_handover
