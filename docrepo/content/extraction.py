"""The text of an attached file: a PDF page by page, a DOCX or an ODT as one page.

`extract` reads one file in the process that calls it and never raises for a bad file:
what keeps its text from being read is a `Finding` (an encrypted or damaged file, a zip
bomb, a PDF without a text layer). It trusts nothing else about the file, but it does
not limit its own time or memory: the writer runs it in a process of its own, with
limits (`docrepo.indexing.extracting`), so that a file built to hang or to eat memory
costs that file only. The libraries, and why these, are in docs/attachments.md.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..errors import Level
from ..i18n import N_

#: bump when what is extracted of a file changes: cached extractions of another version
#: are made again
EXTRACTION_VERSION = "1"

PDF, DOCX, ODT, OTHER = "pdf", "docx", "odt", "other"
_KINDS = {".pdf": PDF, ".docx": DOCX, ".odt": ODT}

#: a DOCX or ODT is a zip: what it may unpack to, in all, and how many times its own size
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 100
#: a ratio matters above this size only (a small XML file packs 100 times legitimately)
RATIO_FROM = 10 * 1024 * 1024
MAX_MEMBERS = 10_000
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Finding:
    """What kept an attached file's text from being read, or a part of it: a message
    marked with N_() that names `{name}` (the attachment, filled in by whoever knows it)
    and its own values."""

    level: Level
    message: str
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, level: Level, message: str, **values: object) -> Finding:
        return cls(level, message, tuple((k, str(v)) for k, v in values.items()))


@dataclass(frozen=True)
class Extraction:
    """The text of one file: one string per page of a PDF, a single page for a DOCX or
    an ODT, none for another kind of file or a file that could not be read."""

    kind: str
    pages: tuple[str, ...] = ()
    #: a PDF's number of pages (None: a file without pages)
    page_count: int | None = None
    findings: tuple[Finding, ...] = ()


def kind_of(name: str) -> str:
    """The kind of a file from its name: pdf, docx, odt, or other (served, not read)."""
    return _KINDS.get(PurePosixPath(name).suffix.lower(), OTHER)


DAMAGED = N_(
    "attachment '{name}': the file is damaged or is not a {kind} file ({reason}); export or "
    "save it again"
)
ENCRYPTED = N_(
    "attachment '{name}': the PDF is protected by a password, so its text cannot be read; "
    "attach a copy without a password"
)
NO_TEXT = N_(
    "attachment '{name}': the PDF has no text layer (a scan?): it is served but its text is "
    "not searchable; attach a PDF with text, e.g. after character recognition (OCR)"
)
ZIP_BOMB = N_(
    "attachment '{name}': the file would unpack to {size} MB, {ratio} times its size: "
    "refused as a zip bomb; save it again from its editor"
)


def extract(data: bytes, kind: str) -> Extraction:
    """The text of a file's bytes, of a given kind (`kind_of`); never raises for a bad
    file (but for MemoryError)."""
    if kind == OTHER:
        return Extraction(kind)
    try:
        if kind == PDF:
            return _pdf(data)
        bomb = _zip_bomb(data)
        if bomb is not None:
            return Extraction(kind, findings=(bomb,))
        page = _docx(data) if kind == DOCX else _odt(data)
        return Extraction(kind, (page,))
    except MemoryError:
        raise  # the caller's limit: said by whoever set it
    except Exception as exc:  # a hostile file may make any library raise anything
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        return Extraction(kind, findings=(Finding.of("error", DAMAGED, kind=kind.upper(),
                                                     reason=reason),))  # fmt: skip


def _pdf(data: bytes) -> Extraction:
    import pypdfium2 as pdfium  # a native library: loaded where files are read only

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            return Extraction(PDF, findings=(Finding.of("error", ENCRYPTED),))
        raise
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            try:
                text = page.get_textpage()
                try:
                    pages.append(_clean(text.get_text_bounded()))
                finally:
                    text.close()
            finally:
                page.close()
    finally:
        document.close()
    findings = () if any(pages) else (Finding.of("warning", NO_TEXT),)
    return Extraction(PDF, tuple(pages), len(pages), findings)


def _clean(text: str) -> str:
    """PDFium's text with its line ends as `\\n` and without the spaces ending lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def _zip_bomb(data: bytes) -> Finding | None:
    """A zip that would unpack to too much, in all or for its size: said from the sizes its
    members declare, then checked while reading every member (zipfile stops a member at
    its declared size and checks its CRC: a member that lies about its size is damaged)."""
    limit = min(MAX_UNZIPPED, max(RATIO_FROM, len(data) * MAX_RATIO))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        declared = sum(m.file_size for m in members)
        if len(members) > MAX_MEMBERS or declared > limit:
            return _bomb(declared, len(data))
        unpacked = 0
        for member in members:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    unpacked += len(chunk)
                    if unpacked > limit:
                        return _bomb(unpacked, len(data))
    return None


def _bomb(unpacked: int, size: int) -> Finding:
    return Finding.of("error", ZIP_BOMB, size=round(unpacked / (1024 * 1024)),
                      ratio=round(unpacked / size))  # fmt: skip


def _docx(data: bytes) -> str:
    """A Word file's paragraphs (headings among them) and tables, in reading order."""
    import docx

    return "\n".join(_docx_blocks(docx.Document(io.BytesIO(data))))


def _docx_blocks(container: Any) -> Iterator[str]:
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:  # a merged cell is listed once per grid column
                    if cell is not previous:
                        cells.append(" ".join(_docx_blocks(cell)))
                    previous = cell
                line = "\t".join(c for c in cells if c)
                if line:
                    yield line
        elif block.text.strip():
            yield block.text.strip()


def _odt(data: bytes) -> str:
    """An OpenDocument text's headings, paragraphs, lists and tables, in reading order."""
    from odf.opendocument import load

    return "\n".join(_odt_blocks(load(io.BytesIO(data)).text))


def _odt_blocks(element: Any) -> Iterator[str]:
    from odf import teletype

    for child in element.childNodes:
        name = getattr(child, "qname", (None, None))[1]
        if name in ("h", "p"):
            text = teletype.extractText(child).strip()
            if text:
                yield text
        elif name == "table-row":
            cells = [" ".join(_odt_blocks(cell)) for cell in child.childNodes]
            line = "\t".join(c for c in cells if c)
            if line:
                yield line
        elif name is not None:  # tables, their row groups, lists, sections, frames…
            yield from _odt_blocks(child)
