from . import test_gate
from . import test_gate_rpc
