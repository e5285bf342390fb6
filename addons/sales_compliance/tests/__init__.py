from . import test_credit_visibility
from . import test_document_company
from . import test_pool
from . import test_rule_security
