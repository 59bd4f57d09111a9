"""The province-scale benchmark of issue 11 (`make bench`, bench/run.py). Not part of the application."""
