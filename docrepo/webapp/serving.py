"""The web application served by uvicorn, one process or several.

`run` does what `uvicorn.run` does, with the listening socket marked as TCP. With
several workers uvicorn binds the socket itself and leaves its protocol number at 0;
connections inherit it, and asyncio then leaves Nagle's algorithm on for them, so every
request after the first on a kept-alive connection waited ~40 ms for a delayed ACK
(uvicorn issue #3149). With one worker asyncio binds the socket, and marks it.
"""

from __future__ import annotations

import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

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
