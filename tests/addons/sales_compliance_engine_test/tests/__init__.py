from . import test_engine_extension
