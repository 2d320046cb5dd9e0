from . import test_forecast
from . import test_snapshot
from . import test_refresh
from . import test_reports
from . import test_security
from . import test_attacks
from . import test_tours
from . import test_loan
