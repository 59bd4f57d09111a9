"""The province-scale benchmark (`make bench`, bench/run.py). Not part of the application."""
