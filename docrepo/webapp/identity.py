"""Who is asking: the identity the intranet's reverse proxy vouches for.

Identity headers are believed only from the addresses of `trusted_proxies`; from
anywhere else, a request is anonymous whatever its headers say.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from ..access import ANONYMOUS, Viewer


def _trusted(address: str | None, networks: tuple[str, ...]) -> bool:
    if not address or not networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in networks)


def viewer_from_headers(
    client_address: str | None, headers: Mapping[str, str], trusted_proxies: tuple[str, ...]
) -> Viewer:
    """The identity the reverse proxy vouches for, believed only from a trusted address."""
    if not _trusted(client_address, trusted_proxies):
        return ANONYMOUS
    user = headers.get("x-remote-user", "").strip()
    if not user:
        return ANONYMOUS
    groups = frozenset(
        g.strip() for g in headers.get("x-remote-groups", "").split(",") if g.strip()
    )
    return Viewer(user=user, groups=groups)
