from . import (
    test_receipt_confirmation,
)
from . import test_collection_plan
from . import test_collection_state
from . import test_collection_promise
from . import test_collection_reminder
from . import test_collection_access
from . import test_collection_report
from . import test_collection_tour
from . import test_confirm_guide
from . import test_confirm_guide_checks
