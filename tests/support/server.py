"""A real `docrepo serve` in its own process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A loopback TCP port nothing listens on now (the system picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def docrepo_server(
    content: Path, index: Path, watch: bool = False, **env_settings: str
) -> Iterator[str]:
    """`docrepo serve` (`--no-watch` unless `watch`) in its own process on a free loopback
    port, healthy within 60 s; its URL. The process is ended on leaving, whatever happens."""
    port = free_port()
    command = [sys.executable, "-m", "docrepo", "serve", "--port", str(port),
               "--content", str(content), "--index", str(index)]  # fmt: skip
    if not watch:
        command.append("--no-watch")
    with serving(command, port, **env_settings) as url:
        yield url


def settings_environment(**env_settings: str) -> dict[str, str]:
    """This process's environment without its `DOCREPO_*`, with these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCREPO_")}
    env.update({f"DOCREPO_{k.upper()}": v for k, v in env_settings.items()})
    return env


@contextmanager
def serving(command: list[str], port: int, **env_settings: str) -> Iterator[str]:
    """A server `command` listening on `port` of the loopback, healthy within 60 s; its
    URL. The process is ended on leaving, whatever happens."""
    env = settings_environment(**env_settings)
    # standard error to a file, not a pipe: a watching server logs every update, and a
    # pipe nobody reads would end up blocking it
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        stderr = log.read().decode(errors="replace")
                        raise RuntimeError(f"{command[2:4]} did not start: {stderr}") from None
                    time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
