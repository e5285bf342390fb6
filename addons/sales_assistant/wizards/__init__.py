from . import sales_confirm_guide
from . import sales_handover_wizard
from . import crm_lead_closing_wizard
from . import sales_contract_sign
from . import sales_work_report_review
from . import sales_complaint_close
