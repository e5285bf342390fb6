from . import test_coinstall
