"""Live indexing (SPEC §8): a real watcher keeps the index equal to the content directory.

Every test runs a real `Watcher` (native events, or polling where said) in its thread on
a tree in tmp_path, and observes the index through a `Library`, as the server does.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from docrepo.access import EVERYONE
from docrepo.app import create_app
from docrepo.config import Settings
from docrepo.content.taxonomy import load_taxonomy
from docrepo.indexing.pipeline import UpdateSummary, update_index
from docrepo.indexing.watcher import Watcher
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from docrepo.store.manifest import Manifest
from docrepo.store.writing import IndexStore
from support.attachment_files import pdf
from support.attachment_files import word as docx
from support.index import assert_same_suggestions, fresh_rebuild, load_manifest, stored_records
from support.timing import percentile
from support.trees import MakeTree, decision, doc, front_matter

# --------------------------------------------------------------------------- helpers


def wait_until(predicate: Callable[[], object], timeout: float = 10.0) -> bool:
    """Poll `predicate` until it is true or `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.005)


def broken(title: str = "Cassé", body: str = "Texte cassé.") -> str:
    """A document with an unknown field: never valid."""
    return front_matter(body, title=title, institue="INSB")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def manifest_paths(index_dir: Path) -> set[str] | None:
    """The paths the served generation's manifest knows (it is saved just after a commit)."""
    manifest = load_manifest(index_dir)
    return set(manifest.entries) if manifest else None


class Live:
    """A running watcher on a content directory, and a Library reading its index."""

    def __init__(self, content: Path, index_dir: Path, force_polling: bool | None = None) -> None:
        self.content = content
        self.index_dir = index_dir
        self.updates: list[UpdateSummary] = []
        self.last_update = time.monotonic()
        self.watcher = Watcher(
            content, index_dir, on_update=self._on_update, force_polling=force_polling
        )
        self._library: Library | None = None
        self._probes = 0

    def _on_update(self, summary: UpdateSummary) -> None:
        self.updates.append(summary)
        self.last_update = time.monotonic()

    def start(self, probe: bool = True) -> Live:
        """Start the watcher, wait for its catch-up run, and (probe) for events to flow."""
        self.watcher.start()
        assert wait_until(lambda: self.updates, 30), "the watcher's first run never ended"
        if probe:
            self.probe()
        return self

    def probe(self) -> None:
        """Prove that events reach the index: a throwaway file comes, then goes."""
        self._probes += 1
        path = self.content / f"zz-probe-{self._probes}.md"
        doc_id = path.stem
        deadline = time.monotonic() + 15
        while not self.has(doc_id):
            assert time.monotonic() < deadline, "the watcher never saw a new file"
            write(path, doc("Sonde", f"Sonde {time.monotonic()}"))
            wait_until(lambda: self.has(doc_id), 0.5)
        path.unlink()
        assert wait_until(lambda: not self.has(doc_id), 10), "the watcher never saw a delete"

    @property
    def library(self) -> Library:
        if self._library is None:
            taxonomy, _ = load_taxonomy(self.content)
            self._library = Library(self.index_dir)
        return self._library

    def found(self, q: str = "", **filters: str) -> set[str]:
        """Ids of the documents a search finds (first 100)."""
        params = {"q": [q], "per_page": ["100"], **{k: [v] for k, v in filters.items()}}
        result = self.library.search(SearchRequest.from_params(params), EVERYONE)
        return {hit.record["id"] for hit in result.hits}

    def has(self, doc_id: str) -> bool:
        return self.library.reader().document(doc_id, EVERYONE) is not None

    def record(self, doc_id: str) -> dict[str, Any] | None:
        return self.library.reader().document(doc_id, EVERYONE)

    def ids(self) -> set[str]:
        """Every id in the index, as the Library sees it now."""
        snapshot = self.library.reader().snapshot
        live = snapshot.columns.live
        return {snapshot.record(n)["id"] for n in range(len(live)) if live[n]}

    def settle(self) -> None:
        """Wait until everything written so far is indexed and the watcher is quiet.

        A barrier file is written last and waited for (events come in order), then the
        watcher is given time for any reconciliation scan. The barrier stays: it is an
        ordinary document, and a fresh rebuild indexes it too.
        """
        self._probes += 1
        barrier = f"zz-barrier-{self._probes}"
        write(self.content / f"{barrier}.md", doc("Barrière", f"Barrière {self._probes}."))
        assert wait_until(lambda: self.has(barrier), 10), "the barrier file was never indexed"
        self.wait_quiet()

    def wait_quiet(self, seconds: float = 2.5, timeout: float = 30.0) -> None:
        """Wait until the watcher has not indexed anything for `seconds`."""
        assert wait_until(lambda: time.monotonic() - self.last_update >= seconds, timeout), (
            "the watcher never went quiet"
        )

    def close(self) -> None:
        alive = self.watcher._thread is not None and self.watcher._thread.is_alive()
        self.watcher.stop()
        if self._library is not None:
            self._library.close()
        assert self.watcher._thread is None or not self.watcher._thread.is_alive(), (
            "the watcher did not stop"
        )
        assert alive, "the watcher thread had died before the end of the test"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Callable[..., Live]]:
    """Start a watcher (and Library) on a content directory; stopped at teardown."""
    started: list[Live] = []

    def start(content: Path, probe: bool = True, force_polling: bool | None = None) -> Live:
        running = Live(content, tmp_path / "index", force_polling=force_polling)
        started.append(running)
        return running.start(probe=probe)

    yield start
    for running in started:
        running.close()


# --------------------------------------------------------------------------- single changes


def test_a_created_file_is_searchable_finds(make_tree: MakeTree, live: Any) -> None:
    """A new file becomes searchable quickly: p95 of 20 saves is under one second."""
    content = make_tree({"a.md": doc("Alpha")})
    running = live(content)
    delays: list[float] = []
    rng = random.Random(1)
    for n in range(20):
        word = "zq" + "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))
        started = time.perf_counter()
        write(content / f"nouveau-{n}.md", doc(f"Nouveau {n}", f"Le mot {word} est unique."))
        assert wait_until(lambda w=word, i=n: running.found(w) == {f"nouveau-{i}"}, 10), n
        delays.append(time.perf_counter() - started)
        time.sleep(0.05)
    p50, p95 = percentile(delays, 50), percentile(delays, 95)
    print(f"\nsave → searchable over 20 saves: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    assert p95 < 1.0, delays


def test_an_edited_file_is_reindexed(make_tree: MakeTree, live: Any) -> None:
    """Editing a file replaces its old text by the new one in search."""
    content = make_tree({"a.md": doc("Alpha", "Le télétravail des agents.")})
    running = live(content)
    assert running.found("télétravail") == {"a"}
    write(content / "a.md", doc("Alpha révisé", "La restauration collective."))
    assert wait_until(lambda: running.found("restauration") == {"a"})
    assert running.found("télétravail") == set()
    record = running.record("a")
    assert record is not None and record["title"] == "Alpha révisé"


def test_a_deleted_file_leaves_the_index(make_tree: MakeTree, live: Any) -> None:
    """Deleting a file removes its document from search and from the stored records."""
    content = make_tree({"a.md": doc("Alpha", "Le télétravail."), "b.md": doc("Beta")})
    running = live(content)
    (content / "a.md").unlink()
    assert wait_until(lambda: not running.has("a"))
    assert running.found("télétravail") == set()
    assert running.ids() == {"b"}


def test_a_renamed_file_changes_id(make_tree: MakeTree, live: Any) -> None:
    """Renaming a file removes the old id and adds the new one, with the same text."""
    content = make_tree({"a.md": doc("Alpha", "Le télétravail."), "b.md": doc("Beta")})
    running = live(content)
    (content / "sub").mkdir()
    os.rename(content / "a.md", content / "sub" / "renamed.md")
    assert wait_until(lambda: running.ids() == {"b", "sub/renamed"})
    assert running.found("télétravail") == {"sub/renamed"}


@pytest.mark.parametrize(
    ("folder", "renamed"), [("dossier", "renommé"), ("v1.2", "renommé"), ("dossier", "v2.0")]
)
def test_a_renamed_folder_moves_all_its_documents(
    make_tree: MakeTree, live: Any, folder: str, renamed: str
) -> None:
    """Renaming a folder (even one with a dot in its name) moves every document under it."""
    files = {f"{folder}/d{i}.md": doc(f"Doc {i}", "Le télétravail.") for i in range(5)}
    files |= {f"{folder}/sous/e{i}.md": doc(f"Sous {i}") for i in range(3)}
    content = make_tree({"racine.md": doc("Racine"), **files})
    running = live(content)
    old = {p.removesuffix(".md") for p in files}
    assert running.ids() == {"racine"} | old
    os.rename(content / folder, content / renamed)
    expected = {"racine"} | {i.replace(folder, renamed, 1) for i in old}
    assert wait_until(lambda: running.ids() == expected, 5), sorted(running.ids() ^ expected)
    # events inside the renamed folder are still followed, under the new name
    write(content / renamed / "sous" / "e0.md", doc("Sous 0", "La restauration collective."))
    assert wait_until(lambda: running.found("restauration") == {f"{renamed}/sous/e0"})


def test_a_deleted_folder_takes_its_documents_away(make_tree: MakeTree, live: Any) -> None:
    """Deleting a folder removes every document that was under it."""
    files = {f"lot/d{i}.md": doc(f"Doc {i}") for i in range(5)}
    files |= {f"lot/a/b/e{i}.md": doc(f"Profond {i}") for i in range(3)}
    content = make_tree({"racine.md": doc("Racine"), **files})
    running = live(content)
    assert len(running.ids()) == 9
    shutil.rmtree(content / "lot")
    assert wait_until(lambda: running.ids() == {"racine"}), running.ids()


@pytest.mark.parametrize("temporary", [".{name}.tmp", "{name}~", ".{name}.swp"])
def test_an_atomic_save_indexes_the_target_and_never_the_temporary_file(
    make_tree: MakeTree, live: Any, temporary: str
) -> None:
    """An editor's atomic save (temp file, then rename onto the target) reindexes the target."""
    content = make_tree({"a.md": doc("Alpha", "Le télétravail.")})
    running = live(content)
    for n, word in enumerate(["restauration", "formation", "mission"]):
        temp = content / temporary.format(name="a.md")
        write(temp, doc(f"Alpha {n}", f"Texte sur la {word}."))
        time.sleep(0.2)  # the watcher sees the temporary file on its own
        os.replace(temp, content / "a.md")
        assert wait_until(lambda w=word: running.found(w) == {"a"}), word
    # a new file saved atomically
    temp = content / temporary.format(name="b.md")
    write(temp, doc("Beta", "La comptabilité."))
    time.sleep(0.2)
    os.replace(temp, content / "b.md")
    assert wait_until(lambda: running.found("comptabilité") == {"b"})
    assert running.ids() == {"a", "b"}
    assert wait_until(lambda: manifest_paths(running.index_dir) == {"a.md", "b.md"}, 2)


def test_swap_files_git_and_hidden_content_are_ignored(make_tree: MakeTree, live: Any) -> None:
    """Swap, backup and partial files, `.git/` and `_`/`.` folders never reach the index."""
    content = make_tree({"a.md": doc("Alpha")})
    running = live(content)
    running.wait_quiet(0.3)
    before = len(running.updates)
    ignored = {
        ".a.md.swp": "swap",
        ".a.md.swx": "swap",
        "a.md~": doc("Sauvegarde", "Le télétravail."),
        "a.md.part": doc("Partiel", "Le télétravail."),
        ".git/HEAD": "ref: refs/heads/main\n",
        ".git/objects/ab/cdef": "blob",
        ".git/x.md": doc("Dans git", "Le télétravail."),
        "_modeles/m.md": doc("Modèle", "Le télétravail."),
        ".cache/c.md": doc("Caché", "Le télétravail."),
    }
    for name, text in ignored.items():
        write(content / name, text)
    time.sleep(0.5)
    assert len(running.updates) == before, "ignored files triggered indexing"
    write(content / "b.md", doc("Beta", "Barrière."))
    assert wait_until(lambda: running.has("b"))
    assert running.ids() == {"a", "b"}
    assert running.found("télétravail") == set()
    assert wait_until(lambda: manifest_paths(running.index_dir) == {"a.md", "b.md"}, 2)


# --------------------------------------------------------------------------- bursts and races


@pytest.mark.slow
def test_a_checkout_of_a_thousand_files_in_new_folders_is_indexed_exactly(
    make_tree: MakeTree, live: Any
) -> None:
    """1,000 files written at once in 50 new nested folders all end up indexed, no more."""
    content = make_tree({"a.md": doc("Alpha")})
    running = live(content)
    expected = {"a"}
    started = time.perf_counter()
    for n in range(1000):
        folder = f"lot{n % 10}/sous{n % 50 // 10}"
        write(content / folder / f"d{n}.md", doc(f"Pièce {n}", f"Texte {n}."))
        expected.add(f"{folder}/d{n}")
    written = time.perf_counter() - started
    assert wait_until(lambda: running.ids() == expected, 30), (
        f"missing {sorted(expected - running.ids())[:10]}, extra {running.ids() - expected}"
    )
    print(
        f"\n1,000 files: written in {written:.2f} s, "
        f"all indexed {time.perf_counter() - started:.2f} s after the first"
    )
    running.wait_quiet()
    assert running.ids() == expected


def test_a_file_added_then_deleted_within_one_debounce_window_is_absent(
    make_tree: MakeTree, live: Any
) -> None:
    """A path created and deleted before the watcher looks never lingers in the index."""
    content = make_tree({"a.md": doc("Alpha")})
    running = live(content)
    for n in range(5):
        path = content / f"ephemere-{n}.md"
        write(path, doc("Éphémère", "Le télétravail."))
        path.unlink()
        folder = content / f"dossier-{n}"
        write(folder / "x.md", doc("Éphémère"))
        shutil.rmtree(folder)
    write(content / "b.md", doc("Beta"))
    assert wait_until(lambda: running.has("b"))
    running.wait_quiet(1.5)
    assert running.ids() == {"a", "b"}
    assert wait_until(lambda: manifest_paths(running.index_dir) == {"a.md", "b.md"}, 2)


def test_changes_made_while_no_watcher_ran_are_picked_up_at_start(
    make_tree: MakeTree, live: Any, tmp_path: Path
) -> None:
    """A watcher starting on an old index first catches up with everything that changed."""
    content = make_tree(
        {
            "a.md": doc("Alpha", "Le télétravail."),
            "b.md": doc("Beta"),
            "lot/c.md": doc("Gamma"),
            "old.md": decision("Ancienne", "DEC200001DAJ"),
        }
    )
    update_index(content, IndexStore(tmp_path / "index"))
    write(content / "a.md", doc("Alpha", "La restauration."))
    (content / "b.md").unlink()
    os.rename(content / "lot", content / "paquet")
    write(content / "neuf/d.md", doc("Delta"))
    write(content / "new.md", decision("Nouvelle", "DEC240001DAJ", supersedes=["DEC200001DAJ"]))
    running = live(content, probe=False)
    assert running.ids() == {"a", "paquet/c", "neuf/d", "old", "new"}
    assert running.found("restauration") == {"a"}
    record = running.record("old")
    assert record is not None and record["status"] == "repealed"
    assert stored_records(running.index_dir) == stored_records(
        fresh_rebuild(content, tmp_path / "fresh")
    )


def test_a_file_saved_while_the_watcher_starts_is_not_missed(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """A save during the watcher's catch-up run is searchable soon after, not minutes later."""
    content = make_tree(
        {f"lot{i % 10}/d{i}.md": doc(f"Doc {i}", f"Texte {i}.") for i in range(600)}
    )
    running = Live(content, tmp_path / "index")
    running.watcher.start()
    try:
        # the catch-up run (600 new files) has scanned the tree and is indexing: save now
        assert wait_until(lambda: (tmp_path / "index" / ".writer.lock").exists(), 10)
        time.sleep(0.15)
        write(content / "pendant.md", doc("Pendant", "Le télétravail."))
        assert not running.updates, "the catch-up run ended before the save: use more files"
        assert wait_until(lambda: running.updates, 30)
        assert wait_until(lambda: running.found("télétravail") == {"pendant"}, 3), (
            "a file saved during the first scan was not indexed"
        )
    finally:
        running.close()


CHURN = """
import os, shutil, sys, time
folder, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
text = "---\\ntitle: Éphémère\\ntype: page\\n---\\n\\nÉphémère.\\n".encode()
print("ready", flush=True)
n = 0
while time.monotonic() < deadline:
    sub = os.path.join(folder, f"k{n % 3}")
    if os.path.isdir(sub):
        shutil.rmtree(sub)
    else:
        os.makedirs(sub)
        for i in range(30):
            with open(os.path.join(sub, f"c{i}.md"), "wb") as handle:
                handle.write(text)
    n += 1
"""


@pytest.mark.slow
def test_files_vanishing_while_the_watcher_looks_do_not_lose_other_changes(
    make_tree: MakeTree, live: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Files that come and go during a batch (a build, a checkout) never make other saves lost."""
    content = make_tree({"a.md": doc("Alpha")})
    running = live(content)
    command = [sys.executable, "-c", CHURN, str(content / "churn"), "4"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as churner:
        assert churner.stdout is not None and churner.stdout.readline().strip() == "ready"
        for i in range(50):
            write(content / "saves" / f"s{i}.md", doc(f"Sauvegarde {i}"))
            time.sleep(0.06)
        churner.communicate(timeout=10)
    running.settle()
    saved = {f"saves/s{i}" for i in range(50)}
    failures = [r.getMessage() for r in caplog.records if "failed" in r.getMessage()]
    assert saved <= running.ids(), (
        f"lost {sorted(saved - running.ids())}; the watcher logged {failures[:2]}"
    )
    assert stored_records(running.index_dir) == stored_records(
        fresh_rebuild(content, tmp_path / "fresh")
    )


# --------------------------------------------------------------------------- invalid saves


def test_a_broken_save_keeps_the_last_valid_version_until_fixed(
    make_tree: MakeTree, live: Any
) -> None:
    """While a file is invalid its last valid version stays searchable and the problem shows."""
    content = make_tree({"a.md": doc("Alpha", "Le télétravail."), "b.md": doc("Beta")})
    running = live(content)

    def invalid() -> list[str]:
        manifest = load_manifest(running.index_dir)
        return manifest.invalid_paths() if manifest else ["no manifest"]

    write(content / "a.md", broken("Alpha", "La restauration."))
    assert wait_until(lambda: invalid() == ["a.md"])
    assert running.found("télétravail") == {"a"}
    assert running.found("restauration") == set()
    manifest = load_manifest(running.index_dir)
    assert manifest is not None
    problems = manifest.problems()
    assert [(p.path, p.level, p.field) for p in problems] == [("a.md", "error", "institue")]

    # a second broken save still keeps the first valid version
    write(content / "a.md", "---\ntitle: [unclosed\n---\n\nLa formation.\n")
    assert wait_until(lambda: (m := load_manifest(running.index_dir)) and m.problems() != problems)
    assert invalid() == ["a.md"]
    assert running.found("télétravail") == {"a"}

    write(content / "a.md", doc("Alpha", "La formation continue."))
    assert wait_until(lambda: running.found("formation") == {"a"})
    assert running.found("télétravail") == set()
    assert wait_until(lambda: invalid() == [], 2)
    manifest = load_manifest(running.index_dir)
    assert manifest is not None and manifest.problems() == []


def test_a_file_never_valid_is_reported_and_not_indexed(make_tree: MakeTree, live: Any) -> None:
    """A new invalid file is reported and not indexed, and is indexed once fixed."""
    content = make_tree({"a.md": doc("Alpha")})
    running = live(content)
    write(content / "c.md", broken("Gamma", "La restauration."))
    assert wait_until(lambda: (m := load_manifest(running.index_dir)) and m.invalid_paths())
    assert not running.has("c")
    write(content / "c.md", doc("Gamma", "La restauration."))
    assert wait_until(lambda: running.found("restauration") == {"c"})
    assert wait_until(lambda: (m := load_manifest(running.index_dir)) and not m.invalid_paths(), 2)


def circular(title: str, body: str, **fields: object) -> str:
    """A circular (dated 2025-03-01 unless given)."""
    fields.setdefault("date", "2025-03-01")
    return doc(title, body, type="circular", **fields)


def test_an_invalid_file_is_the_only_file_with_a_problem(make_tree: MakeTree, live: Any) -> None:
    """Whether a file turns invalid (its last valid version stays served) or was never
    valid, the texts that amend it by reference and link to it are saved and indexed
    with no problem of their own: the invalid file's error is reported on it alone."""
    content = make_tree(
        {
            "circ.md": circular("Télétravail", "Le télétravail.", reference="CIR240006DRH"),
            "amend.md": circular("Modif", "Voir [le texte](circ.md).", amends=["CIR240006DRH"]),
            "guide.md": doc("Guide", "Voir [la circulaire](circ.md)."),
        }
    )
    running = live(content)

    def problems() -> list[tuple[str, str, str | None]]:
        manifest = load_manifest(running.index_dir)
        return [(p.path, p.level, p.field) for p in manifest.problems()] if manifest else []

    write(content / "circ.md", circular("Télétravail", "La restauration.", date="2024-06-31",
                                        reference="CIR240006DRH"))  # fmt: skip
    assert wait_until(lambda: problems() == [("circ.md", "error", "date")]), problems()
    write(content / "amend.md", circular("Modif", "Voir [la circulaire](circ.md), zqxamend.",
                                         amends=["CIR240006DRH"]))  # fmt: skip
    assert wait_until(lambda: running.found("zqxamend") == {"amend"})
    running.settle()
    assert problems() == [("circ.md", "error", "date")]
    assert running.found("télétravail") == {"circ"}
    amended = running.record("amend")
    assert amended is not None and amended["amends"] == ["circ"]

    # a file never valid answers to its id and to the reference it declares
    declaring = broken("Nouvelle").replace("---\n", "---\nreference: CIR250099DRH\n", 1)
    write(content / "new.md", declaring)
    write(content / "amend2.md", circular("Seconde", "Voir [la nouvelle](new.md), zqxsecond.",
                                          amends=["CIR250099DRH"]))  # fmt: skip
    assert wait_until(lambda: running.found("zqxsecond") == {"amend2"})
    running.settle()
    assert problems() == [("circ.md", "error", "date"), ("new.md", "error", "institue")]
    assert not running.has("new")


# --------------------------------------------------------------------------- relations


def test_relations_follow_the_files(make_tree: MakeTree, live: Any) -> None:
    """Adding a superseding text repeals the old one; deleting it puts the old one back in force."""
    content = make_tree({"old.md": decision("Ancienne", "DEC200001DAJ")})
    running = live(content)

    def status() -> tuple[str, list[str]] | None:
        record = running.record("old")
        return (record["status"], record["superseded_by"]) if record else None

    assert status() == ("in-force", [])
    write(content / "new.md", decision("Nouvelle", "DEC240001DAJ", supersedes=["DEC200001DAJ"]))
    assert wait_until(lambda: status() == ("repealed", ["new"])), status()
    assert running.found("", status="repealed") == {"old"}
    (content / "new.md").unlink()
    assert wait_until(lambda: status() == ("in-force", [])), status()
    assert running.found("", status="repealed") == set()


def test_citations_follow_the_files(make_tree: MakeTree, live: Any) -> None:
    """A reference written in a text becomes a link and a relation both ways when its
    document is saved, follows it when it is renamed, and goes when it is deleted; a
    warning comes when a new text repeals the cited one, and goes with that text."""
    content = make_tree({"note.md": doc("Note", "En application de la décision dec-240187-daj.")})
    running = live(content)

    def citation() -> tuple[list[str], bool] | None:
        note = running.record("note")
        return (note["cites"], 'class="citation"' in note["html"]) if note else None

    def cited_by(doc_id: str) -> list[str] | None:
        record = running.record(doc_id)
        return record["cited_by"] if record else None

    assert citation() == ([], False)
    write(content / "dec.md", decision("Décision", "DEC240187DAJ"))
    assert wait_until(lambda: citation() == (["dec"], True)), citation()
    assert cited_by("dec") == ["note"]
    os.rename(content / "dec.md", content / "moved.md")
    assert wait_until(lambda: citation() == (["moved"], True)), citation()
    assert wait_until(lambda: cited_by("moved") == ["note"])

    write(content / "new.md", decision("Nouvelle", "DEC250001DAJ", supersedes=["DEC240187DAJ"]))

    def warnings() -> list[str]:
        manifest = load_manifest(running.index_dir)
        return [p.text() for p in manifest.problems()] if manifest else []

    expected = "cites DEC240187DAJ, repealed by DEC250001DAJ since 2024-01-15"
    assert wait_until(lambda: warnings() == [expected]), warnings()
    (content / "new.md").unlink()
    assert wait_until(lambda: warnings() == []), warnings()
    (content / "moved.md").unlink()
    assert wait_until(lambda: citation() == ([], False)), citation()


def test_an_attached_file_saved_replaced_renamed_or_deleted_updates_its_document(
    make_tree: MakeTree, live: Any
) -> None:
    """A word only in an attached file finds its document once the file is saved, no
    longer once it is replaced, renamed or deleted (how long it takes: the benchmark
    `benchmarks.attachments`); the document itself stays, with the problem of its
    `attachments` line while its file is missing or damaged."""
    note = doc("Note", "Texte de la note.", attachments=["annexe.pdf"])
    content = make_tree({"note.md": note, "autre.md": doc("Autre", "Le covoiturage.")})
    running = live(content)

    def missing() -> list[str]:
        manifest = load_manifest(running.index_dir)
        return [p.field for p in manifest.problems()] if manifest else []

    def finds(q: str, expected: set[str]) -> None:
        assert wait_until(lambda: running.found(q) == expected, 5.0), running.found(q)

    assert missing() == ["attachments"]  # named before it exists
    (content / "annexe.pdf").write_bytes(pdf("Les barèmes du covoiturage et de la navette."))
    finds("navette", {"note"})
    assert running.found("covoiturage") == {"note", "autre"}
    assert wait_until(lambda: missing() == []), missing()

    temp = content / ".annexe.pdf.tmp"  # replaced as editors' tools save: a rename over it
    temp.write_bytes(docx("Annexe", ["Les indemnités de nuitée."], [["Zone", "Taux"]], "Fin."))
    os.replace(temp, content / "annexe.pdf")  # a DOCX under a PDF's name: damaged
    finds("navette", set())
    assert wait_until(lambda: missing() == ["attachments"]), missing()
    (content / "annexe.pdf").write_bytes(pdf("Page une.", "Les indemnités de nuitée."))
    finds("nuitée", {"note"})
    assert running.found("navette") == set()

    (content / "annexes").mkdir()
    os.rename(content / "annexe.pdf", content / "annexes" / "bareme.pdf")
    finds("nuitée", set())
    assert running.has("note")
    assert wait_until(lambda: missing() == ["attachments"]), missing()
    write(content / "note.md", doc("Note", "Texte.", attachments=["annexes/bareme.pdf"]))
    finds("nuitée", {"note"})

    (content / "annexes" / "bareme.pdf").unlink()
    finds("nuitée", set())
    assert running.found("note") == {"note"}
    assert wait_until(lambda: missing() == ["attachments"]), missing()


# --------------------------------------------------------------------------- sustained writes


@pytest.mark.slow
def test_a_file_rewritten_continuously_ends_with_its_final_content(
    make_tree: MakeTree, live: Any
) -> None:
    """A file rewritten every 20 ms for 3 s stays searchable throughout and ends up final."""
    content = make_tree({"a.md": doc("Alpha", "Version initiale.")})
    running = live(content)
    path = content / "a.md"
    n = 0
    missing = 0
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        n += 1
        write(path, doc(f"Alpha {n}", f"Version {n}. " + "Du texte. " * (n % 7)))
        if not running.has("a"):
            missing += 1
        time.sleep(0.02)
    write(path, doc("Alpha final", "La version finale."))
    assert wait_until(lambda: running.found("finale") == {"a"}, 5)
    running.wait_quiet(1.5)
    record = running.record("a")
    assert record is not None and record["title"] == "Alpha final"
    assert missing == 0, f"the document was out of the index {missing} times during the saves"
    manifest = load_manifest(running.index_dir)
    assert manifest is not None and manifest.invalid_paths() == []


def test_a_polling_watcher_follows_changes_too(make_tree: MakeTree, live: Any) -> None:
    """With force_polling, creation, edit, folder rename and deletion are all followed."""
    content = make_tree({"a.md": doc("Alpha", "Le télétravail."), "lot/b.md": doc("Beta")})
    running = live(content, force_polling=True)
    write(content / "c.md", doc("Gamma", "La restauration."))
    assert wait_until(lambda: running.found("restauration") == {"c"}, 5)
    write(content / "a.md", doc("Alpha", "La formation."))
    assert wait_until(lambda: running.found("formation") == {"a"}, 5)
    os.rename(content / "lot", content / "paquet")
    assert wait_until(lambda: running.ids() == {"a", "c", "paquet/b"}, 5), running.ids()
    (content / "c.md").unlink()
    assert wait_until(lambda: running.ids() == {"a", "paquet/b"}, 5), running.ids()


# --------------------------------------------------------------------------- inotify exhausted

LIBC = ctypes.CDLL(None, use_errno=True)
INOTIFY = Path("/proc/sys/fs/inotify")
IN_ATTRIB = 0x4


def inotify_limit(name: str) -> int:
    return int((INOTIFY / name).read_text())


def new_inotify() -> int | None:
    """A new inotify instance, or None if this user has none left (EMFILE)."""
    fd: int = LIBC.inotify_init1(os.O_CLOEXEC)
    if fd < 0:
        assert ctypes.get_errno() == errno.EMFILE, os.strerror(ctypes.get_errno())
        return None
    return fd


@contextmanager
def inotify_instances_exhausted(_scratch: Path) -> Iterator[None]:
    """Hold every inotify instance this user has left, so that inotify_init fails (EMFILE).

    The limit is per user: anything else of this user is short of instances meanwhile.
    """
    fds: list[int] = []
    try:
        while (fd := new_inotify()) is not None:
            fds.append(fd)
            assert len(fds) <= inotify_limit("max_user_instances"), "inotify_init never fails"
        yield
    finally:
        for fd in fds:
            os.close(fd)


@contextmanager
def inotify_watches_exhausted(scratch: Path) -> Iterator[None]:
    """Spend every inotify watch this user has left, so that inotify_add_watch fails (ENOSPC).

    An instance holds one watch per inode, so a few instances each watch the same files.
    """
    scratch.mkdir()
    files = [scratch / str(n) for n in range(inotify_limit("max_user_watches") // 32 + 1)]
    for path in files:
        path.touch()
    fds: list[int] = []
    try:
        full = False
        while not full:
            fd = new_inotify()
            assert fd is not None, "out of inotify instances before running out of watches"
            fds.append(fd)
            full = not all(LIBC.inotify_add_watch(fd, bytes(p), IN_ATTRIB) >= 0 for p in files)
        assert ctypes.get_errno() == errno.ENOSPC, os.strerror(ctypes.get_errno())
        yield
    finally:
        for fd in fds:
            os.close(fd)


@pytest.mark.skipif(
    not INOTIFY.is_dir() or inotify_limit("max_user_watches") > 1_000_000,
    reason="needs inotify, with limits low enough to be exhausted in a second",
)
@pytest.mark.parametrize("exhausted", [inotify_instances_exhausted, inotify_watches_exhausted])
def test_exhausted_inotify_falls_back_to_polling(
    make_tree: MakeTree,
    live: Any,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    exhausted: Callable[[Path], AbstractContextManager[None]],
) -> None:
    """Out of inotify instances or watches, the watcher says so and keeps indexing by polling."""
    content = make_tree({"a.md": doc("Alpha"), "lot/b.md": doc("Beta")})

    def warnings() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]

    with exhausted(tmp_path / "scratch"):
        running = live(content, probe=False)
        assert wait_until(warnings, 10), "no warning: did something free inotify meanwhile?"
        # still exhausted: only polling can see this save
        write(content / "c.md", doc("Gamma", "La restauration."))
        assert wait_until(lambda: running.found("restauration") == {"c"}, 5)
    [warning] = warnings()
    assert "falling back to polling" in warning, warning
    assert "fs.inotify.max_user_watches" in warning, warning
    assert "fs.inotify.max_user_instances" in warning, warning


# --------------------------------------------------------------------------- nothing lost

WORDS = (
    "télétravail restauration formation mission achats recrutement congés sécurité "
    "laboratoire partenariat budget archives informatique santé énergie"
).split()


class Model:
    """What the content directory holds, as the random operations leave it."""

    def __init__(self, content: Path, rng: random.Random) -> None:
        self.content = content
        self.rng = rng
        self.files: dict[str, bool] = {}  # path → valid
        self.folders: set[str] = set()
        self.counter = 0
        self.references: list[str] = []

    def fresh_name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def text(self) -> str:
        """A valid document, sometimes a decision that supersedes or amends another or
        the English version of one (whose original may be gone, or have another already),
        sometimes citing a reference (written as people do) whose document may be gone."""
        rng = self.rng
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
        if self.references and rng.random() < 0.3:
            cited = rng.choice(self.references)
            body += f" Vu {cited[:3]} {cited[3:9]} {cited[9:].lower()}."
        title = f"Texte {rng.choice(WORDS)} {self.counter}"
        if self.references and rng.random() < 0.12:  # an English version of a decision
            original = rng.choice(self.references)
            return decision(title, original, body, lang="en", translation_of=original)
        if rng.random() < 0.3:
            self.counter += 1
            reference = f"DEC{self.counter:06d}DAJ"
            fields: dict[str, object] = {}
            if self.references and rng.random() < 0.5:
                key = "supersedes" if rng.random() < 0.6 else "amends"
                fields[key] = [rng.choice(self.references)]
            self.references.append(reference)
            return decision(title, reference, body, **fields)
        return doc(title, body)

    def folder(self) -> str:
        choices = ["", *sorted(self.folders)]
        return self.rng.choice(choices)

    def new_path(self) -> str:
        folder = self.folder()
        name = self.fresh_name("f") + ".md"
        return f"{folder}/{name}" if folder else name

    def existing(self) -> str | None:
        return self.rng.choice(sorted(self.files)) if self.files else None

    def write(self, path: str, valid: bool = True) -> None:
        write(self.content / path, self.text() if valid else broken(f"Cassé {self.counter}"))
        self.files[path] = valid
        self._add_folders(path)

    def _add_folders(self, path: str) -> None:
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            self.folders.add("/".join(parts[:i]))

    # the operations ------------------------------------------------------

    def create(self) -> None:
        self.write(self.new_path())

    def edit(self) -> None:
        path = self.existing()
        if path:
            self.write(path)

    def invalid_save(self) -> None:
        path = self.existing() if self.rng.random() < 0.8 else self.new_path()
        if path:
            self.write(path, valid=False)

    def fix(self) -> None:
        invalid = sorted(p for p, ok in self.files.items() if not ok)
        if invalid:
            self.write(self.rng.choice(invalid))

    def atomic_save(self) -> None:
        path = self.existing() if self.rng.random() < 0.7 else self.new_path()
        if not path:
            return
        folder, _, name = path.rpartition("/")
        temp_name = self.rng.choice([f".{name}.tmp", f"{name}~", f".{name}.swp"])
        temp = self.content / folder / temp_name if folder else self.content / temp_name
        write(temp, self.text())
        if self.rng.random() < 0.3:
            time.sleep(0.08)
        os.replace(temp, self.content / path)
        self.files[path] = True
        self._add_folders(path)

    def delete(self) -> None:
        path = self.existing()
        if path:
            (self.content / path).unlink()
            del self.files[path]

    def rename(self) -> None:
        path = self.existing()
        if path:
            target = self.new_path()
            (self.content / target).parent.mkdir(parents=True, exist_ok=True)
            os.rename(self.content / path, self.content / target)
            self.files[target] = self.files.pop(path)
            self._add_folders(target)

    def create_folder(self) -> None:
        parent = self.folder()
        folder = self.fresh_name("dossier")
        folder = f"{parent}/{folder}" if parent else folder
        for _ in range(self.rng.randint(1, 4)):
            self.write(f"{folder}/{self.fresh_name('f')}.md")
        if self.rng.random() < 0.5:
            self.write(f"{folder}/{self.fresh_name('sous')}/{self.fresh_name('f')}.md")

    def _pick_folder(self) -> str | None:
        return self.rng.choice(sorted(self.folders)) if self.folders else None

    def rename_folder(self) -> None:
        folder = self._pick_folder()
        if folder is None:
            return
        parent = self.rng.choice(["", *sorted(f for f in self.folders if not f.startswith(folder))])
        target = self.fresh_name("renomme")
        target = f"{parent}/{target}" if parent else target
        os.rename(self.content / folder, self.content / target)
        moved = {p for p in self.files if p.startswith(folder + "/")}
        for path in moved:
            self.files[target + path[len(folder) :]] = self.files.pop(path)
        folders = {f for f in self.folders if f == folder or f.startswith(folder + "/")}
        self.folders -= folders
        self.folders |= {target + f[len(folder) :] for f in folders}
        self._add_folders(target + "/x")

    def delete_folder(self) -> None:
        folder = self._pick_folder()
        if folder is None:
            return
        shutil.rmtree(self.content / folder)
        for path in [p for p in self.files if p.startswith(folder + "/")]:
            del self.files[path]
        self.folders -= {f for f in self.folders if f == folder or f.startswith(folder + "/")}

    # attached files: a small PDF or DOCX beside a document, named in its front matter

    def attached_files(self) -> list[Path]:
        return sorted(p for p in self.content.rglob("*") if p.suffix in (".pdf", ".docx"))

    def attachment_bytes(self, suffix: str) -> bytes:
        words = " ".join(self.rng.choice(WORDS) for _ in range(5))
        if suffix == ".pdf":
            return pdf(f"Annexe {words}.", f"Suite {self.rng.choice(WORDS)}.")
        return docx(f"Annexe {self.rng.choice(WORDS)}", [words], [["Zone", "Taux"]], "Fin.")

    def attach(self) -> None:
        """A document is saved naming a new file beside it, written just before."""
        path = self.existing()
        if path:
            folder = (self.content / path).parent
            name = self.fresh_name("annexe") + self.rng.choice([".pdf", ".docx"])
            (folder / name).write_bytes(self.attachment_bytes(Path(name).suffix))
            text = self.text().replace("---\n", f"---\nattachments:\n- {name}\n", 1)
            write(self.content / path, text)
            self.files[path] = True

    def replace_attachment(self) -> None:
        files = self.attached_files()
        if files:
            target = self.rng.choice(files)
            temp = target.with_name(f".{target.name}.tmp")
            temp.write_bytes(self.attachment_bytes(target.suffix))
            os.replace(temp, target)

    def delete_attachment(self) -> None:
        files = self.attached_files()
        if files:
            self.rng.choice(files).unlink()

    def step(self) -> str:
        operations: list[tuple[Callable[[], None], int]] = [
            (self.attach, 5),
            (self.replace_attachment, 4),
            (self.delete_attachment, 2),
            (self.create, 20),
            (self.edit, 18),
            (self.delete, 8),
            (self.rename, 10),
            (self.create_folder, 8),
            (self.rename_folder, 5),
            (self.delete_folder, 3),
            (self.invalid_save, 8),
            (self.fix, 5),
            (self.atomic_save, 12),
        ]
        operation = self.rng.choices([o for o, _ in operations], [w for _, w in operations])[0]
        operation()
        return operation.__name__

    def invalid(self) -> set[str]:
        return {p for p, ok in self.files.items() if not ok}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [20240517])
def test_nothing_lost_under_500_random_operations(
    make_tree: MakeTree, live: Any, tmp_path: Path, seed: int
) -> None:
    """After 500 random operations on files, folders and attached files (a PDF or DOCX
    attached, replaced, deleted), the index equals a fresh full rebuild."""
    rng = random.Random(seed)
    content = make_tree({})
    model = Model(content, rng)
    for _ in range(30):
        if rng.random() < 0.2:
            model.create_folder()
        else:
            model.create()
    running = live(content)
    log: list[str] = []
    for _ in range(500):
        log.append(model.step())
        pause = rng.random()
        time.sleep(0.0 if pause < 0.4 else 0.01 if pause < 0.9 else 0.15)
    running.settle()

    # while files are invalid: they are the invalid ones, and only their ids are extra
    manifest = load_manifest(running.index_dir)
    assert manifest is not None
    assert set(manifest.invalid_paths()) == model.invalid(), log
    fresh = fresh_rebuild(content, tmp_path / "fresh-1")
    live_ids, fresh_ids = set(stored_records(running.index_dir)), set(stored_records(fresh))
    assert fresh_ids <= live_ids, f"lost: {sorted(fresh_ids - live_ids)}"
    extra = {i + ".md" for i in live_ids - fresh_ids}
    assert extra <= model.invalid(), f"extra documents: {sorted(extra - model.invalid())}"

    # once every file is fixed, the index is exactly a fresh rebuild
    for path in sorted(model.invalid()):
        model.write(path)
    running.settle()
    fresh = fresh_rebuild(content, tmp_path / "fresh-2")
    live_records, fresh_records = stored_records(running.index_dir), stored_records(fresh)
    assert set(live_records) == set(fresh_records), (
        f"lost {sorted(set(fresh_records) - set(live_records))}, "
        f"extra {sorted(set(live_records) - set(fresh_records))}"
    )
    differ = sorted(i for i in live_records if live_records[i] != fresh_records[i])
    assert differ == [], {i: (live_records[i], fresh_records[i]) for i in differ[:3]}
    assert any(r["cites"] for r in live_records.values()), "no citation was exercised"
    assert any(r["original"] for r in live_records.values()), "no translation was exercised"
    assert any(r["attachments"] for r in live_records.values()), "no attached file was kept"
    live_manifest, fresh_manifest = load_manifest(running.index_dir), load_manifest(fresh)
    assert live_manifest is not None and fresh_manifest is not None
    assert live_manifest.problems() == fresh_manifest.problems()
    assert running.ids() == set(fresh_records)
    assert_same_suggestions(running.index_dir, fresh, fresh_records)


def test_a_name_that_is_not_utf8_never_stops_the_watcher(make_tree: MakeTree, live: Any) -> None:
    """A file whose name is not UTF-8 appears under a running watcher: it is reported as
    a problem of its path, the watcher keeps running, and a later save is indexed."""
    content = make_tree({"a.md": doc("Alpha")})
    running = live(content)
    with open(os.fsencode(content) + b"/bad\xff.md", "wb") as f:
        f.write(doc("Mauvais nom").encode())
    time.sleep(0.3)
    write(content / "b.md", doc("Bêta", "Le mot zqvoilier est unique."))
    assert wait_until(lambda: running.found("zqvoilier") == {"b"}, 10)
    assert running.watcher._thread is not None and running.watcher._thread.is_alive()
    running.watcher.update(None)  # a full scan reports it
    assert wait_until(lambda: any(
        "bad\\xff.md" in p.path for p in (load_manifest(running.index_dir) or Manifest()).problems()
    ), 5)  # fmt: skip


def test_healthz_says_when_the_watcher_stopped(
    make_tree: MakeTree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A watcher whose thread ends for any reason says so: `/healthz` of the process that
    ran it answers 503 with "watcher": "stopped" and why; the watcher of another process
    killed without a word is reported stopped too, by a reader that stays in service."""
    content = make_tree({"a.md": doc("Alpha")})
    index_dir = tmp_path / "index"
    watcher = Watcher(content, index_dir)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("inotify went away")

    monkeypatch.setattr(watcher, "_follow", broken)
    client = TestClient(create_app(Settings(content=content, index=index_dir)))
    watcher.start()
    assert watcher._thread is not None
    watcher._thread.join(timeout=10)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["watcher"] == "stopped"
    assert "inotify went away" in response.json()["reason"]
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    record = {"state": "running", "pid": int(dead.stdout), "reason": ""}
    (index_dir / ".watcher").write_text(json.dumps(record), encoding="utf-8")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["watcher"] == "stopped"
    gone = f"the process {dead.stdout.strip()} that ran it is gone"
    assert response.json()["watcher_reason"] == gone
    IndexStore(index_dir).say_watcher("running")
    assert client.get("/healthz").json()["watcher"] == "running"


def test_serve_stopped_by_sigterm_stops_its_watcher_as_asked(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """`docrepo serve` ended by SIGTERM (what a service manager sends) stops its watcher
    as asked: exit 0 and no "stopped" left for the readers of the index to report."""
    from support.server import free_port

    content = make_tree({"a.md": doc("Alpha")})
    index_dir = tmp_path / "index"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "docrepo", "serve", "--content", str(content), "--index",
         str(index_dir), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert wait_until(lambda: (index_dir / ".watcher").exists(), 30)
        assert json.loads((index_dir / ".watcher").read_text())["state"] == "running"
        time.sleep(0.5)
        server.terminate()
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
    assert not (index_dir / ".watcher").exists()


def test_a_symbolic_link_to_a_parent_never_stops_a_polling_watcher(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """`ln -s . pages/loop` makes watchfiles' polling fail ("File system loop found"):
    the watcher falls back to full scans (which follow no link) and still indexes."""
    content = make_tree({"pages/a.md": doc("Alpha")})
    (content / "pages" / "loop").symlink_to(".")
    watcher = Watcher(content, tmp_path / "index", force_polling=True)
    watcher.start()
    try:
        time.sleep(1.0)
        write(content / "pages" / "b.md", doc("Bêta", "Le mot zqboucle est unique."))
        library = Library(tmp_path / "index")

        def found() -> int:
            return library.search(SearchRequest(q="zqboucle"), EVERYONE).total

        assert wait_until(lambda: found() == 1, 15)
        assert watcher._thread is not None and watcher._thread.is_alive()
    finally:
        watcher.stop()
    assert IndexStore(tmp_path / "index").watcher_state() is None
