"""The harness of the benchmarks: processes, an HTTP client, timing, ports, percentiles.

Nothing here measures docrepo by itself: `benchmarks.measures` uses these pieces, and
`benchmarks.load` uses `free_port` and `percentile`. Importing this module imports no
docrepo module (`code_fingerprint` imports docrepo only when it is called).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- numbers


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0–100), interpolated between the closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ms(seconds: float) -> str:
    return "n/a" if seconds != seconds else f"{seconds * 1000:.1f} ms"


def mb(size: float) -> str:
    return f"{size / 1_048_576:.0f} MB"


@dataclass
class Latencies:
    """Timings of one sequential run of requests."""

    seconds: list[float] = field(default_factory=list)
    errors: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.seconds, 50)

    @property
    def p95(self) -> float:
        return percentile(self.seconds, 95)

    def to_json(self) -> dict[str, Any]:
        return {
            "n": len(self.seconds),
            "errors": self.errors,
            "p50_ms": self.p50 * 1000,
            "p95_ms": self.p95 * 1000,
            "max_ms": max(self.seconds, default=0) * 1000,
            "notes": self.notes,
        }


@dataclass
class Load:
    """What concurrent clients completed in a bounded time."""

    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "seconds": self.seconds,
            "rate": self.rate,
            "p50_ms": percentile(self.latencies, 50) * 1000,
            "p95_ms": percentile(self.latencies, 95) * 1000,
        }


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    """A TCP port of 127.0.0.1 free at the time of the call."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def _child_env() -> dict[str, str]:
    """The environment of a child: no DOCREPO_* setting of the caller, unbuffered output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCREPO_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Processes:
    """Every process the harness starts, so that all are ended whatever happens."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self, args: list[str], log_file: Path, cwd: Path) -> subprocess.Popen[bytes]:
        """A process left running (a server), its output in `log_file`."""
        with open(log_file, "wb") as out:
            proc = subprocess.Popen(
                args, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=_child_env()
            )
        self.running.append(proc)
        return proc

    def run(self, args: list[str], log_file: Path, cwd: Path, timeout: float) -> str:
        """A process run to its end within `timeout` s: its standard output (its standard
        error goes to `log_file`); an exit status other than 0 is an error."""
        with open(log_file, "wb") as err:
            proc = subprocess.Popen(
                args, stdout=subprocess.PIPE, stderr=err, cwd=cwd, env=_child_env()
            )
        self.running.append(proc)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"{' '.join(args[:3])} did not end in {timeout:.0f} s") from None
        finally:
            self.stop(proc)
        if proc.returncode != 0:
            tail = log_file.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(args[:3])} exited with {proc.returncode}:\n{tail}")
        return out.decode("utf-8")

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)
        if proc in self.running:
            self.running.remove(proc)

    def stop_all(self) -> None:
        for proc in list(self.running):
            self.stop(proc)


def memory(pid: int) -> dict[str, int]:
    """A process's memory, in bytes (`/proc/PID/smaps_rollup`): resident (`rss`), its
    proportional share (`pss`), what it shares with other processes (`shared`: the page
    cache's pages of files mapped by several), what it alone holds (`uss`), and of its
    resident pages those that are no file's (`anonymous`: the heap; the others are the
    page cache's, mapped index files among them, given back under memory pressure)."""
    values: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, _, rest = line.partition(":")
            values[name] = int(rest.split()[0]) * 1024
    shared = values.get("Shared_Clean", 0) + values.get("Shared_Dirty", 0)
    unique = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return {
        "rss": values.get("Rss", 0),
        "pss": values.get("Pss", 0),
        "shared": shared,
        "uss": unique,
        "anonymous": values.get("Anonymous", 0),
    }


def worker_processes(pid: int) -> list[int]:
    """The worker processes a server started (multiprocessing's spawned children of
    `pid`, not its resource tracker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
            if parent == pid and b"spawn_main" in command:
                found.append(int(stat.parent.name))
    return sorted(found)


def code_fingerprint() -> str:
    """The state of docrepo's code: a run whose code changes midway measures two versions."""
    import hashlib

    import docrepo

    digest = hashlib.sha256()
    for path in sorted(Path(docrepo.__file__).parent.rglob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def git_commit() -> str:
    try:
        found = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True, text=True, timeout=10, check=False,
        )  # fmt: skip
    except OSError:
        return "unknown"
    return found.stdout.strip() or "unknown"


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- HTTP


class Client:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1 (reopened after an error)."""

    def __init__(self, port: int, timeout: float = 60.0) -> None:
        self.port = port
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, bytes]:
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
                self.conn.request("GET", path, headers={"Accept": "application/json"})
                response = self.conn.getresponse()
                body = response.read()
                if response.will_close:
                    self.close()
                return response.status, body
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def wait_for(port: int, path: str, deadline: float, alive: Callable[[], bool]) -> float | None:
    """Poll until `path` answers 200; the time it did, or None (deadline, or process died)."""
    while time.monotonic() < deadline:
        if not alive():
            return None
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return time.perf_counter()
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.02)
    return None


def sequential(
    port: int,
    paths: Sequence[str],
    budget: float,
    check: Callable[[bytes], str | None] | None = None,
) -> Latencies:
    """Each path once, one after the other on one connection, within `budget` seconds."""
    client = Client(port)
    result = Latencies()
    deadline = time.monotonic() + budget
    try:
        for path in paths:
            if time.monotonic() > deadline:
                result.notes.append(f"time budget of {budget:.0f} s reached")
                break
            started = time.perf_counter()
            try:
                status, body = client.get(path)
            except (OSError, http.client.HTTPException) as exc:
                result.errors += 1
                result.notes.append(f"{path}: {exc}")
                continue
            elapsed = time.perf_counter() - started
            if status != 200:
                result.errors += 1
                if len(result.notes) < 5:
                    result.notes.append(f"{path}: HTTP {status} {body[:200]!r}")
                continue
            result.seconds.append(elapsed)
            problem = check(body) if check else None
            if problem and problem not in result.notes:
                result.notes.append(problem)
    finally:
        client.close()
    return result


def concurrent_load(port: int, paths: Sequence[str], clients: int, seconds: float) -> Load:
    """`clients` threads, each with its own connection, for `seconds`."""
    stop_at = time.monotonic() + seconds
    done = [0] * clients
    errors = [0] * clients
    latencies: list[list[float]] = [[] for _ in range(clients)]

    def worker(n: int) -> None:
        client = Client(port, timeout=30)
        i = n
        try:
            while time.monotonic() < stop_at:
                path = paths[i % len(paths)]
                i += clients
                started = time.perf_counter()
                try:
                    status, _ = client.get(path)
                except (OSError, http.client.HTTPException):
                    errors[n] += 1
                    continue
                if status == 200:
                    done[n] += 1
                    latencies[n].append(time.perf_counter() - started)
                else:
                    errors[n] += 1
        finally:
            client.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 90)
    elapsed = time.perf_counter() - started
    return Load(sum(done), sum(errors), elapsed, [x for lat in latencies for x in lat])
