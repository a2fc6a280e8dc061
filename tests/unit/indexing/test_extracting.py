"""The writer's door to attachments (`read_attachments`): each file's pages, read in a
process apart within limits of time and memory, kept by content hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from docrepo.content.attachments import Attachment, AttachmentText
from docrepo.content.documents import parse_file
from docrepo.content.taxonomy import load_taxonomy
from docrepo.indexing import extracting
from docrepo.indexing.extracting import Limits, read_attachments
from docrepo.store.extraction_cache import ExtractionCache
from support import attachment_files as files
from support.trees import MakeTree

NOTE = (
    "---\ntitle: Note\ntype: page\nsummary: Les frais.\nattachments: [{files}]\n---\n\n"
    "Texte de la note.\n"
)
ANNEX = files.pdf("Barème des nuitées", "Pièces justificatives")
FORM = files.word("Ordre de mission", ["Objet :"], [["Destination", "Lyon"]], "Signature")


NO_LIMITS = Limits()


def read(content: Path, index: Path | None, limits: Limits = NO_LIMITS, max_mb: int = 50):  # type: ignore[no-untyped-def]
    """The attachments of notes/n.md, and their problems as `docrepo check` prints them."""
    taxonomy, _ = load_taxonomy(content)
    document = parse_file(content / "notes/n.md", content, taxonomy).document
    assert document is not None
    cache = ExtractionCache(index) if index is not None else None
    found = read_attachments(content, [document], max_mb=max_mb, cache=cache, limits=limits)
    attachments = found[document.id]
    return attachments.texts, [str(p) for p in attachments.problems]


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_each_attachment_gives_its_pages_kind_and_hash(make_tree: MakeTree) -> None:
    content = make_tree(
        {
            "notes/n.md": NOTE.format(files="annexe.pdf, {file: om.docx, title: OM, lang: en}, "
                                            "photo.jpg"),
            "notes/annexe.pdf": ANNEX,
            "notes/om.docx": FORM,
            "notes/photo.jpg": b"\xff\xd8\xff",
        }
    )  # fmt: skip
    texts, problems = read(content, None)
    assert problems == []
    assert texts == [
        AttachmentText(Attachment("annexe.pdf"), "notes/annexe.pdf", len(ANNEX), "pdf",
                       ("Barème des nuitées", "Pièces justificatives"), 2, _sha(ANNEX)),
        AttachmentText(Attachment("om.docx", "OM", "en"), "notes/om.docx", len(FORM), "docx",
                       ("Ordre de mission\nObjet :\nDestination\tLyon\nSignature",), None,
                       _sha(FORM)),
        AttachmentText(Attachment("photo.jpg"), "notes/photo.jpg", 3, "other", (), None,
                       _sha(b"\xff\xd8\xff")),
    ]  # fmt: skip


def test_a_file_left_out_is_not_served_and_its_problem_is_on_the_line(make_tree: MakeTree) -> None:
    """A missing file and a too large one are left out; an encrypted one is served without
    text; the others are read as usual."""
    content = make_tree(
        {
            "notes/n.md": NOTE.format(files="absente.pdf, grosse.pdf, signe.pdf, annexe.pdf"),
            "notes/grosse.pdf": ANNEX + bytes(2 * 1024 * 1024),
            "notes/signe.pdf": files.encrypted(ANNEX),
            "notes/annexe.pdf": ANNEX,
        }
    )
    texts, problems = read(content, None, max_mb=1)
    assert [(t.path, t.pages) for t in texts] == [
        ("notes/signe.pdf", ()),
        ("notes/annexe.pdf", ("Barème des nuitées", "Pièces justificatives")),
    ]
    assert [p.split(": ", 2)[:2] for p in problems] == [["notes/n.md:5", "error"]] * 3
    assert ["absente.pdf" in problems[0], "grosse.pdf" in problems[1],
            "signe.pdf" in problems[2]] == [True] * 3  # fmt: skip


def _no_reading(*args: object) -> list[object]:
    raise AssertionError("a file was read again")


def test_an_unchanged_file_is_read_once_even_renamed(
    make_tree: MakeTree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second time, and after a rename, the text comes from the cache by content hash;
    a changed file is read again."""
    content = make_tree({"notes/n.md": NOTE.format(files="annexe.pdf"), "notes/annexe.pdf": ANNEX})
    index = tmp_path / "index"
    first, _ = read(content, index)
    assert (index / "extractions.sqlite").is_file()
    with monkeypatch.context() as patch:
        patch.setattr(extracting, "_read_apart", _no_reading)
        assert read(content, index)[0] == first
        (content / "notes/annexe.pdf").rename(content / "notes/barème.pdf")
        (content / "notes/n.md").write_text(NOTE.format(files="barème.pdf"), encoding="utf-8")
        [renamed], _ = read(content, index)
        assert (renamed.path, renamed.pages) == ("notes/barème.pdf", first[0].pages)
    (content / "notes/barème.pdf").write_bytes(files.pdf("Nouveau barème"))
    [changed], _ = read(content, index)
    assert changed.pages == ("Nouveau barème",)


def test_a_file_over_its_time_is_stopped_and_costs_that_file_only(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """A long PDF read with a tiny time limit: its process is killed, its problem said, the
    other file of the batch read, this process untouched; a time limit met is not cached."""
    content = make_tree(
        {
            "notes/n.md": NOTE.format(files="long.pdf, om.docx"),
            # 1,200 pages: over 0.2 s even when PDFium reads 3,000 pages/s (400 were not)
            "notes/long.pdf": files.many_pages(1200),
            "notes/om.docx": FORM,
        }
    )
    limits = Limits(seconds=0.2, processes=2)
    texts, problems = read(content, tmp_path / "index", limits)
    assert problems == [
        "notes/n.md:5: error: attachment 'long.pdf': reading its text took more than 0.2 s and "
        "was stopped: the file is served, but its text is not searchable"
    ]
    assert [(t.path, len(t.pages)) for t in texts] == [("notes/long.pdf", 0), ("notes/om.docx", 1)]
    texts, problems = read(content, tmp_path / "index")
    assert problems == [] and len(texts[0].pages) == 1200


def test_a_file_over_its_memory_is_stopped_and_costs_that_file_only(make_tree: MakeTree) -> None:
    """With 1 MB more than a reader starts with, parsing a DOCX runs out of memory: said so,
    and the next file is read by a new process."""
    content = make_tree(
        {
            "notes/n.md": NOTE.format(files="om.docx, annexe.pdf"),
            "notes/om.docx": files.word("Ordre", ["x" * 200_000], [["a", "b"]], "Fin"),
            "notes/annexe.pdf": ANNEX,
        }
    )
    texts, problems = read(content, None, Limits(memory_mb=1, processes=1))
    assert problems == [
        "notes/n.md:5: error: attachment 'om.docx': reading its text needed more than 1 MB of "
        "memory and was stopped: the file is served, but its text is not searchable"
    ]
    assert texts[1].pages == ("Barème des nuitées", "Pièces justificatives")


def test_a_reader_that_died_waiting_costs_the_file_it_was_given_only(
    make_tree: MakeTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader killed between two files (by the kernel's out-of-memory killer, say): the
    file it is then given is said not read, and the reading goes on with a new process."""
    content = make_tree(
        {
            "notes/n.md": NOTE.format(files="annexe.pdf, om.docx, suite.pdf"),
            "notes/annexe.pdf": ANNEX,
            "notes/om.docx": FORM,
            "notes/suite.pdf": files.pdf("Suite des barèmes"),
        }
    )
    give = extracting._Worker.give
    given: list[str] = []

    def give_to_a_dead_reader(
        worker: extracting._Worker, index: int, path: Path, kind: str
    ) -> None:
        given.append(path.name)
        if path.name == "om.docx":
            worker.process.kill()
            worker.process.join()
        give(worker, index, path, kind)

    monkeypatch.setattr(extracting._Worker, "give", give_to_a_dead_reader)
    texts, problems = read(content, None, Limits(processes=1))
    assert given == ["annexe.pdf", "om.docx", "suite.pdf"]
    assert problems == [
        "notes/n.md:5: error: attachment 'om.docx': reading its text stopped (its reading "
        "process had ended: signal 9): the file may be damaged; it is served, but its text is "
        "not searchable"
    ]
    assert [t.pages for t in texts] == [
        ("Barème des nuitées", "Pièces justificatives"),
        (),
        ("Suite des barèmes",),
    ]
