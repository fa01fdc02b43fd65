"""`python -m tools.bench_report`: Django set up as `manage.py` does, then the timing."""

from tools.start import tool_run

tool_run("tools.bench_report.run")
