"""X-Bench-Queries and X-Bench-Ms on every response: the queries the request ran (on the default database)
and the time the server spent on it, measured around every other middleware and the view."""

import time

from django.db import connection


class BenchHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(queries)
        response["X-Bench-Ms"] = f"{(time.perf_counter() - started) * 1000:.1f}"
        return response
