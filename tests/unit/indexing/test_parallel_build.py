"""A rebuild of many files shares the work among processes and indexes what one would.

From `PARALLEL_FROM` files, a rebuild started from a main thread reads the files in a
pool of processes and writes one segment per process; the result must be the index
that a rebuild in one process makes: same documents, records, relations and problems.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from corpus.generate import generate
from docrepo.access import EVERYONE
from docrepo.errors import IndexUnavailable
from docrepo.indexing import parallel
from docrepo.indexing import pipeline as index
from docrepo.indexing.pipeline import update_index
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from docrepo.store.writing import IndexStore
from support.index import assert_equals_fresh_rebuild, current_name

DOCS = 1200


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("parallel") / "content"
    generate(content, DOCS, seed=3)
    return content


def test_a_parallel_rebuild_equals_one_made_in_one_process(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = tmp_path / "parallel-index"
    summary = update_index(corpus, IndexStore(built), rebuild=True)
    assert summary.added > parallel.PARALLEL_FROM
    with IndexStore(built).open().searcher() as searcher:
        assert len(list(searcher.reader().leaf_readers())) > 1  # one segment per process
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)  # the reference: one process
    assert_equals_fresh_rebuild(corpus, built, tmp_path)


def test_a_parallel_rebuild_is_searchable_and_updatable(corpus: Path, tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "index")
    built = update_index(corpus, store, rebuild=True)
    probe = corpus / "pages" / "parallel-probe.md"
    probe.parent.mkdir(exist_ok=True)
    probe.write_text("---\ntitle: Sonde\ntype: page\n---\n\nMot xylophonique.\n", "utf-8")
    try:
        update_index(corpus, store, paths=["pages/parallel-probe.md"])
        library = Library(store.root)
        try:
            found = library.search(SearchRequest(q="xylophonique"), EVERYONE)
            assert [h.record["id"] for h in found.hits] == ["pages/parallel-probe"]
            assert library.search(SearchRequest(), EVERYONE).total == built.added + 1
        finally:
            library.close()
    finally:
        probe.unlink()


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built") / "index"
    update_index(corpus, IndexStore(root), rebuild=True)
    return root


@pytest.fixture
def store(built: Path, tmp_path: Path) -> IndexStore:
    root = tmp_path / "index"
    shutil.copytree(built, root)
    return IndexStore(root)


def a_document(corpus: Path) -> Path:
    return sorted(corpus.glob("circulars/*/*.md"))[0].relative_to(corpus)


@pytest.fixture(autouse=True)
def in_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild of `PARALLEL_FROM` documents or more shares its work among processes
    whatever else runs in this one: with a thread alive (an earlier test's site left its
    insights writer running), it would rebuild in this process, and a process told to die
    would end the test run itself."""
    monkeypatch.setattr(
        index, "processes_for", lambda count: 2 if count >= parallel.PARALLEL_FROM else 1
    )


def assert_failed_cleanly(corpus: Path, store: IndexStore, message: str) -> None:
    """The rebuild fails with `message`, leaves no process behind, keeps serving the
    previous generation, and frees the lock for the next run."""
    served = current_name(store.root)
    with pytest.raises(IndexUnavailable, match=message):
        update_index(corpus, store, rebuild=True)
    assert multiprocessing.active_children() == []
    assert current_name(store.root) == served
    assert update_index(corpus, store).added == 0  # the lock is free, the index intact


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("dies", r"a process writing the index stopped \(exit code 9\)"),
        ("raises", "a process writing the index failed: No space left on device"),
    ],
)
def test_a_writing_process_that_fails_fails_the_rebuild(
    corpus: Path, store: IndexStore, monkeypatch: pytest.MonkeyPatch, how: str, message: str
) -> None:
    """One of the writing processes dies (killed, out of memory) or meets an error (a full
    disk): the rebuild stops with that reason instead of committing what the others wrote."""
    real = index.record_fields
    victim = a_document(corpus).with_suffix("").as_posix()

    def failing(record: dict[str, Any], taxonomy: Any) -> dict[str, Any]:
        if record["id"] == victim:
            if how == "dies":
                os._exit(9)
            raise OSError(28, "No space left on device")
        return real(record, taxonomy)

    monkeypatch.setattr(index, "record_fields", failing)
    assert_failed_cleanly(corpus, store, message)


def test_a_reading_process_that_dies_fails_the_rebuild(
    corpus: Path, store: IndexStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = index.parse_file

    def dying(path: Path, *args: Any) -> Any:
        if path == corpus / a_document(corpus):
            os._exit(9)
        return real(path, *args)

    monkeypatch.setattr(index, "parse_file", dying)
    assert_failed_cleanly(corpus, store, "a process reading the files stopped")


HOLD_AND_DIE = """
import multiprocessing, os, signal, sys, time
from pathlib import Path
from docrepo.store.writing import IndexStore

with IndexStore(Path(sys.argv[1])).writer_lock():
    child = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
    child.start()
    print(child.pid, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_forked_child_does_not_keep_the_writer_lock(tmp_path: Path) -> None:
    """An indexer killed while its children still run (kill -9 during a rebuild) leaves
    the lock free: the children do not hold it on its behalf."""
    indexer = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_DIE, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert indexer.stdout is not None
    child = int(indexer.stdout.readline())  # (the child keeps the pipe open: no read to EOF)
    assert indexer.wait(timeout=30) == -signal.SIGKILL
    indexer.stdout.close()
    try:
        os.kill(child, 0)  # still running
        handle = os.open(tmp_path / ".writer.lock", os.O_RDWR)
        try:
            # the child lets go of its copy as soon as it first runs (on a busy machine,
            # maybe a moment after its parent died): the lock is free within that moment
            deadline = time.monotonic() + 5
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            os.kill(child, 0)  # and the child still runs: it did not hold the lock
        finally:
            os.close(handle)
    finally:
        os.kill(child, signal.SIGKILL)
        time.sleep(0.1)


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_children_die_with_a_killed_rebuild_and_its_generation_is_removed(
    corpus: Path, tmp_path: Path
) -> None:
    """kill -9 of an indexer while its processes read the files: none of them stays
    behind, and the next writer removes the generation the killed rebuild had begun."""
    index_dir = tmp_path / "index"
    update_index(corpus, IndexStore(index_dir))
    served = current_name(index_dir)
    indexer = subprocess.Popen(
        [sys.executable, "-m", "docrepo", "index", "--rebuild", "--content", str(corpus),
         "--index", str(index_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    children: set[int] = set()
    while time.monotonic() < deadline and len(children) < 2:
        children |= _children(indexer.pid)
        time.sleep(0.02)
    assert children, "the rebuild started no process"
    indexer.send_signal(signal.SIGKILL)
    indexer.wait(timeout=30)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(c) for c in children):
        time.sleep(0.05)
    assert not any(_alive(c) for c in children)
    assert len(list(index_dir.glob("gen-*"))) == 2  # the served one, and the one begun
    update_index(corpus, IndexStore(index_dir))
    assert [g.name for g in index_dir.glob("gen-*")] == [served]
