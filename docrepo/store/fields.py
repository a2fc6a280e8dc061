"""The Whoosh schema of docrepo's index, and the fields of one stored record."""

from __future__ import annotations

from typing import Any

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from ..analysis import fold, folding_analyzer, language_analyzer, spelling_terms
from ..schema import FACETS, GENERAL, LANGS, access_terms


def build_schema() -> Schema:
    """One text field per language and part (so each is analyzed in its language)."""
    text_fields: dict[str, Any] = {}
    for lang in LANGS:
        analyzer = language_analyzer(lang)
        text_fields[f"title_{lang}"] = TEXT(analyzer=analyzer, field_boost=4.0)
        text_fields[f"body_{lang}"] = TEXT(analyzer=analyzer)
    keyword = {"commas": True, "scorable": False, "lowercase": False}
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),  # a column: ties are ordered by id
        record=STORED(),
        meta=TEXT(analyzer=folding_analyzer(), field_boost=2.0),
        place=TEXT(analyzer=folding_analyzer(), field_boost=6.0),
        labels=TEXT(analyzer=folding_analyzer()),
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
        date=NUMERIC(int, bits=32, sortable=True),
        # the period in force (day numbers): the status on any day is computed from it
        valid_from=NUMERIC(int, bits=32, sortable=True),
        valid_until=NUMERIC(int, bits=32, sortable=True),
        title_key=ID(sortable=True),
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
        "title_key": fold(record["title"]).lower(),
        "date": int(date.replace("-", "")) if date else 0,
        "valid_from": record["validity"][0],
        "valid_until": record["validity"][1],
    }
    if record.get("reference"):
        fields["reference"] = record["reference"].lower()
    if record.get("issuer"):
        fields["issuer"] = record["issuer"]
    if date:
        fields["year"] = date[:4]
    return fields
