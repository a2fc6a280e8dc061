"""The text of attached files made in the test: a PDF page by page (its table too), a DOCX
and an ODT with their headings and tables in reading order; hostile files give a finding,
never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from docrepo.content.extraction import (
    DAMAGED,
    ENCRYPTED,
    NO_TEXT,
    ZIP_BOMB,
    Extraction,
    Finding,
    extract,
    kind_of,
)
from docrepo.content.tree import scan
from support import attachment_files as files

FORMAT_ERROR = "Failed to load document (PDFium: Data format error)."
RATES = [["Ville", "Nuitée", "Repas"], ["Paris", "110 €", "20 €"], ["Lyon", "90 €", "20 €"]]


def test_a_pdf_gives_one_text_per_page_with_its_table_row_by_row() -> None:
    """Each page is its own text; a table's row reads as one line, left to right."""
    data = files.pdf("Barème des indemnités de mission", "Annexe 2 : pièces justificatives",
                     table=RATES)  # fmt: skip
    assert extract(data, "pdf") == Extraction(
        "pdf",
        (
            "Barème des indemnités de mission\nVille Nuitée Repas\nParis 110 € 20 €\n"
            "Lyon 90 € 20 €",
            "Annexe 2 : pièces justificatives",
        ),
        2,
    )


def test_a_docx_gives_its_heading_paragraphs_and_table_in_reading_order() -> None:
    """One page: the heading, the paragraphs, the table (cells split by tabs), what follows."""
    data = files.word("Demande de télétravail", ["Nom de l'agent :", "Unité :"],
                      [["Jour", "Lundi"], ["Quotité", "2 jours"]], "Signature")  # fmt: skip
    assert extract(data, "docx") == Extraction(
        "docx",
        ("Demande de télétravail\nNom de l'agent :\nUnité :\nJour\tLundi\nQuotité\t2 jours\n"
         "Signature",),
    )  # fmt: skip


def test_an_odt_gives_its_heading_paragraphs_and_table_in_reading_order() -> None:
    rows = [["Destination", "Lyon"], ["Transport", "Train"]]
    data = files.odt("Ordre de mission", ["Objet de la mission :"], rows, "Fin du formulaire")
    assert extract(data, "odt") == Extraction(
        "odt",
        ("Ordre de mission\nObjet de la mission :\nDestination\tLyon\nTransport\tTrain\n"
         "Fin du formulaire",),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.PDF", "pdf"), ("b.docx", "docx"), ("c.odt", "odt"), ("d.xlsx", "other"), ("e", "other")],
)
def test_the_kind_is_that_of_the_file_name(name: str, kind: str) -> None:
    assert kind_of(name) == kind


def test_another_kind_of_file_has_no_text() -> None:
    assert extract(b"ville;nuitee\n", "other") == Extraction("other")


def test_an_encrypted_pdf_is_said_so() -> None:
    data = files.encrypted(files.pdf("Décision signée"))
    assert extract(data, "pdf") == Extraction("pdf", findings=(Finding("error", ENCRYPTED),))


def test_a_pdf_with_only_an_image_is_a_scan() -> None:
    """Its page is there, without text: a warning, not an error."""
    assert extract(files.scan(), "pdf") == Extraction(
        "pdf", ("",), 1, (Finding("warning", NO_TEXT),)
    )


@pytest.mark.parametrize(
    ("data", "kind", "reason"),
    [
        (files.pdf("Décision")[:400], "pdf", FORMAT_ERROR),
        (b"%PDF-1.7\nnot a pdf", "pdf", FORMAT_ERROR),
        (files.word("T", ["P"], [["a"]], "F")[:5000], "docx", "File is not a zip file"),
        (files.odt("T", ["P"], [["a"]], "F")[:900], "odt", "File is not a zip file"),
        (files.word("T", ["P"], [["a"]], "F"), "odt",
         "\"There is no item named 'META-INF/manifest.xml' in the archive\""),
    ],
    ids=["truncated-pdf", "not-a-pdf", "truncated-docx", "truncated-odt", "docx-named-odt"],
)  # fmt: skip
def test_a_damaged_file_is_said_so_with_the_reason(data: bytes, kind: str, reason: str) -> None:
    assert extract(data, kind) == Extraction(
        kind, findings=(Finding.of("error", DAMAGED, kind=kind.upper(), reason=reason),)
    )


def test_a_zip_bomb_is_refused_from_its_declared_sizes() -> None:
    """300 MB of zeros in a DOCX: refused (over the 200 MB cap, and the ratio) before any
    XML is parsed."""
    bomb = files.zip_bomb(files.word("T", ["P"], [["a"]], "F"), megabytes=300)
    declared = 300 * 1024 * 1024 + sum(  # the DOCX's own members (its styles: ~0.6 MB)
        len(p) for p in _members(files.word("T", ["P"], [["a"]], "F"))
    )
    expected = Finding.of("error", ZIP_BOMB, size=round(declared / 1024 / 1024),
                          ratio=round(declared / len(bomb)))  # fmt: skip
    assert extract(bomb, "docx") == Extraction("docx", findings=(expected,))


def test_a_lying_member_size_is_damage(tmp_path: Path) -> None:
    """A member that declares fewer bytes than it holds is read up to what it declares,
    then fails its checksum: damaged, never inflated past its declaration."""
    good = files.odt("T", ["P"], [["a"]], "F")
    lie = bytearray(good)
    name = b"content.xml"
    central = lie.rindex(b"PK\x01\x02", 0, lie.rindex(name))  # its central directory entry
    lie[central + 24 : central + 28] = (10).to_bytes(4, "little")  # uncompressed size: 10
    finding = extract(bytes(lie), "odt").findings
    assert [f.message for f in finding] == [DAMAGED]


def test_the_tree_walker_never_takes_an_attachment_for_a_document(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    for name in ("n.md", "n.pdf", "n.docx", "n.odt", "n.md.pdf"):
        (tmp_path / "notes" / name).write_bytes(b"x")
    assert list(scan(tmp_path).files) == ["notes/n.md"]


def _members(data: bytes) -> list[bytes]:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [archive.read(m) for m in archive.infolist()]


def test_a_merged_cell_of_a_docx_table_is_read_once() -> None:
    import io

    import docx

    document = docx.Document()
    grid = document.add_table(rows=2, cols=3)
    grid.cell(0, 0).merge(grid.cell(0, 1)).text = "Zone et nuitée"
    grid.cell(0, 2).text = "Repas"
    for column, text in enumerate(["Paris", "120 €", "20 €"]):
        grid.cell(1, column).text = text
    out = io.BytesIO()
    document.save(out)
    assert extract(out.getvalue(), "docx").pages == ("Zone et nuitée\tRepas\nParis\t120 €\t20 €",)
