"""Who is looking, and which documents they may see.

Identity comes from the intranet's reverse proxy (headers read by the web layer);
here it is only a `Viewer`. The search core turns a viewer into the set of `access`
terms they may see, so that hidden documents are filtered inside every search.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Viewer:
    """A person (or nobody) reading the documents."""

    user: str | None = None
    groups: frozenset[str] = field(default_factory=frozenset)
    #: the command line runs beside the files and sees everything
    sees_all: bool = False

    @property
    def authenticated(self) -> bool:
        return self.user is not None

    def access_terms(self) -> set[str] | None:
        """Values of the index's `access` field this viewer may see (None = all)."""
        if self.sees_all:
            return None
        terms = {"public"}
        if self.authenticated:
            terms.add("internal")
            terms.update(f"group:{g}" for g in self.groups)
        return terms

    def may_see(self, access: list[str]) -> bool:
        allowed = self.access_terms()
        if allowed is None:
            return True
        if access in (["public"], ["internal"]):
            return access[0] in allowed
        return any(f"group:{g}" in allowed for g in access)


ANONYMOUS = Viewer()
EVERYONE = Viewer(sees_all=True)


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
