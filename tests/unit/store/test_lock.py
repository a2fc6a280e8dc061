"""The single writer (SPEC §8): a second writer, thread or process, waits for the lock,
and both leave the index equal to a rebuild."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from docrepo.indexing.pipeline import UpdateSummary
from docrepo.store.writing import IndexStore
from support.index import THREE, assert_equals_fresh_rebuild, counts, update
from support.trees import REPO, MakeTree, decision, doc


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


def _change_tree(content: Path) -> None:
    """A batch of edits of every kind, as a `git pull` would bring."""
    (content / "a.md").write_text(doc("Alpha 2", "Le télétravail révisé."), "utf-8")
    (content / "b.md").unlink()
    for i in range(15):
        (content / "lot" / f"x{i}.md").parent.mkdir(exist_ok=True)
        (content / "lot" / f"x{i}.md").write_text(doc(f"Lot {i}", f"Pièce {i}."), "utf-8")
    (content / "old.md").write_text(decision("Ancienne", "DEC200001DAJ"), "utf-8")
    (content / "new.md").write_text(
        decision("Nouvelle", "DEC240002DAJ", supersedes=["DEC200001DAJ"]), "utf-8"
    )


def test_a_second_writer_waits_for_the_lock_instead_of_failing(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """While the writer lock is held, update_index blocks; it proceeds once it is released."""
    content = make_tree(THREE)
    update(content, index_dir)
    (content / "d.md").write_text(doc("Delta"), "utf-8")
    results: list[UpdateSummary | BaseException] = []

    def run() -> None:
        try:
            results.append(update(content, index_dir))
        except BaseException as exc:  # reported below
            results.append(exc)

    with IndexStore(index_dir).writer_lock():
        thread = threading.Thread(target=run)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive(), "the second writer did not wait for the lock"
    thread.join(30)
    assert not thread.is_alive()
    assert len(results) == 1 and isinstance(results[0], UpdateSummary), results
    assert results[0].added == 1


def test_two_writer_threads_at_once_both_succeed_and_equal_a_rebuild(
    make_tree: MakeTree, index_dir: Path, tmp_path: Path
) -> None:
    """Two threads updating the same index both succeed and leave it equal to a rebuild."""
    content = make_tree(THREE)
    update(content, index_dir)
    _change_tree(content)
    results: list[UpdateSummary | BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            results.append(update(content, index_dir))
        except BaseException as exc:  # reported below
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(isinstance(r, UpdateSummary) for r in results), results
    assert len(results) == 2
    summaries = sorted(counts(r) for r in results if isinstance(r, UpdateSummary))
    assert summaries == [(0, 0, 0, 0), (17, 1, 1, 0)]
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)


WRITER = """
import sys
from pathlib import Path
from docrepo.indexing.pipeline import update_index
from docrepo.store.writing import IndexStore
print("ready", flush=True)
summary = update_index(Path(sys.argv[1]), IndexStore(Path(sys.argv[2])))
print(summary.line(), flush=True)
"""


def test_two_writer_processes_at_once_both_succeed_and_equal_a_rebuild(
    make_tree: MakeTree, index_dir: Path, tmp_path: Path
) -> None:
    """Two processes indexing at once both exit 0 (one waits) and the index equals a rebuild."""
    content = make_tree(THREE)
    update(content, index_dir)
    _change_tree(content)
    command = [sys.executable, "-c", WRITER, str(content), str(index_dir)]
    with IndexStore(index_dir).writer_lock():
        processes = [
            subprocess.Popen(
                command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        for process in processes:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
        time.sleep(0.3)  # both are now queued on the lock
    outputs = [process.communicate(timeout=60) for process in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in err
    lines = sorted(out.strip() for out, _ in outputs)
    assert lines[0].startswith("0 added, 0 updated, 0 deleted, 0 invalid")
    assert lines[1].startswith("17 added, 1 updated, 1 deleted, 0 invalid")
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)
