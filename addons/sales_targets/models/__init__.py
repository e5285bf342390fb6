from . import (
    crm_lead,
    crm_stage,
    sale_order,
    sales_credit_share,
    sales_target,
    sales_target_metric,
    sales_target_plan,
    sales_target_revision,
)
