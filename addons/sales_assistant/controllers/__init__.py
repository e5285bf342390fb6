from . import portal
from . import portal_complaint
