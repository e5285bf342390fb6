from . import sales_compliance_check_wizard, sales_compliance_decision_wizard
from . import base_partner_merge
