"""What every side of docrepo shares: languages, facets, record keys, access terms.

The content reader, the store, the search and the web faces each used to repeat these
tables; they are defined once here, and this module imports nothing of docrepo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: Bump when the index schema, the analyzers or the stored record change: an index of
#: another version is rebuilt (10: citations in the record and its HTML; 11: the period
#: in force of each document, its status computed for the day searched; 12: docrepo's
#: codec, postings and columns as arrays; 13: links to documents in the HTML marked by id,
#: given their URLs by the web faces; 14: the schema's analyzers are the store's
#: wrappers of docrepo's analysis, store.analyzers.TermAnalyzer, as its TOC names them;
#: 15: the text of attached files, in fields of their own, and their records; 16: the
#: ids of the texts superseding each (`successors`) and the end it gives itself, so that
#: a viewer is told a period without the texts hidden from them; 17: the text each
#: document is a version of, `text`, and its language versions in the record).
SCHEMA_VERSION = 17

#: languages of the documents (each selects an analyzer) and of the interface
LANGS = ("fr", "en")


@dataclass(frozen=True)
class Facet:
    """One facet: its name (the index field, the URL parameter and the CLI option), the
    key of the stored record that holds its value(s), and the vocabulary of its codes."""

    name: str
    record_key: str
    vocabulary: str | None = None
    #: whether the documents with none of its codes have the value `general`
    has_general: bool = False

    @property
    def parameter(self) -> str:
        return self.name


FACETS = (
    Facet("type", "type", "types"),
    Facet("institute", "institutes", "institutes", has_general=True),
    Facet("region", "regions", "regions", has_general=True),
    Facet("issuer", "issuer", "issuers"),
    Facet("theme", "themes", "themes"),
    Facet("status", "status"),
    Facet("lang", "lang"),
    Facet("year", "year"),
)
FACET_NAMES = tuple(f.name for f in FACETS)
FACET_BY_NAME = {f.name: f for f in FACETS}

#: the value of the institute and region facets for texts of general scope (with no
#: institute, or no region): a director's view ticks it beside their own code
GENERAL = "general"

#: a document's effective status
STATUSES = ("in-force", "repealed", "draft")

#: the status of a text on a given day: in force, or repealed (its period is over)
IN_FORCE, REPEALED = "in-force", "repealed"

#: a period in force as two day numbers (YYYYMMDD, both included): a start of ALWAYS
#: means in force for as long as anyone knows, an end of FOREVER that no end is known,
#: an end of ENDED that the text is repealed since a day nobody gave
ALWAYS, ENDED, FOREVER = 0, 0, 99_999_999


def day_number(day: dt.date) -> int:
    """A day as the index compares days: 2024-03-12 → 20240312."""
    return day.year * 10_000 + day.month * 100 + day.day


def iso_day(number: int) -> str | None:
    """A day number as YYYY-MM-DD; None for ALWAYS, ENDED and FOREVER (no day given)."""
    if number in (ALWAYS, FOREVER):
        return None
    return f"{number // 10_000:04d}-{number // 100 % 100:02d}-{number % 100:02d}"


def status_on(valid_until: int, day: int) -> str:
    """The status, on a day, of a text in force until `valid_until` (a day number)."""
    return REPEALED if day > valid_until else IN_FORCE


#: relations of a stored record, in the order pages show them
RELATIONS = ("supersedes", "superseded_by", "amends", "amended_by", "cites", "cited_by")

#: the keys of a stored record that a client of the API sees (besides relations, links)
DOCUMENT_KEYS = (
    "id", "title", "type", "lang", "date", "published", "reference", "institutes", "regions",
    "issuer", "themes", "status", "effective", "ends", "access", "summary", "aliases", "code",
    "director", "partners", "city", "country", "website", "html", "toc",
)  # fmt: skip

PUBLIC, INTERNAL = "public", "internal"


def access_terms(access: list[str]) -> list[str]:
    """The terms of a document's `access` in the index: public, internal, or one
    group:<name> per group; a viewer sees a document when they hold one of its terms."""
    if access in ([PUBLIC], [INTERNAL]):
        return list(access)
    return [f"group:{g}" for g in access]
