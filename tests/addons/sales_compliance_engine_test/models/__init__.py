from . import sales_engine_test_document
from . import sales_compliance_rule
