"""Search semantics of SPEC §4 on small, fully controlled trees (and the sample index)."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docrepo.access import ANONYMOUS, EVERYONE, Viewer
from docrepo.content.taxonomy import load_taxonomy
from docrepo.indexing.pipeline import update_index
from docrepo.schema import FACET_BY_NAME, FACET_NAMES, LANGS, day_number, status_on
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from docrepo.search.result import SearchResult
from docrepo.store.writing import IndexStore
from support.trees import SAMPLE_CONTENT, MakeTree, front_matter

FAST = 0.5

Build = Callable[[dict[str, str | bytes]], Library]


def doc(title: str = "Un document", body: str = "Texte du document.", **fields: Any) -> str:
    """A document's file text."""
    return front_matter(body, title=title, **fields)


def dated(kind: str, day: str, title: str, body: str = "Texte.", **fields: Any) -> str:
    """A dated document (decision, circular, instruction, note) of the given date."""
    return doc(title, body, type=kind, date=dt.date.fromisoformat(day), **fields)


@pytest.fixture
def build(make_tree: MakeTree, tmp_path: Path) -> Build:
    """Write files into the tree, bring its index up to date, return a Library on it."""
    index_dir = tmp_path / "index"

    def build(files: dict[str, str | bytes]) -> Library:
        content = make_tree(files)
        summary = update_index(content, IndexStore(index_dir))
        assert summary.invalid == 0, summary.problems
        return Library(index_dir)

    return build


def search(
    library: Library,
    q: str = "",
    viewer: Viewer = EVERYONE,
    **params: str | list[str],
) -> SearchResult:
    """Search with query-string parameters (`from_` stands for `from`)."""
    raw: dict[str, list[str]] = {"q": [q]}
    for name, value in params.items():
        raw[name.rstrip("_")] = value if isinstance(value, list) else [value]
    return library.search(SearchRequest.from_params(raw), viewer)


def ids(result: SearchResult) -> list[str]:
    return [h.record["id"] for h in result.hits]


def counts(result: SearchResult, facet: str) -> dict[str, int]:
    return {v.value: v.count for v in result.facets[facet] if v.count}


# --- words, phrases, exclusion, OR, stop words ---------------------------------------


def test_all_words_must_match(build: Build) -> None:
    """Several words: the documents holding every one of them (after stemming) come first;
    when too few do, those holding some follow, each saying which word it lacks."""
    lib = build(
        {
            "both.md": doc("Congés", "Les congés annuels des agents."),
            "one.md": doc("Congés", "Les congés de maladie."),
            "other.md": doc("Agents", "Annuel, le rapport des agents."),
        }
    )
    for q in ("congés annuels", "congé annuel"):
        result = search(lib, q)
        assert ids(result)[0] == "both" and result.relaxed
        assert [h.missing for h in result.hits][:1] == [()]
        assert all(h.missing for h in result.hits[1:])
    assert set(ids(search(lib, "congés"))) == {"both", "one"}


def test_phrase_matches_adjacent_words_only(build: Build) -> None:
    """A quoted phrase matches the words in that order; the same words unquoted match anywhere."""
    lib = build(
        {
            "phrase.md": doc("A", "Le comité de pilotage se réunit chaque mois."),
            "scattered.md": doc("B", "Le pilotage du projet relève du comité."),
        }
    )
    assert set(ids(search(lib, "comité pilotage"))) == {"phrase", "scattered"}
    assert ids(search(lib, '"comité de pilotage"')) == ["phrase"]


def test_minus_word_excludes(build: Build) -> None:
    """`-word` and `-"a phrase"` remove every document that holds them."""
    lib = build(
        {
            "plain.md": doc("A", "Les zèbres de la savane."),
            "striped.md": doc("B", "Les zèbres rayés du zoo."),
            "phrase.md": doc("C", "Les zèbres du parc zoologique."),
        }
    )
    assert set(ids(search(lib, "zèbres -rayés"))) == {"plain", "phrase"}
    assert set(ids(search(lib, 'zèbres -"parc zoologique"'))) == {"plain", "striped"}
    assert search(lib, "zèbres -rayés -zoologique").total == 1


def test_minus_word_excludes_the_first_matching_document_too(build: Build) -> None:
    """Exclusion holds even when the first document matching the words holds the excluded one."""
    # indexed one after the other so that their internal order is fixed
    build({"a-only-excluded.md": doc("A", "Un texte sur la girafe.")})
    build({"b-both.md": doc("B", "Un texte sur le zèbre et la girafe.")})
    lib = build({"c-word.md": doc("C", "Un texte sur le zèbre.")})
    result = search(lib, "zèbre -girafe")
    by_title = search(lib, "zèbre -girafe", sort="title")
    assert (result.total, ids(result), ids(by_title)) == (1, ["c-word"], ["c-word"])
    assert search(lib, "zèbre -girafe -lion").total == 1


def test_or_widens(build: Build) -> None:
    """`OR` between two words matches either; it binds tighter than the AND of the other words."""
    lib = build(
        {
            "zebra.md": doc("A", "Le zèbre et le lion."),
            "giraffe.md": doc("B", "La girafe et le lion."),
            "both.md": doc("C", "Le zèbre et la girafe."),
            "none.md": doc("D", "Le lion seul."),
        }
    )
    assert set(ids(search(lib, "zèbre OR girafe"))) == {"zebra", "giraffe", "both"}
    assert ids(search(lib, "zèbre girafe"))[0] == "both"
    widened = search(lib, "zèbre OR girafe lion")
    assert {h.record["id"] for h in widened.hits if not h.missing} == {"zebra", "giraffe"}
    assert [h.missing for h in widened.hits if h.record["id"] == "both"] == [("lion",)]


def test_stop_words_are_ignored(build: Build) -> None:
    """Stop words (les, the) neither have to be in the text nor change the results."""
    lib = build(
        {
            "fr.md": doc("Zèbres", "Zèbres du désert."),
            "en.md": doc("Zebras", "Zebras in savanna.", lang="en"),
        }
    )
    assert ids(search(lib, "les zèbres")) == ids(search(lib, "zèbres"))
    assert "fr" in ids(search(lib, "les zèbres"))
    assert ids(search(lib, "the zebras")) == ids(search(lib, "zebras"))
    assert "en" in ids(search(lib, "the zebras"))


# --- references -----------------------------------------------------------------------


def test_reference_puts_its_document_first(build: Build) -> None:
    """A reference, in any case, alone or inside a longer query, ranks its document first."""
    lib = build(
        {
            "decisions/dec240001daj.md": dated(
                "decision", "2024-01-10", "Décision sur les congés", reference="DEC240001DAJ"
            ),
            "notes/rappel.md": dated(
                "note",
                "2024-02-01",
                "Rappel DEC240001DAJ congés",
                "DEC240001DAJ : congés, congés, congés. Voir DEC240001DAJ et DEC240001DAJ.",
            ),
        }
    )
    for query in ("DEC240001DAJ", "dec240001daj", "Dec240001Daj", "congés DEC240001DAJ"):
        assert ids(search(lib, query))[0] == "decisions/dec240001daj", query


def test_reference_prefix_matches_references(build: Build) -> None:
    """`DEC24*` matches the documents whose reference starts with DEC24, and only them."""
    lib = build(
        {
            "a.md": dated("decision", "2024-01-10", "A", reference="DEC240001DAJ"),
            "b.md": dated("decision", "2024-05-10", "B", reference="DEC240777DRH"),
            "c.md": dated("decision", "2023-01-10", "C", reference="DEC230002DAJ"),
            "d.md": dated("circular", "2024-01-10", "D", reference="CIR240003DRH"),
            "e.md": doc("E", "Les décisions DEC24 et DEC240001DAJ sont citées ici."),
        }
    )
    assert set(ids(search(lib, "DEC24*"))) == {"a", "b"}
    assert set(ids(search(lib, "dec24*"))) == {"a", "b"}
    assert set(ids(search(lib, "DEC2*"))) == {"a", "b", "c"}
    assert set(ids(search(lib, "DEC240001*"))) == {"a"}


# --- syntax that is plain text --------------------------------------------------------


@pytest.fixture
def syntax_library(build: Build) -> Library:
    """Documents that wildcard, fuzzy, range or field syntax would wrongly match."""
    return build(
        {
            "banana.md": doc("Banane", "Une banane mûre."),
            "abd.md": doc("Abd", "Le code abd est cité."),
            "abc.md": doc("Abc", "Le code abc~5 est cité."),
            "foo-title.md": doc("Foo", "Un texte sans le mot."),
            "foo-body.md": doc("Autre", "The title: foo of the page.", lang="en"),
            "zebra.md": doc("Zèbre", "Un zèbre."),
            "range.md": doc("Range", "A body of text from a to z.", lang="en"),
        }
    )


def test_star_alone_does_not_expand(syntax_library: Library) -> None:
    """`*` and `*a*` are no wildcards: no document is matched through a term expansion."""
    assert "banana" not in ids(search(syntax_library, "*a*"))
    assert "abd" not in ids(search(syntax_library, "*a*"))
    # no word left: the same as the empty query, every document listed
    assert search(syntax_library, "*").total == search(syntax_library, "").total == 7


def test_tilde_is_not_fuzzy(syntax_library: Library) -> None:
    """`abc~5` is plain text: it finds the text `abc~5`, not the neighbour `abd`."""
    assert ids(search(syntax_library, "abc~5")) == ["abc"]


def test_field_prefix_is_left_out(syntax_library: Library) -> None:
    """`title:foo` searches foo everywhere (the title first, as always), not the word
    title: a field's name is neither syntax nor required."""
    assert ids(search(syntax_library, "title:foo")) == ["foo-title", "foo-body"]
    assert ids(search(syntax_library, "other:foo")) == []


def test_range_is_plain_text(syntax_library: Library) -> None:
    """`body:[a TO z]` is no range over the body: only the text with those words matches."""
    found = ids(search(syntax_library, "body:[a TO z]"))
    assert "zebra" not in found and "banana" not in found
    assert found == ["range"]


@pytest.fixture(scope="module")
def sample_library(sample_index: Path) -> Library:
    """A library on the sample index, its snapshot already open."""
    taxonomy, _ = load_taxonomy(SAMPLE_CONTENT)
    library = Library(sample_index)
    library.search(SearchRequest(q="télétravail"), EVERYONE)  # opens the snapshot
    return library


def _timed(library: Library, q: str) -> float:
    started = time.perf_counter()
    library.search(SearchRequest(q=q), EVERYONE)
    return time.perf_counter() - started


CORPUS_WORDS = (
    "délégation signature télétravail missions frais déplacement décision circulaire "
    "unité laboratoire données protection sécurité agents régional institut"
).split()


@pytest.mark.parametrize(
    "query",
    [
        "*",
        "*a*",
        "abc~5",
        "body:[a TO z]",
        "title:foo",
        "a*",
        "?*",
        " ".join(["d*"] * 200),
        "x" * 500,
        ("télétravail délégation " * 40)[:500],
        " ".join(CORPUS_WORDS[i % len(CORPUS_WORDS)] for i in range(1000)),
        " OR ".join(CORPUS_WORDS[i % len(CORPUS_WORDS)] for i in range(1000)),
        " ".join(f'"{w} {w}"' for w in CORPUS_WORDS * 70),
    ],
    ids=[
        "star",
        "star-a-star",
        "tilde",
        "range",
        "field",
        "a-star",
        "qmark-star",
        "200-prefixes",
        "500-x",
        "500-chars",
        "1000-terms",
        "1000-or-terms",
        "1000-phrases",
    ],
)
def test_hostile_queries_answer_fast(sample_library: Library, query: str) -> None:
    """Any query (wildcards, ranges, 500 chars, 1,000 terms) answers within 0.5 s on the sample."""
    assert _timed(sample_library, query) < FAST


# --- ranking ----------------------------------------------------------------------------


def test_title_match_ranks_above_body_match(build: Build) -> None:
    """A word in the title ranks the document above one with the word in its body."""
    lib = build(
        {
            "a-body.md": doc("Animal", "Texte sur un zébu des plaines."),
            "b-title.md": doc("Zébu", "Texte sur un animal des plaines."),
        }
    )
    assert ids(search(lib, "zébu")) == ["b-title", "a-body"]


@pytest.mark.parametrize("how", ["declared", "superseded"])
def test_in_force_ranks_above_repealed_at_equal_text(build: Build, how: str) -> None:
    """At equal text, the text in force ranks above the repealed one (declared or superseded)."""
    text = dict(title="Circulaire sur les congés", body="Les congés des agents.")
    if how == "declared":
        old = dated("circular", "2020-01-01", **text, status="repealed")
        new = dated("circular", "2020-01-01", **text)
    else:
        old = dated("circular", "2020-01-01", **text, reference="CIR200001DRH")
        new = dated("circular", "2020-01-01", **text, supersedes=["CIR200001DRH"])
    lib = build({"a-old.md": old, "b-new.md": new})
    result = search(lib, "congés")
    assert ids(result) == ["b-new", "a-old"]
    assert [h.record["status"] for h in result.hits] == ["in-force", "repealed"]


# --- listing, sorting, paging -----------------------------------------------------------


@pytest.fixture
def dated_library(build: Build) -> Library:
    """Four dated notes and an undated page, titles in mixed case and accents."""
    return build(
        {
            "n2022.md": dated("note", "2022-03-01", "Bravo zèbre"),
            "n2024.md": dated("note", "2024-07-15", "alpha zèbre"),
            "n2020.md": dated("note", "2020-11-30", "Écho zèbre"),
            "n2023.md": dated("note", "2023-01-02", "delta zèbre"),
            "page.md": doc("Charlie zèbre"),
        }
    )


def test_empty_query_lists_newest_first(dated_library: Library) -> None:
    """No query lists every document, newest first, undated ones last."""
    result = search(dated_library)
    assert result.total == 5
    assert ids(result) == ["n2024", "n2023", "n2022", "n2020", "page"]
    assert all(h.score is None for h in result.hits)


def test_sorts(dated_library: Library) -> None:
    """sort=newest, oldest and title order the results, with or without a query."""
    for q in ("", "zèbre"):
        assert ids(search(dated_library, q, sort="newest"))[:4] == [
            "n2024",
            "n2023",
            "n2022",
            "n2020",
        ]
        assert ids(search(dated_library, q, sort="oldest"))[:4] == [
            "n2020",
            "n2022",
            "n2023",
            "n2024",
        ]
        # accents and case do not matter: Écho files under E
        assert ids(search(dated_library, q, sort="title")) == [
            "n2024",
            "n2022",
            "page",
            "n2023",
            "n2020",
        ]


def test_paging(build: Build) -> None:
    """page and per_page cut the results; total and pages count all of them."""
    files = {
        f"n{i:02d}.md": dated("note", f"2024-01-{i:02d}", f"Note {i:02d}", "Le zèbre.")
        for i in range(1, 26)
    }
    lib = build(files)
    first = search(lib, "zèbre", per_page="10")
    second = search(lib, "zèbre", per_page="10", page="2")
    third = search(lib, "zèbre", per_page="10", page="3")
    beyond = search(lib, "zèbre", per_page="10", page="4")
    assert (first.total, first.pages) == (25, 3)
    assert [len(r.hits) for r in (first, second, third, beyond)] == [10, 10, 5, 0]
    assert beyond.total == 25
    every = ids(first) + ids(second) + ids(third)
    assert sorted(every) == sorted(f"n{i:02d}" for i in range(1, 26))
    listing = search(lib, page="2", per_page="7")
    assert ids(listing) == [f"n{i:02d}" for i in range(18, 11, -1)]
    assert search(lib, per_page="100").pages == 1
    assert search(lib).request.per_page == 20


# --- filters and facets -------------------------------------------------------------------


@pytest.fixture
def faceted(build: Build) -> Library:
    """Six documents spread over types, institutes, regions, years and languages."""
    return build(
        {
            "d1.md": dated("decision", "2024-03-01", "D1", institutes=["INSB"], regions=["DR13"]),
            "d2.md": dated("decision", "2023-03-01", "D2", institutes=["INC"]),
            "c3.md": dated("circular", "2024-05-01", "C3", institutes=["INSB"], regions=["DR11"]),
            "c4.md": dated("circular", "2022-05-01", "C4", institutes=["INEE"]),
            "n5.md": dated("note", "2021-05-01", "N5", institutes=["INSB", "INC"]),
            "p6.md": doc("P6", lang="en"),
        }
    )


def test_values_of_one_facet_are_ored_and_facets_anded(faceted: Library) -> None:
    """type=decision&type=circular is either type; adding institute=INSB narrows to both."""
    assert set(ids(search(faceted, type=["decision", "circular"]))) == {"d1", "d2", "c3", "c4"}
    assert set(ids(search(faceted, type=["decision", "circular"], institute="INSB"))) == {
        "d1",
        "c3",
    }
    assert set(ids(search(faceted, institute=["INC", "INEE"], type="note"))) == {"n5"}


def test_facet_counts_leave_out_their_own_filter(faceted: Library) -> None:
    """A facet counts with every filter but its own, so other choices show what they would give."""
    result = search(faceted, type="decision", institute="INSB")
    assert ids(result) == ["d1"]
    assert counts(result, "type") == {"decision": 1, "circular": 1, "note": 1}
    assert counts(result, "institute") == {"INSB": 1, "INC": 1}
    assert counts(result, "year") == {"2024": 1}
    assert counts(result, "region") == {"DR13": 1}
    selected = {v.value for v in result.facets["type"] if v.selected}
    assert selected == {"decision"}


def test_document_with_several_institutes_counts_once_under_each(faceted: Library) -> None:
    """A document with two institutes counts once under each, and once in the total."""
    result = search(faceted, type="note")
    assert result.total == 1
    assert counts(result, "institute") == {"INSB": 1, "INC": 1}
    everything = search(faceted)
    assert counts(everything, "institute") == {"INSB": 3, "INC": 2, "INEE": 1, "general": 1}
    assert everything.total == 6


def test_every_facet_is_present(faceted: Library) -> None:
    """Every facet of §4 appears in the result, values as used in URLs."""
    result = search(faceted)
    assert set(result.facets) >= {
        "type",
        "institute",
        "region",
        "issuer",
        "theme",
        "status",
        "lang",
        "year",
    }
    assert counts(result, "year") == {"2024": 2, "2023": 1, "2022": 1, "2021": 1}
    assert counts(result, "lang") == {"fr": 5, "en": 1}


def test_year_facet_and_inclusive_date_range(build: Build) -> None:
    """year filters on the year of `date`; from and to are inclusive bounds on `date`."""
    lib = build(
        {
            "a.md": dated("note", "2023-12-31", "A"),
            "b.md": dated("note", "2024-01-01", "B"),
            "c.md": dated("note", "2024-06-30", "C"),
            "d.md": dated("note", "2024-07-01", "D"),
            "e.md": doc("E"),
        }
    )
    assert set(ids(search(lib, from_="2024-01-01", to="2024-06-30"))) == {"b", "c"}
    assert set(ids(search(lib, from_="2024-06-30"))) == {"c", "d"}
    assert set(ids(search(lib, to="2024-01-01"))) == {"a", "b"}
    assert set(ids(search(lib, year="2024"))) == {"b", "c", "d"}
    assert set(ids(search(lib, year=["2023", "2024"]))) == {"a", "b", "c", "d"}
    ranged = search(lib, from_="2024-01-01", to="2024-06-30")
    assert counts(ranged, "year") == {"2024": 2}


def test_status_in_force_filter(build: Build) -> None:
    """status=in-force leaves out texts repealed by declaration or by a superseding text."""
    lib = build(
        {
            "old.md": dated("circular", "2020-01-01", "Old", reference="CIR200001DRH"),
            "new.md": dated("circular", "2024-01-01", "New", supersedes=["CIR200001DRH"]),
            "gone.md": dated("circular", "2019-01-01", "Gone", status="repealed"),
            "live.md": dated("circular", "2021-01-01", "Live"),
        }
    )
    assert search(lib).total == 4
    in_force = search(lib, status="in-force")
    assert set(ids(in_force)) == {"new", "live"}
    assert counts(in_force, "status") == {"in-force": 2, "repealed": 2}
    assert set(ids(search(lib, status="repealed"))) == {"old", "gone"}


@pytest.mark.parametrize(
    ("facet", "value"),
    [
        ("type", "nonexistent"),
        ("institute", "ZZZ"),
        ("region", "DR99"),
        ("theme", "<script>"),
        ("year", "abcd"),
        ("status", "whatever"),
        ("lang", "de"),
        ("issuer", "'; DROP TABLE"),
    ],
)
def test_unknown_facet_value_matches_nothing(faceted: Library, facet: str, value: str) -> None:
    """An unknown facet value is no error: it matches nothing."""
    result = search(faceted, **{facet: value})
    assert result.total == 0
    assert result.hits == []


# --- multi-select facet counts against a brute-force count over the sample ----------------


def _records(index_dir: Path) -> list[dict[str, Any]]:
    ix = IndexStore(index_dir).open()
    with ix.searcher() as searcher:
        return [fields["record"] for fields in searcher.all_stored_fields()]


def _values(record: dict[str, Any], facet: str) -> list[str]:
    if facet == "year":
        return [record["date"][:4]] if record.get("date") else []
    if facet == "status":  # today's: the record holds the period it is in force
        return [status_on(record["validity"][1], day_number(dt.date.today()))]
    value = record.get(FACET_BY_NAME[facet].record_key)
    if isinstance(value, list):
        return value or (["general"] if FACET_BY_NAME[facet].has_general else [])
    return [value] if value else []


def _all_ids(library: Library, q: str, viewer: Viewer) -> set[str]:
    """Every document the words match, each language version of a text (one language at
    a time: a search lists one version per text)."""
    found: set[str] = set()
    for lang in LANGS:
        page, listed = 1, 0
        while True:
            request = SearchRequest(q=q, filters={"lang": (lang,)}, per_page=100, page=page)
            result = library.search(request, viewer)
            found |= set(ids(result))
            listed += len(result.hits)
            if not result.hits or listed >= result.total:
                break
            page += 1
    return found


def _one_per_text(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One version of each text: the French one (the reader's language) when there,
    else the first by id."""
    kept: dict[str, dict[str, Any]] = {}
    for record in sorted(records, key=lambda r: (r["lang"] != "fr", r["id"])):
        kept.setdefault(record.get("original") or record["id"], record)
    return list(kept.values())


FACET_COMBINATIONS = [
    ("", {}, None, None, "everyone"),
    ("", {"type": ["decision", "circular"]}, None, None, "everyone"),
    ("", {"type": ["circular"], "status": ["in-force"]}, None, None, "everyone"),
    ("", {"institute": ["INSB", "INC"], "type": ["unit", "decision"]}, None, None, "everyone"),
    ("", {"region": ["DR13"], "theme": ["signature-delegation", "legal"]}, None, None, "everyone"),
    ("", {"issuer": ["DRH"], "year": ["2024", "2021"]}, None, None, "everyone"),
    ("", {"lang": ["en"], "theme": ["international"]}, None, None, "everyone"),
    ("", {"theme": ["missions"]}, "2019-01-01", "2023-12-31", "everyone"),
    ("", {"issuer": ["DSI", "DAJ"]}, None, None, "anonymous"),
    ("télétravail", {"type": ["circular"]}, None, None, "everyone"),
    ("délégation", {"status": ["repealed"], "region": ["DR13", "DR04"]}, None, None, "everyone"),
    ("missions", {"lang": ["en"]}, "2020-01-01", None, "anonymous"),
    ("données", {"issuer": ["DAJ", "DSI"], "type": ["instruction", "note"]}, None, None, "member"),
]
VIEWERS = {
    "everyone": EVERYONE,
    "anonymous": ANONYMOUS,
    "member": Viewer(user="alice", groups=frozenset({"directeurs-unite"})),
}


@pytest.mark.parametrize(
    ("q", "filters", "date_from", "date_to", "who"),
    FACET_COMBINATIONS,
    ids=[f"{c[0] or 'all'}-{'-'.join(sorted(c[1]))}-{c[4]}" for c in FACET_COMBINATIONS],
)
def test_facet_counts_match_brute_force(
    sample_index: Path,
    sample_library: Library,
    q: str,
    filters: dict[str, list[str]],
    date_from: str | None,
    date_to: str | None,
    who: str,
) -> None:
    """Totals and multi-select facet counts equal a brute-force count over the stored records."""
    viewer = VIEWERS[who]
    params: dict[str, list[str]] = {"q": [q], **filters}
    if date_from:
        params["from"] = [date_from]
    if date_to:
        params["to"] = [date_to]
    result = sample_library.search(SearchRequest.from_params(params), viewer)

    records = [r for r in _records(sample_index) if viewer.may_see(r["access"])]
    if q:
        matched = _all_ids(sample_library, q, viewer)
        records = [r for r in records if r["id"] in matched]
    if date_from or date_to:
        low, high = date_from or "0000-00-00", date_to or "9999-99-99"
        records = [r for r in records if r.get("date") and low <= r["date"] <= high]

    def passes(record: dict[str, Any], skip: str | None = None) -> bool:
        return all(
            any(v in values for v in _values(record, facet))
            for facet, values in filters.items()
            if facet != skip
        )

    # texts are counted, not files; the languages of each text's versions, all of them
    assert result.total == len(_one_per_text([r for r in records if passes(r)]))
    for facet in FACET_NAMES:
        scope = [r for r in records if passes(r, skip=facet)]
        counted = scope if facet == "lang" else _one_per_text(scope)
        expected = Counter(v for r in counted for v in set(_values(r, facet)))
        assert counts(result, facet) == dict(expected), facet


# --- snippets -------------------------------------------------------------------------------


def test_snippet_marks_matches_and_escapes_the_rest(build: Build) -> None:
    """Matches come wrapped in <mark>; markup and ampersands of the text come back escaped."""
    lib = build(
        {
            "x.md": doc(
                "Page piégée",
                "Avant <script>alert(1)</script> puis R&D & co <b>gras</b> et l'alerte.",
            )
        }
    )
    hit = search(lib, "alert").hits[0]
    assert "<mark>alert</mark>" in hit.snippet
    assert "&lt;script&gt;" in hit.snippet and "&lt;/script&gt;" in hit.snippet
    assert "R&amp;D &amp; co &lt;b&gt;gras&lt;/b&gt;" in hit.snippet
    without_marks = hit.snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks
    assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#x?[0-9a-f]+;)", without_marks)


def test_snippet_marks_stemmed_and_unaccented_matches(build: Build) -> None:
    """A query without accents marks the accented, inflected words of the text."""
    lib = build({"x.md": doc("Texte", "Les circulaires sur le télétravail des agents.")})
    snippet = search(lib, "circulaire teletravail").hits[0].snippet
    assert "<mark>circulaires</mark>" in snippet
    assert "<mark>télétravail</mark>" in snippet
    assert "<mark>agents</mark>" not in snippet


def test_summary_is_the_snippet_without_query(build: Build) -> None:
    """With no query, a document's summary (escaped) is its snippet."""
    lib = build(
        {
            "x.md": doc(
                "Texte",
                "Un long corps de texte qui ne sert pas d'extrait.",
                summary="Résumé <court> & clair.",
            )
        }
    )
    assert search(lib).hits[0].snippet == "Résumé &lt;court&gt; &amp; clair."


BLOCKS = """## 6. Sécurité et données

Le responsable protège les données.

- premier point
- second point : voir

| Catégorie | Montant |
|---|---|
| Agents | 120 € |

```
code_a
code_b
```
"""


def test_a_snippet_shows_where_one_block_ends_and_the_next_begins(build: Build) -> None:
    """A snippet never runs a heading, a paragraph, a list item, a table cell or a line of
    code into the next as if they were one sentence: " · " stands between two blocks,
    unless the first ends with its own punctuation (. : ; ! ? …); the summary is a block."""
    lib = build({"x.md": doc("Règlement", BLOCKS), "y.md": doc("Note", BLOCKS, summary="Bref")})
    expected = (
        "6. Sécurité et données · Le responsable protège les données. premier point · "
        "second point : voir · Catégorie · Montant · Agents · 120 € · code_a · code_b"
    )
    found = {hit.record["id"]: hit.snippet for hit in search(lib, "données").hits}
    assert found["x"].replace("<mark>", "").replace("</mark>", "") == expected
    assert found["x"].count("<mark>données</mark>") == 2
    assert found["y"].replace("<mark>", "").replace("</mark>", "") == "Bref · " + expected
    listed = {hit.record["id"]: hit.snippet for hit in search(lib).hits}
    assert listed["x"] == expected  # without a query, the lead: the same blocks


# --- visibility -------------------------------------------------------------------------------


@pytest.fixture
def guarded(build: Build) -> Library:
    """A public, an internal and a group-restricted document."""
    return build(
        {
            "public.md": doc("Zèbre public", "Le zèbre de tous.", institutes=["INSU"]),
            "internal.md": doc(
                "Zèbre interne",
                "Le zèbre du personnel, et le zygomorphisme.",
                access="internal",
                institutes=["INSB"],
                type="note",
                date=dt.date(2024, 1, 1),
                reference="NOT240001DRH",
            ),
            "group.md": doc(
                "Zèbre du groupe",
                "Le zèbre des gestionnaires et la quintessence.",
                access=["drh-gestionnaires"],
                institutes=["INC"],
            ),
        }
    )


def _everything_seen(library: Library, viewer: Viewer) -> dict[str, Any]:
    result = search(library, "zèbre", viewer)
    listing = search(library, "", viewer)
    return {
        "results": set(ids(result)),
        "total": result.total,
        "listing": set(ids(listing)),
        "listing_total": listing.total,
        "institutes": counts(listing, "institute"),
        "types": sum(counts(listing, "type").values()),
    }


def test_anonymous_sees_only_public_documents(guarded: Library) -> None:
    """Anonymous: internal and group documents are absent from results, totals and facet counts."""
    seen = _everything_seen(guarded, ANONYMOUS)
    assert seen == {
        "results": {"public"},
        "total": 1,
        "listing": {"public"},
        "listing_total": 1,
        "institutes": {"INSU": 1},
        "types": 1,
    }
    assert search(guarded, "zygomorphisme", ANONYMOUS).total == 0
    assert search(guarded, "NOT240001DRH", ANONYMOUS).total == 0
    assert search(guarded, "NOT24*", ANONYMOUS).total == 0
    assert search(guarded, "NOT240001DRH", EVERYONE).total == 1
    assert search(guarded, "", ANONYMOUS, type="note").total == 0


def test_authenticated_user_sees_internal_but_not_others_groups(guarded: Library) -> None:
    """An authenticated user sees internal documents, not those of a group they are not in."""
    seen = _everything_seen(guarded, Viewer(user="bob", groups=frozenset({"autre-groupe"})))
    assert seen["results"] == {"public", "internal"}
    assert seen["total"] == 2
    assert seen["institutes"] == {"INSU": 1, "INSB": 1}


def test_group_member_sees_group_documents(guarded: Library) -> None:
    """A member of a group sees that group's documents, in results and in facet counts."""
    seen = _everything_seen(guarded, Viewer(user="alice", groups=frozenset({"drh-gestionnaires"})))
    assert seen["results"] == {"public", "internal", "group"}
    assert seen["total"] == 3
    assert seen["institutes"] == {"INSU": 1, "INSB": 1, "INC": 1}


def test_suggestion_never_reveals_a_hidden_word(guarded: Library) -> None:
    """A word found only in documents a viewer may not see is never suggested to them."""
    assert search(guarded, "zygomorfisme", EVERYONE).suggestion == "zygomorphisme"
    assert search(guarded, "zygomorfisme", ANONYMOUS).suggestion is None
    assert search(guarded, "quintesence", ANONYMOUS).suggestion is None
    assert search(guarded, "quintesence", Viewer(user="bob", groups=frozenset())).suggestion is None
    member = Viewer(user="alice", groups=frozenset({"drh-gestionnaires"}))
    assert search(guarded, "quintesence", member).suggestion == "quintessence"


def test_suggestion_comes_from_what_the_viewer_may_see(build: Build) -> None:
    """A correction that hidden texts favour does not hide the one public texts give."""
    hidden = {
        f"hidden{i}.md": doc(f"Note {i}", "Le quintil des revenus.", access="internal")
        for i in range(3)
    }
    lib = build({"public.md": doc("Public", "Le quintal de blé."), **hidden})
    assert search(lib, "quintel", EVERYONE).suggestion == "quintil"
    assert search(lib, "quintel", ANONYMOUS).suggestion == "quintal"
    # for them the hidden word is just a typo too: nothing tells it exists
    assert search(lib, "quintil", ANONYMOUS).suggestion == "quintal"


def test_snippets_of_anonymous_come_from_public_texts(guarded: Library) -> None:
    """Snippets shown to an anonymous user never quote a hidden document."""
    snippets = " ".join(h.snippet for h in search(guarded, "zèbre", ANONYMOUS).hits)
    assert "personnel" not in snippets and "gestionnaires" not in snippets
