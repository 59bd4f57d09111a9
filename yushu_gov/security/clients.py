"""Who is asking: the client's address, as far as the deployment can vouch for it, and the bucket a rate limit
counts it in."""

import ipaddress

from django.conf import settings

# The one bucket of every request whose address cannot be read: a sender who forges an unparsable
# X-Forwarded-For shares its limit with every other such sender, instead of escaping the limits.
UNKNOWN_BUCKET = "unknown"
# An IPv6 subscriber is given a whole /64 (RFC 6177): one sender can use 2^64 addresses of it.
IPV6_PREFIX = 64


def _trusted_proxy(address: str | None) -> bool:
    """Whether the connection comes from one of the reverse proxies of TRUSTED_PROXIES (addresses or networks)."""
    try:
        peer = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(peer in ipaddress.ip_network(network, strict=False) for network in settings.TRUSTED_PROXIES)


def _raw_address(request) -> str | None:
    """The address as the deployment vouches for it, unparsed. Behind the reverse proxy (BEHIND_PROXY=1) and
    only when the connection comes from it (TRUSTED_PROXIES), the address the proxy appended to
    X-Forwarded-For: the last entry, the only one the proxy vouches for (every earlier entry is the client's
    own word). A connection that bypasses the proxy is taken at its own address."""
    address = request.META.get("REMOTE_ADDR") or None
    if settings.BEHIND_PROXY and _trusted_proxy(address):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
        if forwarded is not None:
            address = forwarded.split(",")[-1].strip() or None
    return address


def _parse(address: str | None):
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    if parsed.version == 6 and parsed.ipv4_mapped is not None:
        return parsed.ipv4_mapped  # ::ffff:192.0.2.1 is 192.0.2.1
    return parsed


def client_ip(request) -> str | None:
    """The client's address (what the audit log records), or None when it cannot be read."""
    parsed = _parse(_raw_address(request))
    return str(parsed) if parsed is not None else None


def client_bucket(request) -> str:
    """The key a rate limit counts the client under: an IPv4 address itself, an IPv6 address's /64 network
    (one subscriber's whole allocation), and one shared bucket for every address that cannot be read."""
    parsed = _parse(_raw_address(request))
    if parsed is None:
        return UNKNOWN_BUCKET
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return str(parsed)
