from odoo.addons.sales_compliance.tests import manifests  # parsed once (see manifests.py)

from . import (
    test_achievement,
    test_clawback,
    test_commission,
    test_credit_share,
    test_decompose,
    test_forecast,
    test_i18n,
    test_rights,
    test_statement_export,
    test_targets,
    test_timezone,
    test_tour,
)
from . import test_trust_targets
from . import test_migration
from . import test_shared_homes
from . import test_decomposition_tools
from . import test_dispatch_metrics
from . import test_commission_whatif
from . import test_scheme_versions
from . import test_trust_commission_versions
from . import test_trust_adoption_authors
