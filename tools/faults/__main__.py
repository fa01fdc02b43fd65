"""`python -m tools.faults`: Django set up as `manage.py` does, then the drill."""

from tools.start import tool_run

tool_run("tools.faults.run")
