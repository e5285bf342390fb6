from . import (
    crm_lead,
    crm_stage,
    res_config_settings,
    sale_order,
    sales_commission_assignment,
    sales_commission_scheme,
    sales_commission_scheme_version,
    sales_commission_statement,
    sales_commission_statement_line,
    sales_commission_tier,
    sales_credit_share,
    sales_forecast_commit,
    sales_target,
    sales_target_metric,
    sales_target_plan,
    sales_target_revision,
)
from . import sales_commission_statement_engine
from . import sales_commission_statement_export
from . import sales_commission_statement_clawback
from . import sales_commission_whatif
from . import sales_commission_whatif_line
from . import sales_commission_whatif_curve
from . import sales_commission_scheme_adoption
from . import sales_compliance_rule_scheme_adoption
