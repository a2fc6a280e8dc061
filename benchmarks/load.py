"""A bounded load test of `docrepo serve`, on loopback only, that stops by itself.

    python -m benchmarks.load --seconds 60 --clients 16

copies the bundled sample corpus to a temporary directory, starts ``docrepo serve`` on it
(watching the content) on a free 127.0.0.1 port, and for the given time runs concurrent
clients (http.client, keep-alive) over a mix of the search page, the JSON search with and
without filters, document pages and Atom feeds, while another thread edits a document
every 0.5 s (valid edits, written directly or saved atomically, and one invalid save that
is fixed a second later) so that the watcher reindexes under load.

It prints, per kind of request, the count, errors and latency percentiles, the totals and
requests per second, and what the watcher did (edits, time until an edit was searchable).
It exits 1 if any request failed (a status other than 2xx/3xx, or an exception) or if the
last edit never became searchable; the server is always stopped, every loop is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from .harness import free_port, percentile

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "content"
HOST = "127.0.0.1"
#: the editor's cadence
EDIT_EVERY = 0.5
#: the edit (counted from 1) that saves an invalid file; it is fixed two ticks later
INVALID_EDIT = 5
#: how long an edit may take to become searchable before it is reported late
SEARCHABLE_WITHIN = 1.0
REQUEST_TIMEOUT = 15.0
STARTUP_TIMEOUT = 120.0
#: kinds of request, and how often each is drawn
MIX = {
    "page /": 25,
    "api search": 25,
    "api filtered": 20,
    "doc page": 20,
    "feed": 10,
}


# --- the server --------------------------------------------------------------------------------


def get(port: int, url: str, timeout: float = REQUEST_TIMEOUT) -> tuple[int, bytes]:
    """One GET on a fresh connection (for setup and checks, not for the load)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", url)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def get_json(port: int, url: str) -> Any:
    status, body = get(port, url)
    if status != 200:
        raise RuntimeError(f"GET {url} answered {status}: {body[:200]!r}")
    return json.loads(body)


class Server:
    """`docrepo serve` (watching) in a child process, stopped on exit whatever happens."""

    def __init__(self, content: Path, index: Path, workdir: Path, port: int) -> None:
        self.port = port
        self.log_path = workdir / "server.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOCREPO_")}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        command = [sys.executable, "-m", "docrepo", "serve", "--content", str(content)]
        command += ["--index", str(index), "--host", HOST, "--port", str(port)]
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command, cwd=workdir, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}")
            try:
                status, _ = get(self.port, "/healthz", timeout=2.0)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()

    def tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


# --- what the clients ask for -----------------------------------------------------------------


@dataclass
class Corpus:
    """What the clients draw their URLs from: visible ids, words of titles, facet values."""

    ids: list[str]
    words: list[str]
    facets: dict[str, list[str]]

    @classmethod
    def discover(cls, port: int) -> Corpus:
        ids: list[str] = []
        words: set[str] = set()
        facets: dict[str, list[str]] = {}
        page = 1
        while page <= 50:
            data = get_json(port, f"/api/search?per_page=100&page={page}")
            for result in data["results"]:
                ids.append(result["id"])
                words.update(w.strip(".,;:()«»\"'").lower() for w in result["title"].split())
            if page == 1:
                facets = {
                    name: [v["value"] for v in values[:8]]
                    for name, values in data["facets"].items()
                    if values
                }
            if len(ids) >= data["total"] or not data["results"]:
                break
            page += 1
        usable = sorted(w for w in words if len(w) >= 5 and w.isalpha())
        return cls(ids, usable, facets)

    def url(self, kind: str, rng: random.Random) -> str:
        def q() -> str:
            return " ".join(rng.sample(self.words, rng.choice((1, 1, 1, 2))))

        def filters(n: int) -> list[tuple[str, str]]:
            names = rng.sample(sorted(self.facets), min(n, len(self.facets)))
            return [(name, rng.choice(self.facets[name])) for name in names]

        if kind == "page /":
            params = [("q", q())] if rng.random() < 0.8 else []
            return "/?" + urlencode(params + (filters(1) if rng.random() < 0.3 else []))
        if kind == "api search":
            return "/api/search?" + urlencode({"q": q()})
        if kind == "api filtered":
            params = ([("q", q())] if rng.random() < 0.5 else []) + filters(rng.randint(1, 3))
            if rng.random() < 0.3:
                params += [("sort", rng.choice(("newest", "oldest", "title")))]
            return "/api/search?" + urlencode(params)
        if kind == "doc page":
            return "/doc/" + quote(rng.choice(self.ids))
        return "/feed.atom?" + urlencode(filters(rng.randint(0, 2)))


# --- measurements -----------------------------------------------------------------------------


@dataclass
class Tally:
    """One thread's measurements (merged at the end: no lock on the hot path)."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        self.latencies.setdefault(kind, []).append(seconds)
        if error is not None:
            self.errors[kind] = self.errors.get(kind, 0) + 1
            if len(self.samples) < 5:
                self.samples.append(error)

    def merge(self, other: Tally) -> None:
        for kind, values in other.latencies.items():
            self.latencies.setdefault(kind, []).extend(values)
        for kind, n in other.errors.items():
            self.errors[kind] = self.errors.get(kind, 0) + n
        self.samples.extend(other.samples[: max(0, 10 - len(self.samples))])


def client_loop(port: int, corpus: Corpus, stop_at: float, seed: int, tally: Tally) -> None:
    """Requests one after another on a keep-alive connection until `stop_at`."""
    rng = random.Random(seed)
    kinds, weights = list(MIX), list(MIX.values())
    conn: http.client.HTTPConnection | None = None
    while time.monotonic() < stop_at:
        kind = rng.choices(kinds, weights)[0]
        url = corpus.url(kind, rng)
        error: str | None = None
        started = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
            conn.request("GET", url, headers={"Accept-Encoding": "gzip"})
            response = conn.getresponse()
            response.read()
            if not 200 <= response.status < 400:
                error = f"{response.status} on {url}"
            if response.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc} on {url}"
            if conn is not None:
                conn.close()
            conn = None
        tally.record(kind, time.perf_counter() - started, error)
    if conn is not None:
        conn.close()


# --- the editor ---------------------------------------------------------------------------------


def marker(n: int) -> str:
    """A word made of letters only (the analyzers keep it whole): loadmark + n in letters."""
    return "loadmark" + "".join(chr(ord("a") + int(d)) for d in str(n))


@dataclass
class EditLog:
    edits: int = 0
    invalid_saves: int = 0
    atomic_saves: int = 0
    invalid_seen_in_healthz: bool = False
    searchable_after: list[float] = field(default_factory=list)
    late: int = 0
    last_marker: str = ""
    problems: list[str] = field(default_factory=list)


def _write(path: Path, text: str, atomic: bool) -> None:
    if atomic:  # as editors save: a hidden temporary file renamed over the document
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    else:
        path.write_text(text, encoding="utf-8")


def _searchable(port: int, word: str) -> bool:
    status, body = get(port, "/api/search?" + urlencode({"q": word}), timeout=5.0)
    return status == 200 and json.loads(body)["total"] > 0


def edit_loop(port: int, path: Path, stop_at: float, log: EditLog) -> None:
    """Every EDIT_EVERY seconds, save the document again; time until each edit is searchable."""
    original = path.read_text(encoding="utf-8")
    broken = original.replace("title:", "titel:", 1)
    invalid_until = 0
    n = 0
    next_tick = time.monotonic()
    try:
        while time.monotonic() < stop_at:
            n += 1
            if n == INVALID_EDIT:
                _write(path, broken, atomic=False)
                log.invalid_saves += 1
                invalid_until = n + 2
            elif n < invalid_until:
                health = get_json(port, "/healthz")
                log.invalid_seen_in_healthz |= health["invalid"] > 0
            else:
                log.last_marker = marker(n)
                atomic = n % 2 == 0
                _write(path, f"{original.rstrip()}\n\nModifié : {log.last_marker}.\n", atomic)
                log.atomic_saves += atomic
                log.edits += 1
                saved = time.monotonic()
                after = None
                while after is None and time.monotonic() < saved + 2 * SEARCHABLE_WITHIN:
                    if _searchable(port, log.last_marker):
                        after = time.monotonic() - saved
                        log.searchable_after.append(after)
                    else:
                        time.sleep(0.02)
                if after is None or after > SEARCHABLE_WITHIN:
                    log.late += 1
            next_tick += EDIT_EVERY
            time.sleep(max(0.0, min(next_tick, stop_at) - time.monotonic()))
    except (OSError, RuntimeError, ValueError, http.client.HTTPException) as exc:
        log.problems.append(f"editor: {type(exc).__name__}: {exc}")
    finally:
        if n >= INVALID_EDIT and n < invalid_until:  # never leave the file broken
            log.last_marker = marker(n + 1)
            _write(path, f"{original.rstrip()}\n\nModifié : {log.last_marker}.\n", atomic=True)
            log.edits += 1


def final_check(port: int, log: EditLog, timeout: float = 5.0) -> float | None:
    """Seconds until the last edit is searchable and nothing is invalid (None: never)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if _searchable(port, log.last_marker) and get_json(port, "/healthz")["invalid"] == 0:
                return time.monotonic() - started
        except (OSError, RuntimeError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    return None


# --- the run ------------------------------------------------------------------------------------


def run_threads(targets: list[Callable[[], None]], stop_at: float) -> list[threading.Thread]:
    threads = [threading.Thread(target=t, daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, stop_at - time.monotonic()) + REQUEST_TIMEOUT + 10)
    return [t for t in threads if t.is_alive()]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def report(tally: Tally, seconds: float, clients: int, log: EditLog, final: float | None) -> int:
    total = sum(len(v) for v in tally.latencies.values())
    errors = sum(tally.errors.values())
    header = ("kind", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms")
    print("\n" + f"{header[0]:<14}" + "".join(f"{h:>10}" for h in header[1:]))
    for kind in [*MIX, *sorted(set(tally.latencies) - set(MIX))]:
        values = sorted(tally.latencies.get(kind, []))
        cells = [str(len(values)), str(tally.errors.get(kind, 0)), f"{len(values) / seconds:.1f}"]
        cells += [_ms(percentile(values, p)) for p in (50, 95, 99)]
        cells.append(_ms(values[-1] if values else math.nan))
        print(f"{kind:<14}" + "".join(f"{c:>10}" for c in cells))
    every = sorted(v for values in tally.latencies.values() for v in values)
    print(
        f"\ntotal: {total} requests in {seconds:.1f} s by {clients} clients, {errors} errors, "
        f"{total / seconds:.1f} requests/s"
    )
    print(
        f"latency (all kinds): p50 {_ms(percentile(every, 50))} ms, "
        f"p95 {_ms(percentile(every, 95))} ms, p99 {_ms(percentile(every, 99))} ms, "
        f"max {_ms(every[-1] if every else math.nan)} ms"
    )
    for sample in tally.samples:
        print(f"  error: {sample}")
    after = sorted(log.searchable_after)
    seen = "yes" if log.invalid_seen_in_healthz else "no"
    print(
        f"watcher: {log.edits} valid edits ({log.atomic_saves} atomic saves), "
        f"{log.invalid_saves} invalid save fixed 1 s later (seen in /healthz: {seen})"
    )
    print(
        f"watcher: edit searchable after p50 {_ms(percentile(after, 50))} ms, "
        f"p95 {_ms(percentile(after, 95))} ms, max {_ms(after[-1] if after else math.nan)} ms; "
        f"{log.late} edit(s) not searchable within {SEARCHABLE_WITHIN:.0f} s"
    )
    for problem in log.problems:
        print(f"  {problem}")
    if final is None:
        print(f"watcher: the last edit ({log.last_marker}) was NOT searchable 5 s after the end")
    else:
        print(f"watcher: last edit searchable, no invalid file, {_ms(final)} ms after the end")
    return 1 if errors or final is None or log.problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to load (s)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent client threads")
    parser.add_argument("--seed", type=int, default=1, help="seed of the request mix")
    args = parser.parse_args(argv)
    if not 0 < args.seconds <= 3600 or not 0 < args.clients <= 256:
        parser.error("--seconds must be in (0, 3600] and --clients in [1, 256]")

    with tempfile.TemporaryDirectory(prefix="docrepo-load-") as tmp:
        workdir = Path(tmp)
        content, index = workdir / "content", workdir / "index"
        shutil.copytree(SAMPLE, content)
        port = free_port()
        server = Server(content, index, workdir, port)
        try:
            started = time.monotonic()
            server.wait_ready()
            corpus = Corpus.discover(port)
            edited = content / f"{corpus.ids[0]}.md"
            print(
                f"docrepo load test: {args.clients} clients for {args.seconds:.0f} s on "
                f"http://{HOST}:{port}/ ({len(corpus.ids)} documents, server ready in "
                f"{time.monotonic() - started:.1f} s); editing "
                f"{edited.relative_to(workdir)} every {EDIT_EVERY} s"
            )
            sys.stdout.flush()

            stop_at = time.monotonic() + args.seconds
            tallies = [Tally() for _ in range(args.clients)]
            log = EditLog()
            targets: list[Callable[[], None]] = [
                (lambda t=t, i=i: client_loop(port, corpus, stop_at, args.seed * 1000 + i, t))
                for i, t in enumerate(tallies)
            ]
            targets.append(lambda: edit_loop(port, edited, stop_at, log))
            load_started = time.monotonic()
            stuck = run_threads(targets, stop_at)
            elapsed = time.monotonic() - load_started
            if stuck:
                log.problems.append(f"{len(stuck)} thread(s) still running after the deadline")
            final = final_check(port, log)
            tally = Tally()
            for t in tallies:
                tally.merge(t)
            code = report(tally, elapsed, args.clients, log, final)
            if server.process.poll() is not None:
                print(f"the server died (exit {server.process.returncode})")
                code = 1
            return code
        except (RuntimeError, OSError) as exc:
            print(f"load test failed: {exc}\n{server.tail()}", file=sys.stderr)
            return 1
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
