from . import sales_win_loss_report
