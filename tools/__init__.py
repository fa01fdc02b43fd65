"""Sidelog's measurements and fault drills: run beside the product, never part of it.

Each runs from the checkout's top folder as a module and sets Django up itself, with the
settings `manage.py` would use: `python -m tools.bench` (`make bench`),
`python -m tools.bench_report` (`make bench-report`) and `python -m tools.faults`
(`make faults`). `tools.journals` writes the large synthetic journals they measure (tests
use it too) and `tools.serving` starts Sidelog the way production serves it.
"""
