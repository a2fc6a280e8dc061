"""The benchmark harness of docrepo: one command, one table.

    python -m benchmarks.run --docs 10000          # or --docs 100000, or --quick

Generates (or reuses) a synthetic corpus under ``--work`` (default
``benchmarks/corpora/``), then measures, in this order:

1. the full index build (``update_index`` with ``rebuild=True``), in documents/s;
2. bare Whoosh ``add_document`` on the same texts (simple schema, one writer, one
   commit): the engine's own limit;
3. the cold start of ``docrepo serve --no-watch`` on the up-to-date index (process
   start to the first 200 of ``/healthz``);
4. ``/api/search`` latency over HTTP (one keep-alive client, sequential) for three
   query sets: words without filters, words with filters, empty query with filters;
5. throughput with 16 concurrent clients for a bounded time, with the errors;
6. the server's RSS after that load, and the index size on disk;
7. save-to-searchable: a `Watcher` thread on the corpus, files created and edited one
   at a time, a `Library` polled until the new word is found;
8. Datasette serving the same corpus from SQLite FTS5 with the same facets, timed
   with the same client on the equivalent queries (when Datasette is installed).

Everything listens on 127.0.0.1, every loop has a deadline, every process started is
terminated at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from corpus import vocabulary as V
from corpus.generate import GENERATOR_VERSION, MARKER, generate

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORK = ROOT / "benchmarks" / "corpora"
FACETS = ("type", "institute", "region", "issuer", "theme", "status", "lang", "year")


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


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Processes:
    """Every process the harness starts, so that all are ended whatever happens."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self, args: list[str], log_file: Path, cwd: Path) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOCREPO_")}
        env["PYTHONUNBUFFERED"] = "1"
        with open(log_file, "wb") as out:
            proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        self.running.append(proc)
        return proc

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


def rss(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process, in bytes."""
    values = {"VmRSS": 0, "VmHWM": 0}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in values:
                values[name] = int(rest.split()[0]) * 1024
    return values["VmRSS"], values["VmHWM"]


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
                    self.conn = http.client.HTTPConnection(
                        "127.0.0.1", self.port, timeout=self.timeout
                    )
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
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
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


@dataclass
class Load:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


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


# --------------------------------------------------------------------------- queries


#: what staff type: words, phrases, accents or not, English, names, places, codes
TEXT_QUERIES = [
    "télétravail",
    "teletravail",
    "délégation de signature",
    '"délégation de signature"',
    "frais de déplacement",
    "ordre de mission",
    "marché public",
    "procédure adaptée",
    "protection des données",
    "astreinte",
    "compte épargne-temps",
    "congés",
    "convention de subvention",
    "déclaration d'invention",
    "brevet",
    "laboratoire commun",
    "radioprotection",
    "document unique",
    "sécurité",
    "securite",
    "ressources humaines",
    "ANR",
    "ERC OR ANR",
    "mission -étranger",
    "Grenoble",
    "Villeurbanne",
    "nuitée",
    "plafond hébergement",
    "science ouverte",
    "HAL",
    "empreinte carbone",
    "indemnité kilométrique",
    "délégué régional",
    "directeur d'unité",
    "contrat de collaboration",
    "télétravail -visioconférence",
    "réversibilité",
    "prématuration",
    "dématérialisation",
    "telework",
    "travel expenses",
    "data breach",
    "grant agreement",
    "open access",
    "fixed-term contract",
    "carbon footprint",
    "patent",
    "on-call",
    "annual leave",
    "purchasing card",
    "regional delegate",
    "European Research Council",
    "Lachaume",
    "Vernay Sophie",
    "Sorbonne Université",
    "teletravial",
    "rembourssement",
    "DEC24*",
    "CIR23*",
]
EMPTY = ""


@dataclass
class Query:
    """One search, as docrepo's and Datasette's query strings."""

    q: str
    filters: list[tuple[str, str]]

    def docrepo(self) -> str:
        return "/api/search?" + urlencode(
            [("q", self.q), *self.filters] if self.q else self.filters
        )

    def datasette(self, table_path: str) -> str:
        words = []
        for token in re.findall(r'"[^"]*"|\S+', self.q):
            if token == "OR" or token.startswith("-"):
                continue
            words.append(token.strip('"').rstrip("*"))
        params: list[tuple[str, str]] = []
        if words:
            params.append(("_search", " ".join(words)))
        array = {"institute": "institutes", "region": "regions", "theme": "themes"}
        for name, value in self.filters:
            if name in array:
                params.append((f"{array[name]}__arraycontains", value))
            else:
                params.append((name, value))
        params += [("_facet", f) for f in ("type", "issuer", "status", "lang", "year")]
        params += [("_facet_array", f) for f in ("institutes", "regions", "themes")]
        params += [
            ("_col", c)
            for c in (
                "title",
                "type",
                "reference",
                "date",
                "status",
                "lang",
                "institutes",
                "regions",
            )
        ]
        params += [("_size", "20")]
        if not words:
            params.append(("_sort_desc", "date"))
        return f"{table_path}?{urlencode(params)}"


def _filters(rng: random.Random, taxonomy: dict[str, Any], count: int) -> list[tuple[str, str]]:
    choices: dict[str, Callable[[], str]] = {
        "type": lambda: rng.choice(
            ["decision", "circular", "note", "instruction", "guide", "unit"]
        ),
        "institute": lambda: rng.choice(list(taxonomy["institutes"])),
        "region": lambda: rng.choice(list(taxonomy["regions"])),
        "issuer": lambda: rng.choice(list(taxonomy["issuers"])),
        "theme": lambda: rng.choice(list(taxonomy["themes"])),
        "status": lambda: "in-force",
        "lang": lambda: rng.choice(["fr", "en"]),
        "year": lambda: str(rng.randint(2012, 2026)),
    }
    names = rng.sample(list(choices), count)
    return [(name, choices[name]()) for name in sorted(names, key=FACETS.index)]


def query_sets(
    references: list[str], taxonomy: dict[str, Any], n: int, seed: int
) -> dict[str, list[Query]]:
    """The three sets of `n` searches, the same for docrepo and Datasette."""
    rng = random.Random(seed)
    texts = TEXT_QUERIES + references[:12] + [rng.choice(V.CITIES) for _ in range(6)]
    texts += [rng.choice(V.LAST_NAMES) for _ in range(6)]
    plain = [Query(rng.choice(texts), []) for _ in range(n)]
    filtered = [
        Query(rng.choice(texts), _filters(rng, taxonomy, rng.randint(1, 3))) for _ in range(n)
    ]
    empty = [Query(EMPTY, _filters(rng, taxonomy, rng.randint(1, 3))) for _ in range(n)]
    return {"no filters": plain, "with filters": filtered, "empty query + filters": empty}


def check_docrepo(body: bytes) -> str | None:
    data = json.loads(body)
    missing = [f for f in FACETS if f not in data.get("facets", {})]
    return f"facets missing: {missing}" if missing else None


def check_datasette(body: bytes) -> str | None:
    data = json.loads(body)
    if data.get("facets_timed_out"):
        return f"facets timed out: {data['facets_timed_out']}"
    return None


# --------------------------------------------------------------------------- corpus


def corpus_dir(work: Path, docs: int, seed: int) -> Path:
    return work / f"corpus-{docs}-seed{seed}" / "content"


def ensure_corpus(work: Path, docs: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """The generated corpus (reused when complete and of this generator version)."""
    content = corpus_dir(work, docs, seed)
    marker = content / MARKER
    if marker.exists():
        info: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
        if info.get("generator_version") == GENERATOR_VERSION and not info.get("dirty"):
            log(f"reusing the corpus in {content} ({info['docs']:,} documents)")
            return content, info
    log(f"generating {docs:,} documents in {content}")
    corpus = generate(content, docs, seed)
    log(f"generated in {corpus.seconds:.1f} s ({corpus.words:,} words)")
    return content, corpus.to_json()


def set_dirty(content: Path, dirty: bool) -> None:
    """Mark the corpus as being modified (a crash then makes the next run regenerate it)."""
    marker = content / MARKER
    info = json.loads(marker.read_text(encoding="utf-8"))
    info["dirty"] = dirty
    marker.write_text(json.dumps(info, indent=1), encoding="utf-8")


def split_document(text: str) -> tuple[str, str]:
    """(front matter, body) of a generated file."""
    _, front, body = text.split("---\n", 2)
    return front, body


# --------------------------------------------------------------------------- measures


def measure_build(content: Path, index: Path) -> dict[str, Any]:
    from docrepo.indexing.pipeline import update_index
    from docrepo.store.writing import IndexStore

    if index.exists():
        shutil.rmtree(index)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    summary = update_index(content, IndexStore(index), rebuild=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    indexed = summary.added
    errors = [p for p in summary.problems if p.level == "error"]
    return {
        "documents": indexed,
        "seconds": summary.seconds,
        "rate": indexed / summary.seconds,
        "problems": len(summary.problems),
        "errors": [str(p) for p in errors[:5]],
        "peak_rss": peak,
        "rss_before": before,
    }


def measure_bare_whoosh(content: Path, work: Path) -> dict[str, Any]:
    """Whoosh alone on the same texts: a simple schema, one writer, one commit."""
    from whoosh import index as whoosh_index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, KEYWORD, TEXT, Schema

    from docrepo.content.tree import scan

    texts: list[dict[str, str]] = []
    title_line = re.compile(r"^title: (.*)$", re.MULTILINE)
    for relative, _ in sorted(scan(content)):
        front, body = split_document((content / relative).read_text(encoding="utf-8"))
        found = title_line.search(front)
        title = json.loads(found.group(1)) if found else ""
        texts.append({"id": relative, "title": title, "body": body})
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True, analyzer=StemmingAnalyzer()),
        body=TEXT(analyzer=StemmingAnalyzer()),
        tags=KEYWORD(commas=True),
    )
    folder = work / "bare-whoosh"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    try:
        ix = whoosh_index.create_in(str(folder), schema)
        started = time.perf_counter()
        writer = ix.writer()
        for doc in texts:
            writer.add_document(**doc)
        writer.commit()
        seconds = time.perf_counter() - started
        ix.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"documents": len(texts), "seconds": seconds, "rate": len(texts) / seconds}


def docrepo_command() -> list[str]:
    script = Path(sys.executable).parent / "docrepo"
    return [str(script)] if script.exists() else [sys.executable, "-m", "docrepo"]


def measure_server(
    procs: Processes,
    content: Path,
    index: Path,
    work: Path,
    sets: dict[str, list[Query]],
    expected: int,
    clients: int,
    duration: float,
    budget: float,
) -> dict[str, Any]:
    """Cold start, sequential latencies, throughput and RSS of one `docrepo serve`."""
    port = free_port()
    args = [
        *docrepo_command(),
        "serve",
        "--no-watch",
        "--port",
        str(port),
        "--content",
        str(content),
        "--index",
        str(index),
    ]
    started = time.perf_counter()
    proc = procs.start(args, work / "docrepo-serve.log", cwd=work)
    out: dict[str, Any] = {}
    try:
        ready = wait_for(port, "/healthz", time.monotonic() + 600, lambda: proc.poll() is None)
        if ready is None:
            tail = (work / "docrepo-serve.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"docrepo serve did not answer /healthz:\n{tail}")
        out["cold_start"] = ready - started
        log(f"cold start {out['cold_start']:.2f} s")
        client = Client(port)
        status, body = client.get("/healthz")
        health = json.loads(body)
        out["health"] = health
        if health.get("documents") != expected:
            log(f"warning: /healthz says {health.get('documents')} documents, expected {expected}")
        for query in [q for s in sets.values() for q in s[:5]]:  # warm-up
            client.get(query.docrepo())
        client.close()
        out["sets"] = {}
        for name, queries in sets.items():
            lat = sequential(port, [q.docrepo() for q in queries], budget, check_docrepo)
            out["sets"][name] = lat
            log(f"docrepo {name}: p50 {ms(lat.p50)}, p95 {ms(lat.p95)} ({len(lat.seconds)} req.)")
        mixed = [q.docrepo() for s in sets.values() for q in s]
        random.Random(7).shuffle(mixed)
        log(f"throughput: {clients} clients for {duration:.0f} s")
        load = concurrent_load(port, mixed, clients, duration)
        out["load"] = load
        log(f"{load.rate:.1f} searches/s, {load.errors} errors")
        out["rss"], out["hwm"] = rss(proc.pid)
        if proc.poll() is not None:
            raise RuntimeError("docrepo serve exited during the load")
    finally:
        procs.stop(proc)
    return out


def measure_saves(content: Path, index: Path, count: int, timeout: float) -> dict[str, Any]:
    """A Watcher thread on the corpus; files written one at a time; a Library polled."""
    from docrepo.access import EVERYONE
    from docrepo.indexing.watcher import Watcher
    from docrepo.search.library import Library
    from docrepo.search.request import SearchRequest

    library = Library(index)
    library.reader()
    saves = content / "bench-saves"
    originals: dict[Path, bytes] = {}
    rng = random.Random(11)
    candidates = []
    for path in (
        sorted(content.glob("decisions/*/*.md"))[::97] + sorted(content.glob("units/*.md"))[::31]
    ):
        text = path.read_text(encoding="utf-8")
        if "status: draft" not in split_document(text)[0]:
            candidates.append(path)
    rng.shuffle(candidates)
    first_update = threading.Event()
    updates: list[float] = []

    def on_update(summary: Any) -> None:
        updates.append(summary.seconds)
        first_update.set()

    def word(n: int) -> str:
        letters = "bcdfghjklmnpqrstvwxz"
        return "zorglub" + "".join(rng.choice(letters) for _ in range(6)) + letters[n % 20]

    polls: list[float] = []

    def found(unique: str) -> bool:
        begin = time.perf_counter()
        total = library.search(SearchRequest(q=unique), EVERYONE).total
        polls.append(time.perf_counter() - begin)
        return total > 0

    def new_file(n: int, unique: str) -> Path:
        path = saves / f"note-{n:03d}.md"
        path.write_text(
            f"---\ntitle: Note de mesure {n}\ntype: note\ndate: 2025-03-0{1 + n % 9}\n---\n\n"
            f"Texte de mesure : le mot {unique} est nouveau.\n",
            encoding="utf-8",
        )
        return path

    def wait_found(unique: str, deadline: float, retouch: Callable[[], None] | None) -> bool:
        last_touch = time.monotonic()
        while time.monotonic() < deadline:
            if found(unique):
                return True
            if retouch and time.monotonic() - last_touch > 30:
                retouch()
                last_touch = time.monotonic()
            time.sleep(0.005)
        return False

    def wait_idle(deadline: float) -> None:
        """Until no update has ended for a while (events still queued are processed)."""
        while time.monotonic() < deadline:
            seen = len(updates)
            time.sleep(max(1.0, 1.5 * (updates[-1] if updates else 0.0)))
            if len(updates) == seen:
                return

    set_dirty(content, True)
    saves.mkdir(exist_ok=True)
    watcher = Watcher(content, index, on_update=on_update)
    out: dict[str, Any] = {"latencies": [], "timeouts": 0}
    try:
        started = time.perf_counter()
        watcher.start()
        if not first_update.wait(timeout=600):
            raise RuntimeError("the watcher's first update did not finish in 600 s")
        out["catch_up"] = time.perf_counter() - started
        log(f"watcher caught up in {out['catch_up']:.2f} s; probing until it follows events")
        probe = word(99)
        new_file(999, probe)
        probe_started = time.perf_counter()
        if not wait_found(probe, time.monotonic() + 300, lambda: new_file(999, probe)):
            raise RuntimeError("the watcher never indexed the probe file")
        out["probe"] = time.perf_counter() - probe_started
        wait_idle(time.monotonic() + 300)
        for n in range(count):
            before = len(updates)
            unique = word(n)
            if n % 2 == 0 or not candidates:
                begin = time.perf_counter()
                new_file(n, unique)
            else:
                path = candidates.pop()
                originals[path] = path.read_bytes()
                begin = time.perf_counter()
                with open(path, "a", encoding="utf-8") as handle:
                    handle.write(f"\nMise à jour : {unique}.\n")
            if wait_found(unique, time.monotonic() + timeout, None):
                out["latencies"].append(time.perf_counter() - begin)
            else:
                out["timeouts"] += 1
                out["latencies"].append(timeout)
            # one at a time: the next save waits for the end of this one's update
            # (the index is searchable at the commit; the manifest is written after)
            deadline = time.monotonic() + 120
            while len(updates) <= before and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.3)
        out["update_seconds"] = updates[1:]
        out["poll_p50"], out["poll_max"] = percentile(polls, 50), max(polls, default=0.0)
    finally:
        watcher.stop()
        for path, data in originals.items():
            path.write_bytes(data)
        shutil.rmtree(saves, ignore_errors=True)
        set_dirty(content, False)
        library.close()
    return out


def build_sqlite(content: Path, db_path: Path) -> dict[str, Any]:
    """The corpus as a SQLite table with FTS5 on title and body (public, indexed texts)."""
    import sqlite_utils
    import yaml

    from docrepo.content.tree import scan

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    superseded: set[str] = set()
    for relative, _ in sorted(scan(content)):
        front, body = split_document((content / relative).read_text(encoding="utf-8"))
        meta = yaml.load(front, Loader=loader)
        if meta.get("status") == "draft":
            continue
        superseded.update(meta.get("supersedes") or [])
        if meta.get("access", "public") != "public":
            continue
        date = meta.get("date")
        rows.append(
            {
                "id": relative[:-3],
                "title": meta["title"],
                "body": body,
                "type": meta["type"],
                "reference": meta.get("reference"),
                "date": date.isoformat() if date else None,
                "year": str(date.year) if date else None,
                "issuer": meta.get("issuer"),
                "status": meta.get("status", "in-force"),
                "lang": meta.get("lang", "fr"),
                "institutes": json.dumps(meta.get("institutes") or []),
                "regions": json.dumps(meta.get("regions") or []),
                "themes": json.dumps(meta.get("themes") or []),
            }
        )
    for row in rows:
        if row["reference"] in superseded:
            row["status"] = "repealed"
    if db_path.exists():
        db_path.unlink()
    db = sqlite_utils.Database(db_path)
    db["documents"].insert_all(rows, pk="id", batch_size=2000)
    for column in ("type", "issuer", "status", "lang", "year", "date"):
        db["documents"].create_index([column])
    db["documents"].enable_fts(
        ["title", "body"], fts_version="FTS5", tokenize="unicode61 remove_diacritics 2"
    )
    db.vacuum()
    db.close()
    return {
        "rows": len(rows),
        "seconds": time.perf_counter() - started,
        "size": db_path.stat().st_size,
    }


def measure_datasette(
    procs: Processes, db_path: Path, work: Path, sets: dict[str, list[Query]], budget: float
) -> dict[str, Any]:
    script = Path(sys.executable).parent / "datasette"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "datasette"]
    port = free_port()
    args = [
        *command,
        "serve",
        "-i",
        str(db_path),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "60000",
        "--setting",
        "facet_time_limit_ms",
        "60000",
        "--setting",
        "suggest_facets",
        "off",
    ]
    proc = procs.start(args, work / "datasette.log", cwd=work)
    out: dict[str, Any] = {}
    table = f"/{db_path.stem}/documents.json"
    try:
        started = time.perf_counter()
        ready = wait_for(
            port, "/-/versions.json", time.monotonic() + 120, lambda: proc.poll() is None
        )
        if ready is None:
            tail = (work / "datasette.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"datasette did not start:\n{tail}")
        out["start"] = ready - started
        client = Client(port)
        for query in [q for s in sets.values() for q in s[:5]]:
            client.get(query.datasette(table))
        client.close()
        out["sets"] = {}
        for name, queries in sets.items():
            lat = sequential(port, [q.datasette(table) for q in queries], budget, check_datasette)
            out["sets"][name] = lat
            log(f"datasette {name}: p50 {ms(lat.p50)}, p95 {ms(lat.p95)} ({len(lat.seconds)} req.)")
    finally:
        procs.stop(proc)
    return out


# --------------------------------------------------------------------------- the table


@dataclass
class Row:
    measure: str
    value: str
    target: str = "—"
    met: bool | None = None


def met_text(met: bool | None) -> str:
    return {True: "met", False: "NOT met", None: "—"}[met]


def print_table(title: str, rows: list[Row]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # plain text
        print(title)
        for r in rows:
            print(f"  {r.measure:<48} {r.value:<34} {r.target:<30} {met_text(r.met)}")
        return
    table = Table(title=title, show_lines=False)
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("target")
    table.add_column("met")
    for r in rows:
        style = {True: "green", False: "bold red", None: "dim"}[r.met]
        table.add_row(r.measure, r.value, r.target, f"[{style}]{met_text(r.met)}[/{style}]")
    Console(width=160).print(table)


def ratio_text(ratio: float) -> str:
    if ratio != ratio or ratio <= 0:
        return "n/a"
    if ratio <= 1:
        return f"{ratio:.3f} ({1 / ratio:.1f}× lower)"
    return f"{ratio:.2f} ({ratio:.1f}× higher)"


def build_rows(results: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    corpus = results["corpus"]
    rows.append(
        Row(
            "corpus",
            f"{corpus['docs']:,} docs, {corpus['english']:,} en, "
            f"{corpus['words'] / max(corpus['docs'], 1):.0f} words/doc",
        )
    )
    loads = [round(value, 1) for _, value in results.get("loadavg", [])]
    rows.append(
        Row(
            "machine: CPUs, 1-min load average at each phase",
            f"{os.cpu_count()} CPUs, load {' / '.join(map(str, loads))}",
            "— (other processes skew the numbers)",
        )
    )
    build, bare = results.get("build"), results.get("bare_whoosh")
    if build:
        target_ok = build["rate"] >= 600 and (bare is None or build["rate"] >= bare["rate"])
        rows.append(
            Row(
                "full index build (update_index rebuild)",
                f"{build['rate']:.0f} docs/s ({build['seconds']:.1f} s)",
                "≥ 600 docs/s and ≥ bare Whoosh",
                target_ok,
            )
        )
        rows.append(Row("  peak RSS of the harness after the build", mb(build["peak_rss"])))
    if bare:
        rows.append(
            Row(
                "bare Whoosh add_document, same texts",
                f"{bare['rate']:.0f} docs/s ({bare['seconds']:.1f} s)",
            )
        )
    elif "bare_whoosh_error" in results:
        rows.append(
            Row("bare Whoosh add_document, same texts", "n/a", results["bare_whoosh_error"])
        )
    saves = results.get("saves")
    if saves:
        lat = saves["latencies"]
        p95 = percentile(lat, 95)
        rows.append(
            Row(
                f"save-to-searchable p50 / p95 (N={len(lat)})",
                f"{ms(percentile(lat, 50))} / {ms(p95)}",
                "p95 ≤ 1 s",
                p95 <= 1.0 and not saves["timeouts"],
            )
        )
        if saves["timeouts"]:
            rows.append(Row("  saves never found", str(saves["timeouts"]), "0", False))
        rows.append(Row("  watcher start: first full update", f"{saves['catch_up']:.2f} s"))
        updates, nan = saves.get("update_seconds") or [], float("nan")
        rows.append(
            Row(
                "  one incremental update_index (p50 / max)",
                f"{ms(percentile(updates, 50))} / {ms(max(updates, default=float('nan')))}",
            )
        )
        rows.append(
            Row(
                "  one Library.search poll (p50 / max)",
                f"{ms(saves.get('poll_p50', nan))} / {ms(saves.get('poll_max', nan))}",
            )
        )
    elif "saves_error" in results:
        rows.append(Row("save-to-searchable", "failed", results["saves_error"], False))
    server = results.get("server")
    if server:
        rows.append(
            Row(
                "cold start (serve --no-watch → /healthz 200)",
                f"{server['cold_start']:.2f} s",
                "≤ 5 s",
                server["cold_start"] <= 5,
            )
        )
        for name, lat in server["sets"].items():
            ok = lat.p50 <= 0.015 and lat.p95 <= 0.050 and not lat.errors
            errors = f", {lat.errors} errors" if lat.errors else ""
            rows.append(
                Row(
                    f"/api/search p50 / p95, {name}",
                    f"{ms(lat.p50)} / {ms(lat.p95)}{errors}",
                    "p50 ≤ 15 ms, p95 ≤ 50 ms",
                    ok,
                )
            )
        load: Load = server["load"]
        rows.append(
            Row(
                f"throughput, 16 clients, {load.seconds:.0f} s",
                f"{load.rate:.1f} searches/s, {load.errors} errors",
                "≥ 100/s, no error",
                load.rate >= 100 and not load.errors,
            )
        )
        rows.append(
            Row(
                "  latency under load p50 / p95",
                f"{ms(percentile(load.latencies, 50))} / {ms(percentile(load.latencies, 95))}",
            )
        )
        rows.append(
            Row(
                "server RSS after the load (VmRSS)",
                f"{mb(server['rss'])} (peak {mb(server['hwm'])})",
                "≤ 300 MB",
                server["rss"] <= 300 * 1_048_576,
            )
        )
    elif "server_error" in results:
        rows.append(Row("docrepo serve", "failed", results["server_error"], False))
    if "index_size" in results:
        size = results["index_size"]
        rows.append(
            Row("index size on disk", f"{mb(size['generation'])} (manifest {mb(size['manifest'])})")
        )
    datasette = results.get("datasette")
    if datasette and server:
        for name, lat in datasette["sets"].items():
            mine: Latencies = server["sets"][name]
            ratio = mine.p50 / lat.p50 if lat.p50 else float("nan")
            errors = f", {lat.errors} errors" if lat.errors else ""
            rows.append(
                Row(f"Datasette p50 / p95, {name}", f"{ms(lat.p50)} / {ms(lat.p95)}{errors}")
            )
            rows.append(
                Row(
                    f"  docrepo / Datasette p50, {name}",
                    ratio_text(ratio),
                    "≤ 0.05 (≥ 20× lower)",
                    ratio <= 0.05,
                )
            )
    elif "datasette_error" in results:
        rows.append(Row("Datasette (SQLite FTS5, same facets)", "n/a", results["datasette_error"]))
    return rows


def plain(obj: Any) -> Any:
    if isinstance(obj, Latencies):
        return obj.to_json()
    if isinstance(obj, Load):
        return {
            "requests": obj.requests,
            "errors": obj.errors,
            "seconds": obj.seconds,
            "rate": obj.rate,
            "p50_ms": percentile(obj.latencies, 50) * 1000,
            "p95_ms": percentile(obj.latencies, 95) * 1000,
        }
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


@contextlib.contextmanager
def phase(results: dict[str, Any], key: str) -> Iterator[None]:
    """Run a measure; on failure, note why in the results and go on with the next."""
    results.setdefault("loadavg", []).append((key, os.getloadavg()[0]))
    if code_fingerprint() != results.get("code"):
        warning = f"docrepo's code changed before the {key} measure: a mix of two versions"
        results.setdefault("warnings", []).append(warning)
        log(f"warning: {warning}")
        results["code"] = code_fingerprint()
    try:
        yield
    except Exception as exc:  # a failed measure is reported in the table, not a traceback
        results[f"{key}_error"] = f"{type(exc).__name__}: {exc}"[:300]
        log(f"{key} failed: {results[f'{key}_error']}")


def _stop_on_signal(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    # SIGTERM (and SIGINT, even in a background job) end the run through the `finally`
    # clauses, which stop the servers and restore the corpus
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(description="docrepo benchmarks: prints one table")
    parser.add_argument("--docs", type=int, help="corpus size (default 10000; 2000 with --quick)")
    parser.add_argument("--quick", action="store_true", help="a smaller, shorter smoke run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="work directory")
    parser.add_argument("--queries", type=int, help="requests per query set (default 200)")
    parser.add_argument("--duration", type=float, help="seconds of concurrent load (default 20)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--saves", type=int, help="files saved one at a time (default 30)")
    parser.add_argument("--no-datasette", action="store_true", help="skip the Datasette comparison")
    parser.add_argument("--no-bare-whoosh", action="store_true", help="skip bare Whoosh")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    docs = args.docs or (2000 if args.quick else 10_000)
    n_queries = args.queries or (40 if args.quick else 200)
    duration = args.duration or (5.0 if args.quick else 20.0)
    n_saves = args.saves or (10 if args.quick else 30)
    budget = 60.0 if args.quick else 300.0

    import yaml

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    content, corpus = ensure_corpus(work, docs, args.seed)
    run_dir = content.parent
    index = run_dir / "index"
    taxonomy = yaml.safe_load((content / "taxonomy.yml").read_text(encoding="utf-8"))
    sets = query_sets(corpus["sample_references"], taxonomy, n_queries, args.seed)
    indexed = corpus["docs"] - corpus["drafts"]
    results: dict[str, Any] = {
        "corpus": corpus,
        "args": {
            "docs": docs,
            "queries": n_queries,
            "duration": duration,
            "saves": n_saves,
            "clients": args.clients,
        },
    }
    results["code"], results["commit"] = code_fingerprint(), git_commit()
    procs = Processes()
    try:
        with phase(results, "build"):
            log("full index build (update_index, rebuild)")
            results["build"] = measure_build(content, index)
            log(
                f"built {results['build']['documents']:,} documents in "
                f"{results['build']['seconds']:.1f} s ({results['build']['rate']:.0f} docs/s)"
            )
        if not args.no_bare_whoosh:
            with phase(results, "bare_whoosh"):
                log("bare Whoosh add_document on the same texts")
                results["bare_whoosh"] = measure_bare_whoosh(content, run_dir)
                log(f"bare Whoosh: {results['bare_whoosh']['rate']:.0f} docs/s")
        with phase(results, "server"):
            results["server"] = measure_server(
                procs, content, index, run_dir, sets, indexed, args.clients, duration, budget
            )
        with phase(results, "index_size"):
            generation = index / (index / "CURRENT").read_text().strip()
            manifests = list(generation.glob("manifest.*"))
            results["index_size"] = {
                "generation": tree_size(generation),
                "manifest": sum(p.stat().st_size for p in manifests),
                "total": tree_size(index),
            }
        with phase(results, "saves"):
            log(f"save-to-searchable: {n_saves} saves, one at a time")
            results["saves"] = measure_saves(content, index, n_saves, timeout=30.0)
        if args.no_datasette:
            results["datasette_error"] = "skipped (--no-datasette)"
        else:
            try:
                import datasette  # noqa: F401
                import sqlite_utils  # noqa: F401
            except ImportError as exc:
                results["datasette_error"] = (
                    f"not installed ({exc.name}): pip install -e '.[bench]'"
                )
            else:
                with phase(results, "datasette"):
                    db_path = run_dir / "bench.db"
                    log("building the SQLite FTS5 database for Datasette")
                    results["sqlite"] = build_sqlite(content, db_path)
                    log(
                        f"SQLite: {results['sqlite']['rows']:,} rows in "
                        f"{results['sqlite']['seconds']:.1f} s"
                    )
                    results["datasette"] = measure_datasette(procs, db_path, run_dir, sets, budget)
    finally:
        procs.stop_all()
    title = (
        f"docrepo benchmarks — {corpus['docs']:,} documents (seed {args.seed}), "
        f"commit {results['commit']}"
    )
    print_table(title, build_rows(results))
    for warning in results.get("warnings", []):
        print(f"WARNING: {warning}")
    for key in ("build", "server", "saves", "datasette"):
        if f"{key}_error" in results:
            print(f"{key}: {results[key + '_error']}")
    if "server" in results:
        for name, lat in results["server"]["sets"].items():
            for note in lat.notes[:3]:
                print(f"note (docrepo, {name}): {note}")
    if "datasette" in results:
        for name, lat in results["datasette"]["sets"].items():
            for note in lat.notes[:3]:
                print(f"note (Datasette, {name}): {note}")
    if args.json:
        args.json.write_text(json.dumps(plain(results), indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
