from . import sales_target_decompose, sales_target_revise
