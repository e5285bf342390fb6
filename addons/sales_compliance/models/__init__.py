# isort: skip_file
# The abstract mixin must be registered before the models inheriting from it.
from . import sales_compliance_mixin
from . import sales_compliance_rule
from . import sales_compliance_rule_level
from . import sales_compliance_violation
from . import sales_compliance_credit_rating
from . import sales_compliance_credit_review
from . import sales_compliance_discount_ceiling
from . import account_payment_term
from . import res_company
from . import res_partner
from . import res_users
from . import crm_lead
from . import sale_order
from . import sale_order_line
from . import sales_compliance_approval
from . import sales_compliance_approval_step
from . import sales_compliance_ownership_log
from . import res_config_settings
from . import sales_compliance_rate_report
from . import sales_compliance_rule_credit
from . import sales_compliance_rule_pricing
from . import sales_compliance_rule_contract
from . import sales_compliance_rule_ownership
from . import sales_compliance_rule_expression
