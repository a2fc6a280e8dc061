"""Crash safety of the index (SPEC §8): kills, damage, concurrent writers, readers, disk full.

The index is a cache that can always be rebuilt from the content directory, and Whoosh
never fsyncs: what must hold is that whatever a crash leaves opens and answers, and the
next run repairs it. These tests kill real processes and damage real files.
"""

from __future__ import annotations

import gc
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


KILLS = 50  # issue #4: kill -9 at random moments of a commit, 50 times


@pytest.mark.slow
def test_kill_9_at_random_moments_leaves_an_index_that_answers_and_is_repaired(
    make_tree: MakeTree, tmp_path: Path, readers: list[Reader]
) -> None:
    """After each of 50 SIGKILLs mid-indexing the index answers, and the next run repairs it."""
    rng = random.Random(9)
    content = make_tree(corpus(300))
    index_dir = tmp_path / "index"
    update_index(content, IndexStore(index_dir))
    steady = reader(readers, content, index_dir)  # one Library across every round
    interrupted = 0
    for round_ in range(KILLS):
        old = stored_records(index_dir)
        paths = sorted(content.glob("lot*/d*.md"))
        for path in rng.sample(paths, rng.randint(1, 80)):
            edit(path, rng, f"tour{round_}")
        if rng.random() < 0.2:
            (content / "nouveaux" / f"n{round_}.md").parent.mkdir(exist_ok=True)
            (content / "nouveaux" / f"n{round_}.md").write_text(doc(f"Nouveau {round_}"), "utf-8")
        if rng.random() < 0.2:
            victim = rng.choice(sorted(p for p in paths if p.exists() and p.stem[1:].isdigit()))
            if int(victim.stem[1:]) % 15:  # not a decision others point to
                victim.unlink()
        mode = "rebuild" if rng.random() < 0.3 else "update"
        with spawn(content, index_dir, mode) as process:
            go(process)
            time.sleep(rng.uniform(0.0, 0.6 if mode == "rebuild" else 0.15))
            process.send_signal(signal.SIGKILL)
            out, _ = process.communicate(timeout=30)
        if "done" not in out:
            interrupted += 1

        # the index opens and answers, through a new Library and through the old one
        after_kill = stored_records(index_dir)
        fresh_reader = reader(readers, content, index_dir)
        for lib in (fresh_reader, steady):
            assert lib.search("décision").total >= 1
            assert lib.search("", type="decision").total >= 1
        fresh_reader.close()

        # the next update is not blocked, and repairs everything
        update_with_timeout(content, index_dir)
        new = stored_records(index_dir)
        assert_equals_fresh_rebuild(content, index_dir, tmp_path / "fresh")

        # what the kill left was, document by document, the old state or the new one
        assert set(old) & set(new) <= set(after_kill) <= set(old) | set(new)
        mixed = [i for i, r in after_kill.items() if r != old.get(i) and r != new.get(i)]
        assert mixed == [], f"round {round_} ({mode}): neither old nor new: {mixed[:5]}"
    print(f"\n{interrupted} of {KILLS} indexing runs were killed before they finished")
    assert interrupted >= KILLS // 3, (
        f"only {interrupted} of {KILLS} kills interrupted an indexing run"
    )


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
