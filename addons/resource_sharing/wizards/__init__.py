from . import staffing_candidate_search
from . import staffing_request_line_unfillable
from . import staffing_allocation_reject
from . import staffing_loan_refuse
from . import staffing_shortlist_entry_endorse
from . import staffing_partner_request_send
