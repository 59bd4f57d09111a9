"""Numbers typed into a query string (?year=2023&street=4), parsed in one place: anything that is not a
whole number within the bounds ("²", "9" * 30, "", "-1") is treated as absent, never as an error page."""

MAX_ID = 2**31 - 1  # a database id: positive and within PostgreSQL's integer range


def int_param(params, name: str, *, low: int = 1, high: int = MAX_ID, default: int | None = None) -> int | None:
    """The whole number `params[name]` (a QueryDict or a dict) within [low, high], else `default`."""
    text = str(params.get(name) or "").strip()
    if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 12:
        return default
    number = int(text, 10)
    return number if low <= number <= high else default
