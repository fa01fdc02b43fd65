"""`python -m tools.bench`: Django set up as `manage.py` does, then the bench."""

from tools.start import tool_run

tool_run("tools.bench.run")
