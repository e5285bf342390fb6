from . import manifests  # parsed once (see manifests.py)

from . import (
    test_approval,
    test_checks,
    test_credit_visibility,
    test_document_company,
    test_engine,
    test_gate,
    test_gate_rpc,
    test_i18n,
    test_ownership,
    test_pool,
    test_rule_eval,
    test_rule_security,
    test_save_cost,
    test_tour,
    test_views,
    test_violation,
)
from . import test_check_registry
from . import test_sales_team
from . import test_trust_decisions
from . import test_trust_ownership
from . import test_trust_today
from . import test_shared_homes
from . import test_dispatch_registry
from . import test_shared_tools
from . import test_robot_contract
from . import test_robot_config
from . import test_approval_link
from . import test_trust_approval_links
from . import test_approval_mail
from . import test_trust_approval_replies
from . import test_robot_pushes
from . import test_robot_outbox
from . import test_robot_outbox_workers
from . import test_trust_links_review
from . import test_trust_replies_review
from . import test_trust_robot_review
from . import test_rule_dry_run
from . import test_trust_rule_dry_run
from . import test_ownership_release_cost
