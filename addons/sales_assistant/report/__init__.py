from . import sales_collection_overdue_report
from . import sales_collection_rate_report
