from . import test_targets
