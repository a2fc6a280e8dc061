"""Crash safety of the index (SPEC §8): kills, damage, concurrent writers, readers, disk full.

The index is a cache that can always be rebuilt from the content directory, and Whoosh
never fsyncs: what must hold is that whatever a crash leaves opens and answers, and the
next run repairs it. These tests kill real processes and damage real files.
"""

from __future__ import annotations

import gc
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from docrepo.access import EVERYONE
from docrepo.content.taxonomy import load_taxonomy
from docrepo.indexing.pipeline import UpdateSummary, update_index
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from docrepo.store.writing import IndexStore
from support.index import assert_equals_fresh_rebuild, current_name, stored_records
from support.index import damage as damage_files
from support.trees import REPO, MakeTree, decision, doc

# --------------------------------------------------------------------------- helpers

WORDS = (
    "télétravail restauration formation mission achats recrutement congés sécurité "
    "laboratoire partenariat budget archives informatique santé énergie"
).split()


def corpus(size: int, words: int = 12) -> dict[str, str]:
    """`size` documents in ten folders, with a few supersedes/amends relations."""
    rng = random.Random(size)
    files: dict[str, str] = {}
    for i in range(size):
        body = " ".join(rng.choice(WORDS) for _ in range(words)) + f" texte{i}"
        path = f"lot{i % 10}/d{i}.md"
        if i % 15 == 0:
            fields: dict[str, object] = {}
            if i >= 30:
                fields["supersedes" if i % 2 else "amends"] = [f"DEC{i - 15:06d}DAJ"]
            files[path] = decision(f"Décision {i}", f"DEC{i:06d}DAJ", body, **fields)
        else:
            files[path] = doc(f"Document {i}", body)
    return files


def edit(path: Path, rng: random.Random, tag: str) -> None:
    """Rewrite a document's body, keeping its front matter (and so its relations)."""
    text = path.read_text(encoding="utf-8")
    head, _, _ = text.rpartition("\n---\n")
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 20)))
    path.write_text(f"{head}\n---\n\n{body} {tag}\n", encoding="utf-8")


def update_with_timeout(
    content: Path, index_dir: Path, timeout: float = 20.0, rebuild: bool = False
) -> UpdateSummary:
    """update_index in a thread: a writer lock left held shows as a timeout, not a hang."""
    outcome: list[UpdateSummary | BaseException] = []

    def run() -> None:
        try:
            outcome.append(update_index(content, IndexStore(index_dir), rebuild=rebuild))
        except BaseException as exc:  # reported below
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"update_index still waiting after {timeout} s: lock left held?"
    assert len(outcome) == 1
    result = outcome[0]
    if isinstance(result, BaseException):
        raise AssertionError(
            "update_index failed: " + "".join(traceback.format_exception(result))
        ) from result
    return result


class Reader:
    """A Library on an index directory, closed at the end."""

    def __init__(self, content: Path, index_dir: Path) -> None:
        taxonomy, _ = load_taxonomy(content)
        self.library = Library(index_dir)

    def search(self, q: str = "", **filters: str) -> Any:
        params = {"q": [q], "per_page": ["100"], **{k: [v] for k, v in filters.items()}}
        return self.library.search(SearchRequest.from_params(params), EVERYONE)

    def found(self, q: str = "", **filters: str) -> set[str]:
        return {hit.record["id"] for hit in self.search(q, **filters).hits}

    def close(self) -> None:
        self.library.close()


@pytest.fixture
def readers() -> Iterator[list[Reader]]:
    """Readers to close at teardown."""
    opened: list[Reader] = []
    yield opened
    for reader in opened:
        reader.close()


def reader(readers: list[Reader], content: Path, index_dir: Path) -> Reader:
    opened = Reader(content, index_dir)
    readers.append(opened)
    return opened


CHILD = """
import sys
from pathlib import Path
from docrepo.indexing.pipeline import update_index
from docrepo.store.writing import IndexStore
content, index, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
print("ready", flush=True)
if sys.stdin.readline().strip() != "go":
    sys.exit(9)
summary = update_index(content, IndexStore(index), rebuild=mode == "rebuild")
print("done", summary.line(), flush=True)
"""


def spawn(content: Path, index_dir: Path, mode: str = "update") -> subprocess.Popen[str]:
    """A process that indexes once told "go" (it has imported everything by "ready")."""
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(content), str(index_dir), mode],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready", process.communicate(timeout=30)
    return process


def go(process: subprocess.Popen[str]) -> None:
    assert process.stdin is not None
    process.stdin.write("go\n")
    process.stdin.flush()


# --------------------------------------------------------------------------- (a) kill -9

#: an indexer that kills itself (SIGKILL) where a test says, and says first where it was:
#: it wraps the function that marks the phase (`target`, "module:attribute.path") so that
#: its `nth` call in the process named (`who`: the indexer itself, or a worker process it
#: forked) writes a line to the marker file, then kills the process calling it. Nothing
#: in docrepo knows of it. A rebuild is shared among two processes whatever the
#: machine's cores (from 100 documents instead of 1000), so that its workers and its
#: merge are there to be killed.
PHASE_CHILD = """
import importlib, json, multiprocessing, os, signal, sys
from pathlib import Path
from docrepo.errors import IndexUnavailable
from docrepo.indexing import pipeline
from docrepo.store.writing import IndexStore

content, index, mode, marker = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
phase, target, who, nth = sys.argv[5], sys.argv[6], sys.argv[7], int(sys.argv[8])
indexer = os.getpid()
pipeline.processes_for = lambda count: 2 if count >= 100 else 1

module, _, attribute = target.partition(":")
*path, name = attribute.split(".")
owner = importlib.import_module(module)
for part in path:
    owner = getattr(owner, part)
original, calls = getattr(owner, name), [0]

def die_here(*args, **kwargs):
    if (os.getpid() == indexer) == (who == "indexer"):
        calls[0] += 1
        if calls[0] == nth:
            workers = [p.pid for p in multiprocessing.active_children()]
            line = {"phase": phase, "pid": os.getpid(), "workers": workers}
            with open(marker, "a", encoding="utf-8") as out:
                out.write(json.dumps(line) + "\\n")
            os.kill(os.getpid(), signal.SIGKILL)
    return original(*args, **kwargs)

setattr(owner, name, die_here)
try:
    summary = pipeline.update_index(content, IndexStore(index), rebuild=mode == "rebuild")
except IndexUnavailable as exc:
    print(f"IndexUnavailable: {exc}", file=sys.stderr)
    sys.exit(3)
print("done", summary.line(), flush=True)
"""


@dataclass(frozen=True)
class Kill:
    """Where an indexing run is killed, and what must hold after."""

    mode: str  # "update" (incremental) or "rebuild" (shared among processes)
    target: str  # the function whose call marks the phase
    who: str = "indexer"  # or "worker": a process the indexer forked
    nth: int = 1
    #: what readers see until the next run: the index as before ("old") or as the
    #: killed run wrote it ("new": it was killed after its commit)
    sees: str = "old"
    #: whether the next run rebuilds (the killed one had begun its commit)
    rebuilds: bool = False


KILLS = {
    "update, reading files": Kill("update", "docrepo.indexing.pipeline:parse_file", nth=3),
    "update, a segment half written (documents file, no postings)": Kill(
        "update", "docrepo.store.codec:ArrayFieldWriter.close", rebuilds=True
    ),
    "update, segment written, before the table of contents": Kill(
        "update", "whoosh.index:TOC.write", rebuilds=True
    ),
    "update, committed, before the checksums": Kill(
        "update", "docrepo.store.checksums:record", sees="new", rebuilds=True
    ),
    "update, committed, before the manifest": Kill(
        "update", "docrepo.store.manifest:MANIFESTS.save", sees="new", rebuilds=True
    ),
    "rebuild, a worker reading files": Kill(
        "rebuild", "docrepo.indexing.pipeline:parse_file", who="worker", nth=5
    ),
    "rebuild, the indexer taking in what its workers read": Kill(
        "rebuild", "docrepo.indexing.pipeline:entry_for", nth=50
    ),
    "rebuild, a worker writing its segment": Kill(
        "rebuild", "docrepo.store.codec:ArrayFieldWriter.close", who="worker"
    ),
    "rebuild, the merge of the workers' segments": Kill(
        "rebuild", "docrepo.store.writing:MERGE_SMALL"
    ),
    "rebuild, committed, before CURRENT names it": Kill(
        "rebuild", "docrepo.store.writing:IndexStore.swap"
    ),
}


def change_some(content: Path, rng: random.Random, tag: str) -> None:
    """Edit some documents, add one, delete one that no decision points to."""
    paths = sorted(content.glob("lot*/d*.md"))
    for path in rng.sample(paths, 40):
        edit(path, rng, tag)
    (content / "nouveaux").mkdir(exist_ok=True)
    (content / "nouveaux" / f"{tag}.md").write_text(doc(f"Nouveau {tag}"), "utf-8")
    victim = rng.choice([p for p in paths if int(p.stem[1:]) % 15])
    victim.unlink()


def gone_or_zombie(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state == "Z"


@pytest.mark.slow
@pytest.mark.parametrize("where", list(KILLS))
def test_a_kill_9_at_each_phase_of_indexing_leaves_an_index_that_answers_and_is_repaired(
    make_tree: MakeTree, tmp_path: Path, readers: list[Reader], where: str
) -> None:
    """SIGKILL at a chosen phase of an update or of a rebuild shared among processes (the
    indexer or one of its workers): the phase is reached, readers see the index as it
    was before the commit or as committed (never a mix), no worker outlives the indexer,
    and the next run is not blocked and gives what a fresh rebuild gives."""
    kill = KILLS[where]
    content = make_tree(corpus(300))
    index_dir = tmp_path / "index"
    update_index(content, IndexStore(index_dir))
    served = current_name(index_dir)
    steady = reader(readers, content, index_dir)
    old = stored_records(index_dir)
    change_some(content, random.Random(where), "tour")
    marker = tmp_path / "marker"

    command = [sys.executable, "-c", PHASE_CHILD, str(content), str(index_dir), kill.mode]
    command += [str(marker), where, kill.target, kill.who, str(kill.nth)]
    # errors to a file, not a pipe: a worker left behind would hold a pipe open forever
    with open(tmp_path / "err", "w") as err:
        run = subprocess.run(command, cwd=REPO, stdout=err, stderr=err, timeout=120)
    returncode, stderr = run.returncode, (tmp_path / "err").read_text()

    # the phase was reached, and the process named was killed there
    assert marker.exists(), f"the phase was never reached: {stderr[-2000:]}"
    hits = [json.loads(line) for line in marker.read_text("utf-8").splitlines()]
    assert {hit["phase"] for hit in hits} == {where}
    if kill.who == "indexer":
        assert returncode == -signal.SIGKILL, stderr[-2000:]
        assert [hit["pid"] for hit in hits] == [hits[0]["pid"]]
    else:  # the indexer saw its worker die, and said so in a line
        assert returncode == 3, stderr[-2000:]
        assert re.search(r"IndexUnavailable: a process .* stopped", stderr), stderr[-2000:]
        assert "Traceback" not in stderr
    workers = [pid for hit in hits for pid in hit["workers"]]
    if where == "rebuild, the indexer taking in what its workers read":
        assert workers, "no worker was running: the rebuild was not shared"
    deadline = time.monotonic() + 10
    while not all(map(gone_or_zombie, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if not gone_or_zombie(pid)]
    for pid in left:  # this test's processes: not left running after it fails
        os.kill(pid, signal.SIGKILL)
    assert left == [], f"workers left running after the indexer was killed: {left}"

    # the index opens and answers, through a new Library and through one opened before
    after_kill = stored_records(index_dir)
    assert current_name(index_dir) == served
    fresh_reader = reader(readers, content, index_dir)
    for lib in (fresh_reader, steady):
        assert lib.search("décision").total >= 1
        assert lib.search("", type="decision").total >= 1
    fresh_reader.close()

    # the next run is not blocked, repairs everything, and leaves no generation behind
    summary = update_with_timeout(content, index_dir)
    assert summary.rebuilt == kill.rebuilds
    assert_equals_fresh_rebuild(content, index_dir, tmp_path / "fresh")
    kept = {current_name(index_dir)} | {
        (index_dir / "PREVIOUS").read_text().strip() if (index_dir / "PREVIOUS").exists() else ""
    }
    assert {g.name for g in index_dir.glob("gen-*")} <= kept

    # readers saw the index as it was, or as the killed run committed it
    assert after_kill == (old if kill.sees == "old" else stored_records(index_dir))
    assert old != stored_records(index_dir)


# --------------------------------------------------------------------------- (b) damage


def update_on_damaged_index(content: Path, index_dir: Path, damaged: Path) -> UpdateSummary:
    """update_index on a damaged generation.

    Whoosh leaves the file it was reading open when a .toc or a column is truncated: the
    garbage collector closes it and warns. Only that third-party warning, about a file
    of the damaged generation, is tolerated here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", f"unclosed file .*{re.escape(str(damaged))}", ResourceWarning
        )
        try:
            return update_with_timeout(content, index_dir)
        finally:
            gc.collect()


@pytest.mark.parametrize(
    "damage", ["truncate-drp", "garble-drp", "delete-toc", "truncate-toc", "delete-drp"]
)
def test_a_damaged_current_generation_is_rebuilt_into_a_new_one(
    make_tree: MakeTree, tmp_path: Path, readers: list[Reader], damage: str
) -> None:
    """A truncated or garbled segment, or a missing TOC, makes the next update rebuild into
    a new generation (a garbled one is found by the checksums written at each commit)."""
    content = make_tree(corpus(40))
    index_dir = tmp_path / "index"
    update_index(content, IndexStore(index_dir))
    lib = reader(readers, content, index_dir)
    assert lib.search("texte7").total == 1
    generation = index_dir / current_name(index_dir)
    damage_files(generation, damage)
    lib.close()
    (content / "lot0/d0.md").write_text(doc("Réparé", "Le texte réparé."), "utf-8")

    summary = update_on_damaged_index(content, index_dir, generation)
    assert summary.rebuilt
    assert current_name(index_dir) != generation.name
    assert lib.found("texte7") == {"lot7/d7"}
    assert lib.found("réparé") == {"lot0/d0"}
    assert lib.search("").total == 40
    assert_equals_fresh_rebuild(content, index_dir, tmp_path / "fresh")
    assert not update_with_timeout(content, index_dir).rebuilt


# --------------------------------------------------------------------------- (c) two writers


@pytest.mark.parametrize(
    "modes",
    [("update", "update"), ("update", "rebuild"), ("first", "first")],
    ids=["update+update", "update+rebuild", "first-build+first-build"],
)
def test_two_processes_indexing_at_once_both_succeed(
    make_tree: MakeTree, tmp_path: Path, modes: tuple[str, str]
) -> None:
    """Two processes indexing the same directory at once both exit 0 and leave a rebuild's index."""
    rng = random.Random(3)
    content = make_tree(corpus(300))
    index_dir = tmp_path / "index"
    if modes[0] != "first":
        update_index(content, IndexStore(index_dir))
        for path in rng.sample(sorted(content.glob("lot*/d*.md")), 60):
            edit(path, rng, "concurrent")
        (content / "lot4/d4.md").unlink()
        (content / "lot9/nouveau.md").write_text(doc("Nouveau", "Arrivé pendant."), "utf-8")
    processes = [spawn(content, index_dir, mode) for mode in modes]
    for process in processes:
        go(process)
    outputs = []
    for process in processes:
        with process:
            outputs.append(process.communicate(timeout=60))
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "done" in out and "Traceback" not in err, err
    assert_equals_fresh_rebuild(content, index_dir, tmp_path / "fresh")


# --------------------------------------------------------------------------- (d) readers


@pytest.mark.parametrize("rebuild_every", [0, 10])
def test_searches_keep_answering_during_100_commits(
    make_tree: MakeTree, tmp_path: Path, readers: list[Reader], rebuild_every: int
) -> None:
    """One Library searched continuously while 100 commits (and swaps) run never raises."""
    rng = random.Random(4)
    content = make_tree(corpus(100, words=4))
    index_dir = tmp_path / "index"
    update_index(content, IndexStore(index_dir))
    lib = reader(readers, content, index_dir)
    writer_errors: list[BaseException] = []
    done = threading.Event()

    def commits() -> None:
        try:
            for n in range(100):
                path = content / f"lot{n % 10}" / f"d{n}.md"
                edit(path, rng, f"commit{n}")
                rebuild = rebuild_every > 0 and n % rebuild_every == rebuild_every - 1
                update_index(content, IndexStore(index_dir), rebuild=rebuild)
        except BaseException as exc:  # reported below
            writer_errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=commits, daemon=True)
    thread.start()
    errors: list[str] = []
    searches = 0
    deadline = time.monotonic() + 60
    queries = [("document", {}), ("", {"type": "decision"}), ("décision", {}), ("", {})]
    while not done.is_set() and time.monotonic() < deadline:
        q, filters = queries[searches % len(queries)]
        try:
            result = lib.search(q, **filters)
            assert result.total >= 1, (q, filters)
            lib.library.reader().document("lot1/d1", EVERYONE)
        except Exception as exc:  # every one is a failure, reported with its traceback
            errors.append("".join(traceback.format_exception(exc)))
        searches += 1
        time.sleep(0.001)  # lets the writer thread have the GIL back after its I/O
    thread.join(30)
    assert not thread.is_alive(), "the commits did not finish"
    assert writer_errors == []
    assert errors == [], f"{len(errors)} of {searches} searches failed; first:\n{errors[0]}"
    assert lib.found("commit99") == {"lot9/d99"}
    print(f"\n{searches} searches during 100 commits")


# --------------------------------------------------------------------------- (e) disk full

DISK_FULL_CHILD = """
import resource, signal, sys
from pathlib import Path
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[4])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
if sys.argv[3] == "cli":
    from docrepo.cli import main
    main(["index", "--content", sys.argv[1], "--index", sys.argv[2]])
else:
    from docrepo.errors import IndexUnavailable
    from docrepo.indexing.pipeline import update_index
    from docrepo.store.writing import IndexStore
    try:
        update_index(Path(sys.argv[1]), IndexStore(Path(sys.argv[2])))
    except IndexUnavailable as exc:
        print(f"IndexUnavailable: {exc}", file=sys.stderr)
        sys.exit(3)
    print("done")
"""


class DiskFull:
    """An index of 30 documents, then 300 big ones indexed by a child under a size limit."""

    def __init__(self, make_tree: MakeTree, tmp_path: Path, face: str) -> None:
        self.content = make_tree(corpus(30))
        self.index_dir = tmp_path / "index"
        update_index(self.content, IndexStore(self.index_dir))
        self.before = stored_records(self.index_dir)
        self.generation = current_name(self.index_dir)
        files_before = set((self.index_dir / self.generation).iterdir())
        big = " ".join(["Un long texte sur le recrutement des agents contractuels."] * 60)
        (self.content / "gros").mkdir()
        for i in range(300):
            text = doc(f"Gros {i}", f"{big} gros{i}")
            (self.content / "gros" / f"g{i}.md").write_text(text, "utf-8")
        started = time.monotonic()
        self.completed = subprocess.run(
            [sys.executable, "-c", DISK_FULL_CHILD, str(self.content), str(self.index_dir)]
            + [face, str(256 * 1024)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.elapsed = time.monotonic() - started
        leftovers = set((self.index_dir / self.generation).iterdir()) - files_before
        #: Whoosh files (segments and their parts) that no TOC refers to
        self.leftovers = {
            p.name: p.stat().st_size
            for p in leftovers
            if p.is_file() and p.name.startswith("MAIN_") and p.name != "MAIN_WRITELOCK"
        }


@pytest.mark.parametrize("face", ["api", "cli"])
def test_disk_full_during_a_commit_fails_cleanly_and_keeps_the_previous_state(
    make_tree: MakeTree, tmp_path: Path, readers: list[Reader], face: str
) -> None:
    """A commit that hits the file size limit fails with a clear error; the old index serves on."""
    run = DiskFull(make_tree, tmp_path, face)
    completed = run.completed
    assert completed.returncode not in (0, -signal.SIGXFSZ), completed.stderr

    # the previous state is still what is served
    assert current_name(run.index_dir) == run.generation
    assert stored_records(run.index_dir) == run.before
    lib = reader(readers, run.content, run.index_dir)
    assert lib.found("texte7") == {"lot7/d7"}
    assert lib.found("gros7") == set()

    # the lock was released: the next update (with room) completes and is complete
    update_with_timeout(run.content, run.index_dir, timeout=30)
    assert lib.found("gros7") == {"gros/g7"}
    assert_equals_fresh_rebuild(run.content, run.index_dir, tmp_path / "fresh")

    # the child says what happened, in one clear line where it is the command line
    print(f"\nchild exited {completed.returncode} after {run.elapsed:.1f} s:")
    print(completed.stderr.strip()[-2000:])
    assert "Traceback" not in completed.stderr, "the error is a traceback, not a message"
    assert re.search(r"(?i)file too large|no space|disk", completed.stderr), completed.stderr
    if face == "cli":
        lines = [line for line in completed.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "error" in lines[0].lower(), completed.stderr


def test_a_commit_that_fails_for_lack_of_space_leaves_no_partial_files(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """A failed commit removes what it wrote, or each retry on a full disk eats the space freed."""
    run = DiskFull(make_tree, tmp_path, "api")
    assert run.completed.returncode == 3, run.completed.stderr
    assert run.leftovers == {}, (
        f"the failed commit left {sum(run.leftovers.values()):,} bytes in "
        f"{len(run.leftovers)} files: {sorted(run.leftovers)[:5]}"
    )


REBUILD_ON_A_FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[3]), int(sys.argv[3])))
from docrepo.cli import main
main(["index", "--rebuild", "--content", sys.argv[1], "--index", sys.argv[2]])
"""


def test_a_rebuild_on_a_full_disk_says_so_in_one_line_and_leaves_nothing(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """`docrepo index --rebuild` that runs out of room: one line naming the index and the
    room left, exit 1, the previous generation still served, no generation folder left."""
    content = make_tree(corpus(30))
    index_dir = tmp_path / "index"
    update_index(content, IndexStore(index_dir))
    served = current_name(index_dir)
    big = " ".join(["Un long texte sur le recrutement des agents contractuels."] * 60)
    (content / "gros").mkdir()
    for i in range(300):
        (content / "gros" / f"g{i}.md").write_text(doc(f"Gros {i}", f"{big} gros{i}"), "utf-8")
    for attempt in range(3):
        completed = subprocess.run(
            [sys.executable, "-c", REBUILD_ON_A_FULL_DISK, str(content), str(index_dir),
             str(256 * 1024)],
            cwd=REPO, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        lines = [line for line in completed.stderr.splitlines() if line.strip()]
        assert completed.returncode == 1, completed.stderr
        assert len(lines) == 1, completed.stderr
        assert "disk full writing the index in" in lines[0] and "bytes free" in lines[0]
        assert current_name(index_dir) == served
        assert [g.name for g in index_dir.glob("gen-*")] == [served], attempt


@pytest.mark.parametrize("damage", ["truncate-drp", "garble-drp"])
def test_a_reader_that_meets_damage_answers_503_never_500(
    make_tree: MakeTree, tmp_path: Path, damage: str
) -> None:
    """A running reader whose generation is damaged under it answers every kind of
    request with 503 and a JSON error (HTML on pages), never a 500; after the writer
    rebuilds, it answers again."""
    from starlette.testclient import TestClient

    from docrepo.app import create_app
    from docrepo.config import Settings

    content = make_tree(corpus(40))
    index_dir = tmp_path / "index"
    update_index(content, IndexStore(index_dir))
    client = TestClient(create_app(Settings(content=content, index=index_dir)))
    assert client.get("/api/search", params={"q": "texte7"}).json()["total"] == 1
    generation = index_dir / current_name(index_dir)
    damage_files(generation, damage)
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", f"unclosed file .*{re.escape(str(generation))}", ResourceWarning
        )
        for url in ("/api/search?q=texte3", "/api/doc/lot3/d3", "/healthz", "/?q=texte5"):
            response = client.get(url)
            assert response.status_code == 503, (url, response.status_code, response.text)
            if url.startswith(("/api/", "/healthz")):
                assert "damaged" in response.json()["error"]
        update_on_damaged_index(content, index_dir, generation)
        gc.collect()
    assert client.get("/api/search", params={"q": "texte7"}).json()["total"] == 1


def test_a_damaged_current_generation_falls_back_to_the_last_good_one(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """When the generation served is damaged and the one it replaced is still there, a
    reader serves that last good one (200, its documents) until the writer swaps in a
    rebuilt one; then the current state again."""
    from starlette.testclient import TestClient

    from docrepo.app import create_app
    from docrepo.config import Settings

    content = make_tree(corpus(40))
    index_dir = tmp_path / "index"
    update_index(content, IndexStore(index_dir))
    update_index(content, IndexStore(index_dir), rebuild=True)  # the first one is PREVIOUS
    (content / "lot0/d0.md").write_text(doc("Réparé", "Le texte réparé."), "utf-8")
    update_index(content, IndexStore(index_dir))
    client = TestClient(create_app(Settings(content=content, index=index_dir)))
    generation = index_dir / current_name(index_dir)
    damage_files(generation, "garble-drp")
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", f"unclosed file .*{re.escape(str(generation))}", ResourceWarning
        )
        response = client.get("/api/search", params={"q": "texte7"})
        assert response.status_code == 200 and response.json()["total"] == 1
        assert client.get("/api/search", params={"q": "réparé"}).json()["total"] == 0
        update_on_damaged_index(content, index_dir, generation)
        gc.collect()
    assert client.get("/api/search", params={"q": "réparé"}).json()["total"] == 1
