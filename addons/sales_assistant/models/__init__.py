from . import sale_order
from . import sales_receipt_confirmation
from . import crm_stage_visit
from . import mail_activity_visit
from . import crm_lead_visit
from . import sales_assistant_day
from . import sales_assistant_digest
from . import res_config_settings_my_day
