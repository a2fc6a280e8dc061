"""What every side of docrepo shares: languages, facets, record keys, access terms.

The content reader, the store, the search and the web faces each used to repeat these
tables; they are defined once here, and this module imports nothing of docrepo.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Bump when the index schema, the analyzers or the stored record change: an index of
#: another version is rebuilt (10: citations in the record and its HTML).
SCHEMA_VERSION = 10

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

#: relations of a stored record, in the order pages show them
RELATIONS = ("supersedes", "superseded_by", "amends", "amended_by", "cites", "cited_by")

#: the keys of a stored record that a client of the API sees (besides relations, links)
DOCUMENT_KEYS = (
    "id", "title", "type", "lang", "date", "published", "reference", "institutes", "regions",
    "issuer", "themes", "status", "access", "summary", "aliases", "code", "director", "partners",
    "city", "country", "website", "html", "toc",
)  # fmt: skip

PUBLIC, INTERNAL = "public", "internal"


def access_terms(access: list[str]) -> list[str]:
    """The terms of a document's `access` in the index: public, internal, or one
    group:<name> per group; a viewer sees a document when they hold one of its terms."""
    if access in ([PUBLIC], [INTERNAL]):
        return list(access)
    return [f"group:{g}" for g in access]
