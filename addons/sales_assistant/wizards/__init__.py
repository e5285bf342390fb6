from . import sale_order_confirm_guide
