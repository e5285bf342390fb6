from . import sale_order
from . import sales_receipt_confirmation
