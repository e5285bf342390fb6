from . import sales_target_revise
