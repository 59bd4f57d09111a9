"""The application's settings as they are, plus one middleware that reports each response's query count and
server time in headers for the benchmark (bench/run.py). Used only by the benchmark's gunicorn."""

from yushu_gov.settings import *  # noqa: F403

MIDDLEWARE = ["bench.middleware.BenchHeadersMiddleware", *MIDDLEWARE]  # noqa: F405
