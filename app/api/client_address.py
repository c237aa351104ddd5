"""The client's address: the TCP peer, or the X-Forwarded-For hop a trusted proxy vouches for.

Anyone can send X-Forwarded-For, so it counts only when the peer is a configured proxy
(`SME_TRUSTED_PROXIES`), and then only the hops those proxies appended: read from the right, the
first address that is not itself a trusted proxy is the client. What lies left of it is whatever the
client chose to write.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from starlette.types import Scope

Networks = tuple[IPv4Network | IPv6Network, ...]
MAX_CHARS = 64  # an untrusted hop is a string the client wrote: keep it short in logs and dict keys


def parse_networks(entries: Iterable[str]) -> Networks:
    """Addresses or CIDR blocks; raises ValueError naming a bad entry."""
    return tuple(ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def client_address(scope: Scope, trusted: Networks) -> str:
    client = scope.get("client")
    peer = str(client[0]) if client else "unknown"
    if not trusted or not _trusted(peer, trusted):
        return peer
    hops = _forwarded(scope)
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop[:MAX_CHARS]
    return hops[0][:MAX_CHARS] if hops else peer


def _forwarded(scope: Scope) -> list[str]:
    values = [v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == b"x-forwarded-for"]
    return [hop.strip() for value in values for hop in value.split(",") if hop.strip()]


def _trusted(address: str, trusted: Networks) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)
