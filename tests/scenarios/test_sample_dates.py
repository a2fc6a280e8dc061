"""The sample's texts agree with their front matter (issue 23): every date a text writes
about itself or about a text it cites is the date the API gives.

- "La présente décision prend effet le 1er avril 2017", "Elle entre en vigueur le …",
  "modifiées comme suit, à compter du …", "with effect from …": the text's `effective`;
- "Cette décision a été abrogée au 1er janvier 2021": its `ends` is the day before;
  "a pris fin au 31 décembre 2018", "s'appliquent du … au 31 décembre 2025": its `ends`;
- "Fait à Paris, le 12 mars 2024", "Done in Paris, 4 November 2019": its `date`;
- "la décision DEC201155DAJ du 1er septembre 2020", "[circulaire du 30 janvier 2017](…)":
  the `date` of the text cited.

The texts are read as their editors wrote them (the Markdown), the dates as the API
serves them (`/api/doc/{id}`, read by a viewer of every group)."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docrepo.app import create_app
from docrepo.config import Settings
from support.trees import SAMPLE_CONTENT
from support.web import TestClient

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("janvier", "january"), ("février", "february"), ("mars", "march"),
            ("avril", "april"), ("mai", "may"), ("juin", "june"), ("juillet", "july"),
            ("août", "august"), ("septembre", "september"), ("octobre", "october"),
            ("novembre", "november"), ("décembre", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
DAY = r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
DATE = rf"{DAY}(\d{{1,2}})(?:er)?\s+({'|'.join(MONTHS)})\s+(\d{{4}})"
#: the text itself, as its sentences name it
ITSELF = (
    r"(?:la présente (?:décision|circulaire|instruction|note)|les présentes modifications"
    r"|cette (?:décision|circulaire|instruction|note)|elle|les consignes suivantes"
    r"|this (?:decision|circular|instruction))"
)
#: (pattern, what the date is): first group of the pattern holds the date
STATEMENTS: list[tuple[str, str]] = [
    (rf"\b{ITSELF},?(?: qui)? (?:prend effet|entre en vigueur|s'appliquent)"
     rf"(?: à compter du| le| du)? {DATE}", "effective"),
    (rf"\bentrée en vigueur de la présente décision, fixée au {DATE}", "effective"),
    (rf"\b(?:sont|est) (?:modifiée?s?|renouvelée?s?|créée?s?|désignée?s?)"
     rf"\b[^.]*? à compter du {DATE}", "effective"),
    (rf"\b(?:is|are) (?:amended|repealed|established)\b[^.]*? (?:with effect from|as of) {DATE}",
     "effective"),
    (rf"^As of {DATE}", "effective"),
    (rf"\b{ITSELF} a été abrogée? (?:au|le) {DATE}", "day after ends"),
    (rf"\b(?:a pris fin|a cessé de s'appliquer) (?:au|le) {DATE}", "ends"),
    (rf"\bs'appliquent du {DATE} au {DATE}", "effective, ends"),
    (rf"\b(?:Fait à Paris, le|Done in Paris,) {DATE}", "date"),
]  # fmt: skip
REFERENCE = r"\b([A-Z]{3}\d{6}[A-Z]{2,5})\b"
#: "DEC201155DAJ du 1er septembre 2020", "[DEC201155DAJ](…) du …"
CITED_BY_REFERENCE = rf"{REFERENCE}\]?(?:\([^)]*\))? (?:du|of) {DATE}"
#: "[la note de lancement …](../../notes/2017/not170009mpr.md) du 3 avril 2017"
CITED_BY_LINK = rf"\[[^\]]*\]\(([^)\s]+\.md)\) (?:du|of) {DATE}"
#: "[circulaire du 30 janvier 2017](../2017/cir170004drh.md)"
DATED_LINK = rf"\[[^\]]*? du {DATE}\]\(([^)\s]+\.md)\)"


def day(groups: tuple[str | Any, ...]) -> str:
    number, month, year = groups
    return dt.date(int(year), MONTHS[month.lower()], int(number)).isoformat()


def texts() -> Iterator[tuple[str, str]]:
    """(id, the Markdown after the front matter) of every document of the sample."""
    for path in sorted(SAMPLE_CONTENT.rglob("*.md")):
        doc_id = path.relative_to(SAMPLE_CONTENT).with_suffix("").as_posix()
        body = path.read_text(encoding="utf-8").split("\n---", 1)[1]
        yield doc_id, " ".join(body.replace("*", "").split())


@pytest.fixture(scope="module")
def served(sample_index: Path) -> dict[str, dict[str, Any]]:
    """Every document of the sample as `/api/doc/{id}` gives it to a viewer of every
    group (drafts, never served, are absent)."""
    app = create_app(
        Settings(content=SAMPLE_CONTENT, index=sample_index, trusted_proxies=("testclient",))
    )
    groups = ",".join(sorted(_groups()))
    found: dict[str, dict[str, Any]] = {}
    with TestClient(app) as client:
        for doc_id, _ in texts():
            response = client.get(
                f"/api/doc/{doc_id}", headers={"X-Remote-User": "editor", "X-Remote-Groups": groups}
            )
            if response.status_code == 200:
                found[doc_id] = response.json()
    return found


def _groups() -> set[str]:
    found: set[str] = set()
    for path in SAMPLE_CONTENT.rglob("*.md"):
        match = re.search(r"^access: \[(.*)\]$", path.read_text(encoding="utf-8"), re.M)
        if match:
            found.update(g.strip() for g in match.group(1).split(","))
    return found


def statements(text: str) -> Iterator[tuple[str, str, list[str]]]:
    """(the words, what they date, the dates) of each statement of dates a text makes
    about itself."""
    for sentence in re.split(r"(?<=[.;:])\s+", text):
        for pattern, meaning in STATEMENTS:
            for match in re.finditer(pattern, sentence, re.IGNORECASE):
                groups = match.groups()
                dates = [day(groups[i : i + 3]) for i in range(0, len(groups), 3)]
                yield match.group(0), meaning, dates


def citations(
    doc_id: str, text: str, by_reference: dict[str, str]
) -> Iterator[tuple[str, str, str]]:
    """(the words, the id of the text cited, the date written) of each citation with a date."""
    for match in re.finditer(CITED_BY_REFERENCE, text):
        if match.group(1) in by_reference:
            yield match.group(0), by_reference[match.group(1)], day(match.groups()[1:])
    for pattern, link in ((CITED_BY_LINK, 0), (DATED_LINK, 3)):
        for match in re.finditer(pattern, text):
            groups = match.groups()
            written = day(groups[1:] if link == 0 else groups[:3])
            target = posixpath.normpath(posixpath.join(posixpath.dirname(doc_id), groups[link]))
            yield match.group(0), target.removesuffix(".md"), written


def test_the_dates_a_text_gives_itself_are_its_front_matters(
    served: dict[str, dict[str, Any]],
) -> None:
    wrong: list[str] = []
    checked = 0
    for doc_id, text in texts():
        if doc_id not in served:
            continue
        record = served[doc_id]
        for words, meaning, dates in statements(text):
            checked += 1
            if meaning == "day after ends":
                ends = dt.date.fromisoformat(dates[0]) - dt.timedelta(days=1)
                expected = {"ends": ends.isoformat()}
            else:
                expected = dict(zip(meaning.split(", "), dates, strict=True))
            given = {key: record[key] for key in expected}
            if given != expected:
                wrong.append(f"{doc_id}: «{words}» says {expected}, the API {given}")
    assert wrong == [], "\n".join(wrong)
    assert checked >= 60  # the patterns still find what the sample writes


def test_a_text_cited_with_its_date_is_cited_with_the_date_it_bears(
    served: dict[str, dict[str, Any]],
) -> None:
    by_reference = {r["reference"]: i for i, r in served.items() if r["reference"]}
    wrong: list[str] = []
    checked = 0
    for doc_id, text in texts():
        for words, cited, written in citations(doc_id, text, by_reference):
            if cited not in served:
                continue
            checked += 1
            if served[cited]["date"] != written:
                wrong.append(f"{doc_id}: «{words}», but {cited} is dated {served[cited]['date']}")
    assert wrong == [], "\n".join(wrong)
    assert checked >= 25
