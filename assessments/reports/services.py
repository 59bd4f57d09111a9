"""The reports write nothing: they read (selectors.py) and draw (charts.py)."""
