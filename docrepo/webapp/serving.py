"""The web application served by uvicorn, one process or several.

`run` does what `uvicorn.run` does, with the listening socket marked as TCP. With
several workers uvicorn binds the socket itself and leaves its protocol number at 0;
connections inherit it, and asyncio then leaves Nagle's algorithm on for them, so every
request after the first on a kept-alive connection waited ~40 ms for a delayed ACK
(uvicorn issue #3149). With one worker asyncio binds the socket, and marks it.
"""

from __future__ import annotations

import errno
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

from ..config import Settings
from ..errors import DocrepoError, Message
from ..i18n import N_
from .hosts import is_loopback

#: the application factory each worker calls (`docrepo.app.from_environment`)
FACTORY = "docrepo.app:from_environment"


class TcpConfig(uvicorn.Config):
    """uvicorn's settings, whose listening socket says it is TCP (see the module)."""

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, sock.detach())


def run(host: str, port: int, workers: int) -> None:
    """Serve the application of the environment's settings until stopped."""
    # proxy_headers off: the address checked against `trusted_proxies` is the TCP
    # peer, never an X-Forwarded-For a client wrote.
    config = TcpConfig(FACTORY, factory=True, host=host, port=port, workers=workers,
                       log_level="warning", proxy_headers=False)  # fmt: skip
    if workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    else:
        uvicorn.Server(config).run()


def check_address(host: str, port: int) -> None:
    """Bind to the address once, as uvicorn will, to say in one line why it cannot be
    served (`docrepo serve` asks before bringing the index up to date, not after)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except socket.gaierror:
            message = Message.of(N_("cannot listen on '{host}': no such host"), host=host)
            raise DocrepoError(message) from None
        except OSError as exc:
            raise DocrepoError(_cannot_listen(exc, host, port)) from None


def _cannot_listen(exc: OSError, host: str, port: int) -> Message:
    """Why an address cannot be listened on."""
    if exc.errno == errno.EADDRINUSE:
        message = N_("port {port} is in use; stop what serves it or choose another --port")
    elif exc.errno == errno.EACCES:
        message = N_("port {port} needs privileges; choose a port above 1023")
    elif exc.errno == errno.EADDRNOTAVAIL:
        message = N_("cannot listen on {host}: it is not an address of this machine")
    else:
        message = N_("cannot listen on {host}:{port}: {reason}")
    return Message.of(message, host=host, port=port, reason=exc.strerror or exc)


def base_url_warning(settings: Settings, host: str) -> Message | None:
    """What `docrepo serve` says when other machines reach it and `base_url` is unset:
    the links of its feeds are then refused on any Host `allowed_hosts` does not name."""
    if settings.base_url or is_loopback(host):
        return None
    return Message.of(
        N_("docrepo: warning: base_url is not set and {host} is reachable from other "
           "machines: feeds, OpenSearch and the widget's snippet answer 400 to a Host that "
           "allowed_hosts does not name; set base_url (e.g. https://docs.example.org)"),
        host=host,
    )  # fmt: skip
