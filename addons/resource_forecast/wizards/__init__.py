from . import staffing_bench
