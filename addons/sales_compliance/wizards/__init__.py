from . import sales_compliance_check_wizard
