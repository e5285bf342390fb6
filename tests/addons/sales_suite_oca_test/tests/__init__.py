from . import test_coinstall
from . import test_contract_next_to_agreement
