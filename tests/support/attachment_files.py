"""Real attached files made in the tests: PDF (reportlab), DOCX (python-docx), ODT (odfpy),
and hostile ones (encrypted, truncated, a scan without text, a zip bomb)."""

from __future__ import annotations

import io
import zipfile

import docx
from odf.opendocument import OpenDocumentText
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, P
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate
from reportlab.platypus import Table as PdfTable

Rows = list[list[str]]


def pdf(*pages: str, table: Rows | None = None) -> bytes:
    """A PDF with one paragraph per page, and a table on the first page."""
    styles = getSampleStyleSheet()
    story: list[object] = []
    for number, text in enumerate(pages):
        if number:
            story.append(PageBreak())
        story.append(Paragraph(text, styles["BodyText"]))
        if table and not number:
            story.append(PdfTable(table))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()


def many_pages(count: int) -> bytes:
    """A PDF of `count` pages of text, drawn directly (fast to make)."""
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=A4)
    for number in range(count):
        for line in range(40):
            sheet.drawString(
                60, 780 - 18 * line, f"Page {number + 1}, ligne {line}: frais de mission"
            )
        sheet.showPage()
    sheet.save()
    return out.getvalue()


def encrypted(data: bytes, password: str = "secret") -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scan() -> bytes:
    """A PDF whose only page is an image: no text layer."""
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=A4)
    sheet.setFillColorRGB(0.2, 0.2, 0.2)
    sheet.rect(60, 500, 400, 200, fill=1)  # what a scanner gives: marks, no characters
    sheet.showPage()
    sheet.save()
    return out.getvalue()


def word(heading: str, paragraphs: list[str], table: Rows, after: str) -> bytes:
    """A DOCX: a heading, paragraphs, a table, then a paragraph after it."""
    document = docx.Document()
    document.add_heading(heading, 1)
    for text in paragraphs:
        document.add_paragraph(text)
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    document.add_paragraph(after)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt(heading: str, paragraphs: list[str], table: Rows, after: str) -> bytes:
    """An ODT: a heading, paragraphs, a table, then a paragraph after it."""
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=heading))
    for text in paragraphs:
        document.text.addElement(P(text=text))
    grid = Table()
    grid.addElement(TableColumn(numbercolumnsrepeated=len(table[0])))
    for row in table:
        line = TableRow()
        for text in row:
            cell = TableCell()
            cell.addElement(P(text=text))
            line.addElement(cell)
        grid.addElement(line)
    document.text.addElement(grid)
    document.text.addElement(P(text=after))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb(data: bytes, megabytes: int = 300) -> bytes:
    """A DOCX or ODT with one more member of `megabytes` zeros (it packs to ~0.1 %)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for member in source.infolist():
            bomb.writestr(member, source.read(member))
        with bomb.open("media/zeros.bin", "w") as zeros:
            for _ in range(megabytes):
                zeros.write(bytes(1024 * 1024))
    return out.getvalue()
