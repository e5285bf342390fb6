from . import (
    sales_commission_generate,
    sales_target_decompose,
    sales_target_decompose_line,
    sales_target_revise,
)
from . import sales_commission_adoption
