from . import deferred_checks
