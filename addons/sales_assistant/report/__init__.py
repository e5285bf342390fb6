from . import sales_collection_overdue_report
from . import sales_collection_rate_report
from . import sales_win_loss_report
from . import sales_satisfaction_report
