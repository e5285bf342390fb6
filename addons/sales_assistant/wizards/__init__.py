from . import sales_handover_wizard
