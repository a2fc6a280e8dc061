"""Who is asking: the identity the intranet's reverse proxy vouches for.

Identity headers are believed only from the addresses of `trusted_proxies`; from
anywhere else, a request is anonymous whatever its headers say.
"""

from __future__ import annotations

import ipaddress

from starlette.datastructures import Headers

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
    client_address: str | None, headers: Headers, trusted_proxies: tuple[str, ...]
) -> Viewer:
    """The identity the reverse proxy vouches for, believed only from a trusted address.

    A request carrying an identity header twice is anonymous: which copy the proxy wrote
    and which one a client slipped past it cannot be told apart.
    """
    if not _trusted(client_address, trusted_proxies):
        return ANONYMOUS
    users = headers.getlist("x-remote-user")
    groups_given = headers.getlist("x-remote-groups")
    if len(users) != 1 or len(groups_given) > 1:
        return ANONYMOUS
    user = users[0].strip()
    if not user:
        return ANONYMOUS
    groups = frozenset(g.strip() for g in "".join(groups_given).split(",") if g.strip())
    return Viewer(user=user, groups=groups)
