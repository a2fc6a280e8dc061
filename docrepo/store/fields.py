"""The Whoosh schema of docrepo's index, and the fields of one stored record."""

from __future__ import annotations

from typing import Any

from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from ..analysis import Analyzer, fold, folding_analyzer, language_analyzer, spelling_terms
from ..schema import FACETS, GENERAL, LANGS, access_terms
from .analyzers import TermAnalyzer
from .codec import NUMBER_COLUMN, ArrayPositions


def _text(analyzer: Analyzer, field_boost: float = 1.0) -> TEXT:
    """A text field analyzed by docrepo's analysis, whose word positions are stored as
    docrepo's codec reads them."""
    field = TEXT(analyzer=TermAnalyzer(analyzer), field_boost=field_boost)
    field.format = ArrayPositions(field_boost=field_boost)
    return field


def build_schema() -> Schema:
    """One text field per language and part (so each is analyzed in its language): a
    document's title, its body, and the text of its attached files (`attached_*`, which
    the search weighs below the body)."""
    text_fields: dict[str, Any] = {}
    for lang in LANGS:
        analyzer = language_analyzer(lang)
        text_fields[f"title_{lang}"] = _text(analyzer, field_boost=4.0)
        text_fields[f"body_{lang}"] = _text(analyzer)
        text_fields[f"attached_{lang}"] = _text(analyzer)
    keyword = {"commas": True, "scorable": False, "lowercase": False}
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),  # a column: ties are ordered by id
        record=STORED(),
        meta=_text(folding_analyzer(), field_boost=2.0),
        place=_text(folding_analyzer(), field_boost=6.0),
        labels=_text(folding_analyzer()),
        spell=KEYWORD(),
        reference=ID(sortable=True),  # a column: `DEC24*` is a range of it
        type=ID(),
        lang=ID(),
        issuer=ID(),
        year=ID(),
        institute=KEYWORD(**keyword),
        region=KEYWORD(**keyword),
        theme=KEYWORD(**keyword),
        access=KEYWORD(**keyword),
        links=KEYWORD(**keyword),
        aliases=KEYWORD(**keyword),
        # the text a document is a version of (its original's id, else its own): one
        # result per text
        text=ID(),
        # the ids of the texts that supersede it: the search finds the texts whose
        # period a viewer is told without a text they may not see (`search.periods`)
        successors=KEYWORD(**keyword),
        # columns alone (`YYYYMMDD`, and the period in force as day numbers, from which
        # the status on any day is computed): the engine reads them, nothing looks them up
        date=COLUMN(NUMBER_COLUMN),
        valid_from=COLUMN(NUMBER_COLUMN),
        valid_until=COLUMN(NUMBER_COLUMN),
        # the folded title, then U+0001 and the id: equal titles are ordered by id
        # (U+0001 sorts before any character of a title)
        title_key=COLUMN(),  # a column alone: only ever sorted by
        **text_fields,
    )


def index_fields(record: dict[str, Any], labels: str) -> dict[str, Any]:
    """The Whoosh fields of a stored record; `labels` are its vocabulary labels, which
    make it findable by the names of its institutes, regions and issuer."""
    lang = record["lang"]
    body = "\n".join(p for p in (record.get("summary"), record["text"]) if p)
    code = record.get("code")
    meta_parts = [record.get(k) for k in ("reference", "code", "director")]
    meta_parts.append(code.replace(" ", "") if code and " " in code else None)
    meta = " ".join([str(p) for p in meta_parts if p] + list(record.get("partners") or []))
    date = record.get("date")
    attached = {
        f"attached_{lang}": "\n".join(
            part
            for a in record.get("attachments", ())
            if a["lang"] == lang
            for part in (a["title"], *a["text"])
        )
        for lang in LANGS
    }
    fields: dict[str, Any] = {
        "id": record["id"],
        "record": record,
        f"title_{lang}": record["title"],
        f"body_{lang}": body,
        "meta": meta,
        "labels": labels,
        "place": " ".join(p for p in (record.get("city"), record.get("country")) if p),
        "spell": spelling_terms(f"{record['title']}\n{body}"),
        "type": record["type"],
        "lang": lang,
        **{f.name: ",".join(record[f.record_key] or [GENERAL]) for f in FACETS if f.has_general},
        "theme": ",".join(record["themes"]),
        "access": ",".join(access_terms(record["access"])),
        "links": ",".join(record["links"]),
        "aliases": ",".join(record["aliases"]),
        "text": record.get("original") or record["id"],
        "successors": ",".join(record["superseded_by"]),
        "title_key": f"{fold(record['title']).lower()}\x01{record['id']}".encode(),
        "date": int(date.replace("-", "")) if date else 0,
        "valid_from": record["validity"][0],
        "valid_until": record["validity"][1],
        **{name: text for name, text in attached.items() if text},
    }
    if record.get("reference"):
        fields["reference"] = record["reference"].lower()
    if record.get("issuer"):
        fields["issuer"] = record["issuer"]
    if date:
        fields["year"] = date[:4]
    return fields
