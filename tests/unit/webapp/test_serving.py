"""The listening socket of `docrepo serve --workers N` is marked as TCP, so that every
connection a worker accepts has Nagle's algorithm off (uvicorn leaves it on: a request
after the first on a kept-alive connection then waits for a delayed ACK)."""

from __future__ import annotations

import asyncio
import socket

from docrepo.webapp.serving import TcpConfig


def test_connections_accepted_on_the_bound_socket_send_without_delay() -> None:
    config = TcpConfig("docrepo.app:from_environment", host="127.0.0.1", port=0, workers=2)
    listener = config.bind_socket()
    assert listener.proto == socket.IPPROTO_TCP
    found: list[int] = []

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            found.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def accept_one() -> None:
        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        async with server:
            _, writer = await asyncio.open_connection(*listener.getsockname()[:2])
            while not found:
                await asyncio.sleep(0.01)
            writer.close()

    asyncio.run(asyncio.wait_for(accept_one(), 10))
    assert found == [1]
