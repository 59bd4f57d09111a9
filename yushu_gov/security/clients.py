"""Who is asking: the client's address, as far as the deployment can vouch for it."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address. Behind the reverse proxy (BEHIND_PROXY=1) it is the address the proxy appended
    to X-Forwarded-For: the last entry, the only one the proxy vouches for."""
    address = request.META.get("REMOTE_ADDR") or None
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = forwarded.split(",")[-1].strip() or None
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None  # not an address: never stored as one
