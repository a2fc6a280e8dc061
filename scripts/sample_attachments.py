"""Write the sample's attached files into content/, beside the documents that declare them.

    python scripts/sample_attachments.py     # with the `sample` extra: pip install -e '.[sample]'

The sample's PDF, DOCX and ODT files are made here, by the project's own tools, from
texts written here (and, for the signed originals, from their decisions' own text): no
file of unknown origin is committed. Run again (each time in a new interpreter: odfpy
declares the namespaces a process has used so far), it writes the same bytes: the
PDFs' dates and ids and the zips' dates are fixed. Each file is declared in the
`attachments:` of its document.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from pathlib import Path

import docx
from odf.opendocument import OpenDocumentText
from odf.table import Table as OdfTable
from odf.table import TableCell, TableColumn, TableRow
from odf.text import H, P
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"

Rows = list[list[str]]
#: a block of a text: ("h", title), ("p", paragraph), ("table", rows) or ("page", "")
Block = tuple[str, object]


def pdf(title: str, blocks: list[Block]) -> bytes:
    """A PDF (reportlab) of headings, paragraphs, tables and page breaks."""
    styles = getSampleStyleSheet()
    story: list[object] = []
    for kind, value in blocks:
        if kind == "h":
            story.append(Paragraph(_escape(str(value)), styles["Heading2"]))
        elif kind == "p":
            story.append(Paragraph(_escape(str(value)), styles["BodyText"]))
        elif kind == "page":
            story.append(PageBreak())
        else:
            rows = [[Paragraph(_escape(c), styles["BodyText"]) for c in r] for r in value]  # type: ignore[attr-defined]
            table = Table(rows, repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#777777"),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))  # fmt: skip
            story += [table, Spacer(1, 8)]
    out = io.BytesIO()
    # invariant=True: no creation date, a fixed id: the same text gives the same bytes
    SimpleDocTemplate(out, pagesize=A4, title=title, author="docrepo sample",
                      invariant=True).build(story)  # fmt: skip
    return out.getvalue()


def word(blocks: list[Block]) -> bytes:
    """A DOCX (python-docx) of the same blocks."""
    document = docx.Document()
    document.core_properties.author = "docrepo sample"
    for kind, value in blocks:
        if kind == "h":
            document.add_heading(str(value), 2)
        elif kind == "p":
            document.add_paragraph(str(value))
        elif kind == "table":
            rows: Rows = value  # type: ignore[assignment]
            grid = document.add_table(rows=len(rows), cols=len(rows[0]))
            grid.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    grid.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue())


def odt(blocks: list[Block]) -> bytes:
    """An ODT (odfpy) of the same blocks."""
    document = OpenDocumentText()
    for kind, value in blocks:
        if kind == "h":
            document.text.addElement(H(outlinelevel=2, text=str(value)))
        elif kind == "p":
            document.text.addElement(P(text=str(value)))
        elif kind == "table":
            rows: Rows = value  # type: ignore[assignment]
            grid = OdfTable()
            grid.addElement(TableColumn(numbercolumnsrepeated=len(rows[0])))
            for row in rows:
                line = TableRow()
                for text in row:
                    cell = TableCell()
                    cell.addElement(P(text=text))
                    line.addElement(cell)
                grid.addElement(line)
            document.text.addElement(grid)
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with its members' dates fixed and its metadata's dates dropped, so
    that running the script again writes the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as fixed:
        for member in source.infolist():
            body = source.read(member)
            if member.filename in ("docProps/core.xml", "meta.xml"):
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", b"2025-01-01T00:00:00Z",
                              body)  # fmt: skip
            info = zipfile.ZipInfo(member.filename, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = member.compress_type
            fixed.writestr(info, body)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(markdown: str) -> str:
    """A line of Markdown as plain text: links, emphasis and code marks dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"\*\*|\*|`", "", text).strip()


def markdown_blocks(path: Path) -> list[Block]:
    """A document's body (after its front matter) as blocks: its own text, as signed."""
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    blocks: list[Block] = []
    rows: Rows = []
    for line in body.splitlines() + [""]:
        if line.startswith("|"):
            cells = [_plain(c) for c in line.strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                rows.append(cells)
            continue
        if rows:
            blocks.append(("table", rows))
            rows = []
        if line.startswith("#"):
            blocks.append(("h", _plain(line.lstrip("#"))))
        elif line.strip():
            blocks.append(("p", _plain(re.sub(r"^(\s*[-*]|\s*\d+\.)\s+", "– ", line))))
    return blocks


def signed_original(document: str, signed: str, register: str) -> bytes:
    """The signed original of a decision: its text, then the signature and registration."""
    path = CONTENT / f"{document}.md"
    reference = path.stem.upper()
    blocks: list[Block] = [
        ("p", f"Décision {reference} — copie conforme de l'original signé"),
        *markdown_blocks(path),
        ("h", "Signature"),
        ("p", "Le président-directeur général"),
        ("p", f"Original signé le {signed}, conservé par la direction des affaires juridiques "
              f"sous le numéro d'enregistrement {register}."),
        ("p", "Le présent exemplaire, certifié conforme, fait foi en cas de divergence avec le "
              "texte publié en ligne."),
    ]  # fmt: skip
    return pdf(f"{reference} (original signé)", blocks)


#: the annex of the travel circular: per-zone ceilings, per-country allowances, mileage
TRAVEL_RATES: list[Block] = [
    ("h", "Annexe 1 à la circulaire CIR230008DSFIM — barèmes des frais de déplacement"),
    ("p", "Les montants ci-dessous s'appliquent aux missions dont le départ a lieu à compter "
          "du 16 janvier 2023. Ils sont des plafonds : seuls les frais réellement engagés et "
          "justifiés sont remboursés."),
    ("h", "1. Hébergement et repas en France métropolitaine"),
    ("table", [["Zone", "Nuitée (plafond)", "Repas (forfait)", "Petit déjeuner"],
               ["Paris intra-muros", "120 €", "20 €", "inclus dans la nuitée"],
               ["Grandes villes et Grand Paris", "90 €", "20 €", "inclus dans la nuitée"],
               ["Autres communes", "75 €", "20 €", "inclus dans la nuitée"]]),
    ("p", "Un agent en situation de handicap ou accompagné d'un enfant de moins de trois ans "
          "peut bénéficier d'un plafond de nuitée majoré de 30 % sur décision du délégué "
          "régional."),
    ("h", "2. Outre-mer"),
    ("table", [["Territoire", "Nuitée (plafond)", "Repas (forfait)"],
               ["Guadeloupe, Martinique, Guyane, La Réunion, Mayotte", "90 €", "20 €"],
               ["Nouvelle-Calédonie, Polynésie française, Wallis-et-Futuna", "120 €", "25 €"]]),
    ("page", ""),
    ("h", "3. Indemnités journalières à l'étranger (extrait)"),
    ("p", "L'indemnité journalière couvre l'hébergement et les repas ; elle est réduite de "
          "65 % lorsque l'hébergement est fourni gratuitement. Pays les plus fréquents dans "
          "les missions des unités :"),
    ("table", [["Pays", "Ville", "Indemnité journalière"],
               ["Allemagne", "Berlin", "140 €"],
               ["Belgique", "Bruxelles", "150 €"],
               ["Canada", "Montréal", "175 $ CA"],
               ["États-Unis", "New York", "310 $ US"],
               ["Japon", "Tokyo", "23 000 ¥"],
               ["Royaume-Uni", "Londres", "170 £"],
               ["Singapour", "Singapour", "250 $ SG"],
               ["Suisse", "Genève", "240 CHF"]]),
    ("page", ""),
    ("h", "4. Indemnités kilométriques (véhicule personnel autorisé)"),
    ("table", [["Puissance fiscale", "Jusqu'à 2 000 km", "De 2 001 à 10 000 km",
                "Au-delà de 10 000 km"],
               ["5 CV et moins", "0,32 €/km", "0,40 €/km", "0,23 €/km"],
               ["6 et 7 CV", "0,41 €/km", "0,51 €/km", "0,30 €/km"],
               ["8 CV et plus", "0,45 €/km", "0,55 €/km", "0,32 €/km"]]),
    ("h", "5. Pièces justificatives"),
    ("p", "Sont joints à l'état de frais : les titres de transport ou leur facture, la facture "
          "d'hébergement nominative, les reçus de péage et de stationnement, et, pour un "
          "véhicule personnel, la copie de la carte grise et de l'attestation d'assurance. "
          "Les tickets de restaurant ne sont pas demandés : le repas est forfaitaire."),
]  # fmt: skip

TELEWORK_FORM: list[Block] = [
    ("h", "Demande d'autorisation de télétravail"),
    ("p", "Formulaire à compléter par l'agent et à remettre à son directeur d'unité ou "
          "responsable de service, lorsque la demande ne peut être déposée dans "
          "l'application RH (circulaires CIR240006DRH et CIR250011DRH)."),
    ("h", "1. Identification de l'agent"),
    ("table", [["Nom, prénom", ""], ["Corps, grade ou type de contrat", ""],
               ["Unité ou service (code et intitulé)", ""], ["Délégation régionale", ""],
               ["Quotité de travail", "temps plein / temps partiel (…… %)"]]),
    ("h", "2. Formule demandée"),
    ("table", [["Formule", "Choix", "Précisions"],
               ["jours fixes", "☐", "lundi ☐ mardi ☐ mercredi ☐ jeudi ☐ vendredi ☐"],
               ["forfait annuel", "☐", "nombre de jours : …… (80 au maximum)"],
               ["mixte", "☐", "1 jour fixe et …… jours flottants (30 au maximum)"]]),
    ("h", "3. Lieu d'exercice et équipement"),
    ("p", "Domicile ☐  autre lieu privé en France ☐  tiers-lieu ☐ (adresse : ……)"),
    ("p", "Équipement fourni par l'unité : ordinateur portable ☐  écran ☐  casque ☐  "
          "téléphone ☐"),
    ("h", "4. Attestations de l'agent"),
    ("p", "☐ J'atteste disposer d'un espace de travail adapté et d'une connexion suffisante, "
          "et que l'installation électrique est conforme ; j'ai informé mon assureur."),
    ("h", "5. Avis et décision"),
    ("table", [["", "Avis ou décision", "Date et signature"],
               ["Responsable hiérarchique direct", "favorable ☐ défavorable ☐", ""],
               ["Directeur d'unité ou responsable de service",
                "accordé ☐ refusé ☐ (motif obligatoire)", ""]]),
    ("p", "Un refus peut être porté devant la commission administrative paritaire ou la "
          "commission consultative paritaire compétente."),
]  # fmt: skip

MISSION_ORDER_FORM: list[Block] = [
    ("h", "Ordre de mission — mode dégradé"),
    ("p", "À n'utiliser que lorsque l'application de gestion des missions est indisponible ; "
          "la mission est régularisée dans l'application dès son retour (INS220011DSFIM)."),
    ("h", "A. Missionnaire"),
    ("table", [["Nom, prénom", ""],
               ["Statut", "titulaire ☐ contractuel ☐ doctorant ☐ invité ☐"],
               ["Unité (code)", ""], ["Résidence administrative", ""]]),
    ("h", "B. Mission"),
    ("table", [["Objet", ""], ["Lieu(x) et pays", ""],
               ["Couleur de la zone", "vert ☐ jaune ☐ orange ☐ (avis du FSD joint)"],
               ["Départ (date, heure)", ""], ["Retour (date, heure)", ""]]),
    ("h", "C. Transport"),
    ("p", "Train ☐  avion ☐ (dérogation motivée si le train met moins de quatre heures)  "
          "véhicule de service ☐  véhicule personnel ☐ (autorisation préalable)"),
    ("h", "D. Imputation des frais"),
    ("table", [["Imputation", "Référence"], ["Crédits de l'unité", "centre financier : ……"],
               ["Contrat de recherche", "référence du projet : ……"],
               ["Organisme extérieur", "nom : ……"]]),
    ("p", "Demande d'avance (missions de plus de cinq jours à l'étranger) ☐"),
    ("h", "E. Signatures"),
    ("table", [["Rôle", "Nom", "Date", "Signature"], ["Missionnaire", "", "", ""],
               ["Directeur d'unité ou délégataire", "", "", ""]]),
]  # fmt: skip

SECURITY_BRIEFING: list[Block] = [
    ("h", "Security briefing for missions abroad"),
    ("p", "This briefing summarises, for staff and guests who do not read French, the rules "
          "of circular CIR180021DERCI on the safety of missions abroad. The circular is the "
          "text that applies."),
    ("h", "Country colours"),
    ("table", [["Colour", "What it means for a mission"],
               ["green, yellow", "authorised by the director of the laboratory"],
               ["orange", "prior opinion of the Security and Defence Officer (FSD) required"],
               ["red", "forbidden, unless the Chair and CEO grants an exception"]]),
    ("h", "Before you leave"),
    ("p", "Create your mission order at least one month before leaving for an orange zone. "
          "Register on the French Foreign Ministry's Ariane portal. Check your repatriation "
          "assistance cover and the vaccinations required. Travel with the mission laptop, "
          "never with sensitive research data."),
    ("h", "During the mission"),
    ("p", "Report any incident to your laboratory at once. The organisation's offices abroad "
          "can help locally, together with the embassy. Doctoral students, postdocs and "
          "guests travelling for a laboratory follow the same rules."),
]  # fmt: skip

#: path under content/ → how to make it
FILES = {
    "decisions/2024/dec240187daj-original-signe.pdf": lambda: signed_original(
        "decisions/2024/dec240187daj", "12 mars 2024", "DAJ-2024-0187"
    ),
    "decisions/2023/dec230777daj-original-signe.pdf": lambda: signed_original(
        "decisions/2023/dec230777daj", "26 juin 2023", "DAJ-2023-0777"
    ),
    "decisions/2022/dec220298daj-original-signe.pdf": lambda: signed_original(
        "decisions/2022/dec220298daj", "7 février 2022", "DAJ-2022-0298"
    ),
    "circulars/2023/cir230008dsfim-annexe-1-baremes.pdf": lambda: pdf(
        "Annexe 1 — barèmes des frais de déplacement", TRAVEL_RATES
    ),
    "forms/demande-teletravail.docx": lambda: word(TELEWORK_FORM),
    "forms/ordre-de-mission.odt": lambda: odt(MISSION_ORDER_FORM),
    "circulars/2018/cir180021derci-security-briefing.pdf": lambda: pdf(
        "Security briefing for missions abroad", SECURITY_BRIEFING
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, default=CONTENT,
                        help="the folder to write into (default: content/)")  # fmt: skip
    dest: Path = parser.parse_args().dest
    for name, make in FILES.items():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_bytes(make())
        print(dest / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
