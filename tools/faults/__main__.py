"""`python -m tools.faults`: Django set up as `manage.py` does, then the reports' drill;
`python -m tools.faults reminders`: the reminders' drill."""

import sys

from tools.start import tool_run

if sys.argv[1:2] == ["reminders"]:
    del sys.argv[1]
    tool_run("tools.faults.reminders")
else:
    tool_run("tools.faults.run")
