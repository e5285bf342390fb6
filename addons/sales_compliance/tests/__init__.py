from . import test_rule_security
