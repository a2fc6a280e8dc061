"""Which hosts the absolute links of a response may be built on, without `base_url`.

The feeds, OpenSearch and the widget's snippet give absolute URLs. Without `base_url`,
the only host they can name is the one the request's `Host` header names, which the
client writes: a feed fetched with `Host: evil.example` (by a proxy's cache, a poisoned
link) would send its readers there. So that header makes links only when `allowed_hosts`
named it (the middleware refused any other) or when it is one of this machine's own
names, which another machine cannot be sent to.
"""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """Whether a host (name or address, IPv6 with or without brackets) is this machine:
    localhost, 127.0.0.0/8, ::1."""
    name = host.strip().removeprefix("[").removesuffix("]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
