"""The measures of the benchmarks: the corpus, the query sets, and one function a measure.

Each `measure_*` returns plain numbers (and `Latencies`/`Load` from the harness) that
`benchmarks.report` turns into the table. The build and save-to-searchable run docrepo in
this process, with docrepo's fix to Whoosh installed as its CLI installs it; bare Whoosh
runs in a fresh process of its own (`benchmarks.bare_whoosh`), without it; the server and
Datasette run as processes started through `Processes`.
"""

from __future__ import annotations

import json
import random
import re
import resource
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from corpus import vocabulary as V
from corpus.generate import GENERATOR_VERSION, MARKER, TAXONOMY_SOURCE, generate

from .bare_whoosh import split_document
from .harness import (
    ROOT,
    Client,
    Processes,
    concurrent_load,
    free_port,
    log,
    memory,
    ms,
    percentile,
    sequential,
    tree_size,
    wait_for,
    worker_processes,
)

FACETS = ("type", "institute", "region", "issuer", "theme", "status", "lang", "year")
#: the longest bare Whoosh may take (about 400 s at 100,000 documents)
BARE_WHOOSH_TIMEOUT = 3600.0


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
    #: the last word is being typed (`prefix=last`, as the widget sends it)
    prefix: bool = False

    def docrepo(self) -> str:
        params = [("q", self.q), *self.filters] if self.q else list(self.filters)
        return "/api/search?" + urlencode(params + ([("prefix", "last")] if self.prefix else []))

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
    """The sets of `n` searches, the same for docrepo and Datasette: words, words with
    filters, filters alone, questions, words with a typo, half-typed words."""
    rng = random.Random(seed)
    texts = TEXT_QUERIES + references[:12] + [rng.choice(V.CITIES) for _ in range(6)]
    texts += [rng.choice(V.LAST_NAMES) for _ in range(6)]
    plain = [Query(rng.choice(texts), []) for _ in range(n)]
    filtered = [
        Query(rng.choice(texts), _filters(rng, taxonomy, rng.randint(1, 3))) for _ in range(n)
    ]
    empty = [Query(EMPTY, _filters(rng, taxonomy, rng.randint(1, 3))) for _ in range(n)]
    words = [t for t in TEXT_QUERIES if '"' not in t]
    questions = [Query(rng.choice(QUESTIONS).format(rng.choice(words)), []) for _ in range(n)]
    typos = [Query(_typo(rng, rng.choice(words)), []) for _ in range(n)]
    typing = [Query(_half_typed(rng, rng.choice(words)), [], prefix=True) for _ in range(n)]
    return {
        "no filters": plain,
        "with filters": filtered,
        "empty query + filters": empty,
        "questions": questions,
        "typos": typos,
        "prefix=last": typing,
    }


#: questions as staff type them, around the words of TEXT_QUERIES
QUESTIONS = [
    "comment faire pour {} ?",
    "quelles sont les règles pour {}",
    "combien de temps pour {} ?",
    "qui contacter pour {}",
    "est-ce que je peux demander {} ?",
    "how do I get {}",
]


def _typo(rng: random.Random, text: str) -> str:
    """The text with two neighbouring letters swapped in one of its longer words."""
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    k = rng.randrange(1, len(w) - 2)
    words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
    return " ".join(words)


def _half_typed(rng: random.Random, text: str) -> str:
    """The text as it is while its last word is being typed (3 letters or more of it)."""
    head, _, last = text.rpartition(" ")
    cut = last[: max(3, rng.randint(len(last) // 2, max(3, len(last) - 1)))]
    return f"{head} {cut}".strip()


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
            taxonomy = content / "taxonomy.yml"
            if taxonomy.read_bytes() != TAXONOMY_SOURCE.read_bytes():
                # the sample's vocabularies were corrected since: the codes, which the
                # documents use, are the same
                log("the sample's taxonomy.yml changed: copied into the corpus again")
                shutil.copyfile(TAXONOMY_SOURCE, taxonomy)
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


# --------------------------------------------------------------------------- measures


def check_whoosh_version() -> None:
    """Whoosh as docrepo runs it: `docrepo build`, `docrepo serve` and the web application
    call `whoosh_internals.check_version()` at start, as measured in this process."""
    from docrepo.store import whoosh_internals

    whoosh_internals.check_version()


def measure_build(content: Path, index: Path) -> dict[str, Any]:
    from docrepo.indexing.pipeline import update_index
    from docrepo.store.writing import IndexStore

    check_whoosh_version()
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


def measure_bare_whoosh(procs: Processes, content: Path, work: Path) -> dict[str, Any]:
    """`python -m benchmarks.bare_whoosh` in a fresh process (no docrepo, unpatched
    Whoosh), checked to have indexed every file docrepo's scan finds."""
    from docrepo.content.tree import scan

    folder = work / "bare-whoosh"
    args = [sys.executable, "-m", "benchmarks.bare_whoosh"]
    args += ["--content", str(content), "--out", str(folder)]
    try:
        output = procs.run(args, work / "bare-whoosh.log", cwd=ROOT, timeout=BARE_WHOOSH_TIMEOUT)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    lines = output.strip().splitlines()
    if not lines:
        raise RuntimeError("benchmarks.bare_whoosh printed nothing")
    result: dict[str, Any] = json.loads(lines[-1])
    expected = len(scan(content).files)
    if result["documents"] != expected:
        raise RuntimeError(
            f"bare Whoosh indexed {result['documents']} files, docrepo's scan finds {expected}"
        )
    return result


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
    workers: int,
) -> dict[str, Any]:
    """Cold start, sequential latencies, throughput and memory of one `docrepo serve`
    with `workers` web workers (1: the server's own process answers). No query is run
    before the latencies are measured: each query's first run on the fresh server is
    among them."""
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
        "--workers",
        str(workers),
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
        readers = worker_processes(proc.pid) if workers > 1 else [proc.pid]
        out["workers"] = [memory(pid) for pid in readers]
        if proc.poll() is not None:
            raise RuntimeError("docrepo serve exited during the load")
    finally:
        procs.stop(proc)
    return out


def measure_index_size(index: Path) -> dict[str, int]:
    """Bytes of the generation being served, of its manifest, and of the whole index."""
    generation = index / (index / "CURRENT").read_text().strip()
    manifests = list(generation.glob("manifest.*"))
    return {
        "generation": tree_size(generation),
        "manifest": sum(p.stat().st_size for p in manifests),
        "total": tree_size(index),
    }


def measure_saves(content: Path, index: Path, count: int, timeout: float) -> dict[str, Any]:
    """A Watcher thread on the corpus; files written one at a time; a Library polled."""
    from docrepo.access import EVERYONE
    from docrepo.indexing.watcher import Watcher
    from docrepo.search.library import Library
    from docrepo.search.request import SearchRequest

    check_whoosh_version()
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
    for relative in sorted(scan(content).files):
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


def datasette_missing() -> str | None:
    """Why the Datasette comparison cannot run here (None: it can)."""
    try:
        import datasette  # noqa: F401
        import sqlite_utils  # noqa: F401
    except ImportError as exc:
        return f"not installed ({exc.name}): pip install -e '.[bench]'"
    return None
