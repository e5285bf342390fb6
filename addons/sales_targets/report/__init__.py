from . import sales_forecast_report
