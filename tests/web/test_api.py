"""The JSON API (SPEC §5): /api/search, /api/doc/{id}, /api/openapi.json, /healthz.

The last test throws random input at every face and pins that none of it yields a 500.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import unicodedata
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from docrepo.store import manifest_file
from support.trees import SAMPLE_CONTENT, front_matter
from support.web import MakeClient, TestClient

pytest_plugins = ["support.web"]

FACETS = ("type", "institute", "region", "issuer", "theme", "status", "lang", "year")
TOP_KEYS = {
    "query", "total", "page", "per_page", "suggestion", "corrected", "relaxed", "results",
    "facets",
}  # fmt: skip
RESULT_KEYS = {
    "id", "url", "title", "type", "reference", "date", "status", "effective", "ends", "lang",
    "institutes", "regions", "snippet", "section", "missing", "score",
    "attachment", "translations",
}  # fmt: skip
FACET_VALUE_KEYS = {"value", "label", "count", "selected"}
DECISION = "decisions/2024/dec240187daj"
REPEALED = "decisions/2020/dec201155daj"


def search(client: TestClient, query: str = "", **kwargs: Any) -> dict[str, Any]:
    response = client.get(f"/api/search?{query}", **kwargs)
    assert response.status_code == 200, (query, response.text)
    assert response.headers["content-type"].startswith("application/json")
    data: dict[str, Any] = response.json()
    return data


def every_result(client: TestClient, query: str = "") -> list[dict[str, Any]]:
    """All results of a view, page after page."""
    results: list[dict[str, Any]] = []
    page = 1
    while True:
        data = search(client, f"{query}&per_page=100&page={page}")
        results += data["results"]
        if len(results) >= data["total"] or not data["results"]:
            return results
        page += 1


def sample_documents() -> int:
    """How many documents of the sample corpus are indexed (every file but drafts)."""
    files = list(SAMPLE_CONTENT.rglob("*.md"))
    drafts = [f for f in files if "\nstatus: draft\n" in f.read_text(encoding="utf-8")]
    return len(files) - len(drafts)


# --- /api/search: shape -------------------------------------------------------------------


def test_search_answer_has_exactly_the_spec_keys(client: TestClient) -> None:
    """The search answer has the top-level keys of §5 and nothing else, with their types."""
    data = search(client, "q=t%C3%A9l%C3%A9travail&per_page=3")
    assert set(data) == TOP_KEYS
    assert data["query"] == "télétravail"
    assert isinstance(data["total"], int) and data["total"] > 3
    assert data["page"] == 1 and data["per_page"] == 3
    assert data["suggestion"] is None
    assert len(data["results"]) == 3
    assert set(data["facets"]) == set(FACETS)


def test_each_result_has_exactly_the_spec_keys(client: TestClient) -> None:
    """A result has id, url, title, type, reference, date, status, lang, institutes, regions,
    snippet and score, with the types of the example in §5."""
    data = search(client, "q=t%C3%A9l%C3%A9travail&per_page=50")
    for result in data["results"]:
        assert set(result) == RESULT_KEYS
        assert result["url"] == f"/doc/{result['id']}"
        assert isinstance(result["title"], str) and result["title"]
        assert result["status"] in ("in-force", "repealed")
        assert result["lang"] in ("fr", "en")
        assert result["reference"] is None or isinstance(result["reference"], str)
        assert result["date"] is None or dt.date.fromisoformat(result["date"])
        assert isinstance(result["institutes"], list) and isinstance(result["regions"], list)
        assert isinstance(result["snippet"], str) and result["snippet"]
        assert isinstance(result["score"], int | float)
    first = data["results"][0]
    assert "<mark>" in first["snippet"]


def test_result_fields_match_the_document(client: TestClient) -> None:
    """A result's fields are those of the document's front matter."""
    data = search(client, "q=DEC240187DAJ")
    first = data["results"][0]
    assert first == {
        **first,
        "id": DECISION,
        "url": f"/doc/{DECISION}",
        "title": "Délégation de signature au délégué régional Occitanie Est",
        "type": "decision",
        "reference": "DEC240187DAJ",
        "date": "2024-03-12",
        "status": "in-force",
        "lang": "fr",
        "institutes": [],
        "regions": ["DR13"],
    }


def test_snippet_is_html_safe(make_client: MakeClient) -> None:
    """A snippet escapes the document's text: only <mark> is markup."""
    site = make_client({
        "pages/x.md": front_matter("Le <b>budget</b> & <script>x()</script> du budget.",
                                   title="Page"),
    })  # fmt: skip
    snippet = search(site.client, "q=budget")["results"][0]["snippet"]
    assert "<b>" not in snippet and "<script>" not in snippet
    assert "&lt;b&gt;" in snippet and "&amp;" in snippet
    assert snippet.count("<mark>") == 2


def test_no_query_lists_newest_first_without_score(client: TestClient) -> None:
    """Without a query the filtered documents come newest first."""
    data = search(client, "type=decision&per_page=100")
    dates = [r["date"] for r in data["results"]]
    assert dates == sorted(dates, reverse=True)
    assert data["query"] == ""


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [("newest", "date", True), ("oldest", "date", False), ("title", "title", False)],
)
def test_sort_orders_results(client: TestClient, sort: str, key: str, reverse: bool) -> None:
    """sort=newest, oldest and title order the results by date or title."""
    data = search(client, f"type=circular&per_page=100&sort={sort}")
    values = [r[key] for r in data["results"]]
    if key == "title":
        values = [fold(v) for v in values]
    assert values == sorted(values, reverse=reverse)


# --- /api/search: facets ------------------------------------------------------------------


def fold(text: str) -> str:
    """How a reader orders labels: case and accents ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_every_facet_value_has_value_label_count_selected(client: TestClient) -> None:
    """Each facet value is {value, label, count, selected} with string value and label."""
    facets = search(client)["facets"]
    assert set(facets) == set(FACETS)
    for name, values in facets.items():
        assert values, name
        for value in values:
            assert set(value) == FACET_VALUE_KEYS
            assert isinstance(value["value"], str) and value["value"]
            assert isinstance(value["label"], str) and value["label"]
            assert isinstance(value["count"], int) and value["count"] > 0
            assert value["selected"] is False


def test_facet_values_are_sorted_by_count(client: TestClient) -> None:
    """Facet values come with the largest count first (years: newest first)."""
    facets = search(client)["facets"]
    years = [v["value"] for v in facets.pop("year")]
    assert years == sorted(years, reverse=True) and len(years) > 5
    for name, values in facets.items():
        counts = [v["count"] for v in values]
        assert counts == sorted(counts, reverse=True), name


def test_facet_values_of_equal_count_are_in_alphabetical_order(client: TestClient) -> None:
    """Values with the same count are in the reader's alphabetical order of their labels
    (accents and case ignored: "Île-de-France" among the I, "Écologie" among the E)."""
    for lang in ("fr", "en"):
        facets = search(client, headers={"Accept-Language": lang})["facets"]
        for name, values in facets.items():
            if name == "year":
                continue
            keys = [(-v["count"], fold(v["label"])) for v in values]
            assert keys == sorted(keys), (name, lang, [v["label"] for v in values])


def test_facet_labels_follow_the_interface_language(client: TestClient) -> None:
    """Labels are French by default and English with Accept-Language: en; values stay codes."""
    fr = {v["value"]: v["label"] for v in search(client)["facets"]["type"]}
    en_facets = search(client, headers={"Accept-Language": "en"})["facets"]
    en = {v["value"]: v["label"] for v in en_facets["type"]}
    assert fr["decision"] == "Décision" and en["decision"] == "Decision"
    assert fr["regional-office"] == "Délégation régionale"
    assert en["regional-office"] == "Regional office"
    statuses = {v["value"]: v["label"] for v in en_facets["status"]}
    assert statuses == {"in-force": "In force", "repealed": "Repealed"}
    langs = {v["value"]: v["label"] for v in en_facets["lang"]}
    assert langs == {"fr": "French", "en": "English"}


def test_facet_values_are_the_url_strings(client: TestClient) -> None:
    """A year facet value is the string "2024", and every value works as a URL filter."""
    facets = search(client)["facets"]
    years = [v["value"] for v in facets["year"]]
    assert all(isinstance(y, str) and len(y) == 4 and y.isdigit() for y in years)
    assert "2024" in years
    for name in FACETS:
        for value in facets[name][:3]:
            filtered = search(client, f"{name}={quote(value['value'])}")
            assert filtered["total"] == value["count"], (name, value)
            chosen = [v for v in filtered["facets"][name] if v["selected"]]
            assert [v["value"] for v in chosen] == [value["value"]]


def test_year_filter_matches_the_date(client: TestClient) -> None:
    """year=2024 keeps exactly the documents dated in 2024."""
    results = every_result(client, "year=2024")
    assert results and all(r["date"].startswith("2024-") for r in results)


def test_values_of_one_facet_are_ored(client: TestClient) -> None:
    """Repeating a facet parameter widens: type=decision&type=circular is either type."""
    decisions = search(client, "type=decision")["total"]
    circulars = search(client, "type=circular")["total"]
    both = every_result(client, "type=decision&type=circular")
    assert len(both) == decisions + circulars
    assert {r["type"] for r in both} == {"decision", "circular"}


def test_different_facets_are_anded(client: TestClient) -> None:
    """Two facets narrow: type=decision&region=DR13 is decisions of that region only."""
    decisions = every_result(client, "type=decision")
    expected = {r["id"] for r in decisions if "DR13" in r["regions"]}
    both = every_result(client, "type=decision&region=DR13")
    assert expected and {r["id"] for r in both} == expected


def test_facet_counts_ignore_their_own_filter(client: TestClient) -> None:
    """With type=decision chosen, the type facet still counts the other types (multi-select)."""
    alone = {v["value"]: v["count"] for v in search(client)["facets"]["type"]}
    data = search(client, "type=decision")
    counts = {v["value"]: v["count"] for v in data["facets"]["type"]}
    assert counts == alone
    issuers = {v["value"]: v["count"] for v in data["facets"]["issuer"]}
    decisions = every_result(client, "type=decision")
    assert sum(issuers.values()) <= len(decisions)


def test_status_in_force_excludes_repealed_texts(client: TestClient) -> None:
    """status=in-force shows only texts in force; by default repealed ones are included."""
    everything = search(client)["total"]
    in_force = every_result(client, "status=in-force")
    repealed = search(client, "status=repealed")["total"]
    assert repealed > 0
    assert all(r["status"] == "in-force" for r in in_force)
    assert len(in_force) + repealed == everything


def test_date_range_is_inclusive(client: TestClient) -> None:
    """from and to keep documents dated on those very days."""
    results = every_result(client, "from=2024-03-12&to=2024-03-12")
    assert DECISION in [r["id"] for r in results]
    assert all(r["date"] == "2024-03-12" for r in results)


@pytest.mark.parametrize("value", ["nonexistent", "DECISION", "2024-01"])
def test_unknown_facet_value_matches_nothing(client: TestClient, value: str) -> None:
    """An unknown facet value is not an error: 200 with total 0, the value shown selected."""
    data = search(client, f"type={value}")
    assert data["total"] == 0 and data["results"] == []
    assert {"value": value, "label": value, "count": 0, "selected": True} in data["facets"]["type"]


def test_paging_walks_through_every_result_once(client: TestClient) -> None:
    """Pages of a view hold disjoint slices whose union is the whole result."""
    total = search(client, "type=note")["total"]
    seen = []
    for page in range(1, total // 4 + 2):
        data = search(client, f"type=note&per_page=4&page={page}")
        assert data["page"] == page and data["per_page"] == 4
        seen += [r["id"] for r in data["results"]]
    assert len(seen) == len(set(seen)) == total


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=abc",
        "page=-1",
        "page=1.5",
        "page=%C2%B2",
        "per_page=0",
        "per_page=101",
        "per_page=ten",
        "per_page=%C2%B9",
        "from=2024-02-30",
        "from=12/03/2024",
        "to=notadate",
        "sort=foo",
        "sort=RELEVANCE",
    ],
)
def test_bad_input_is_a_400_with_an_error(module_client: TestClient, query: str) -> None:
    """A malformed page, per_page, date or sort is a 400 with {"error": message} naming it."""
    response = module_client.get(f"/api/search?{query}")
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert query.split("=")[0] in body["error"]


# --- /api/doc -----------------------------------------------------------------------------


def test_document_json_has_metadata_html_and_relations(client: TestClient) -> None:
    """/api/doc/{id} gives the metadata, the rendered HTML and the relations both ways."""
    response = client.get(f"/api/doc/{REPEALED}")
    assert response.status_code == 200
    doc = response.json()
    assert doc["id"] == REPEALED
    assert doc["url"] == f"/doc/{REPEALED}"
    assert doc["reference"] == "DEC201155DAJ"
    assert doc["type"] == "decision"
    assert doc["status"] == "repealed"
    assert doc["date"] == "2020-09-01"
    assert doc["regions"] == ["DR13"]
    assert doc["issuer"] == "DAJ"
    assert "<h2" in doc["html"] and "<script" not in doc["html"]
    relations = doc["relations"]
    assert set(relations) >= {"supersedes", "superseded_by", "amends", "amended_by"}
    assert [r["id"] for r in relations["superseded_by"]] == [DECISION]
    assert relations["superseded_by"][0]["url"] == f"/doc/{DECISION}"
    assert [r["id"] for r in relations["supersedes"]] == ["decisions/2017/dec170412daj"]
    assert "private" in response.headers["cache-control"]


def test_unknown_document_json_is_a_404(client: TestClient) -> None:
    """An unknown id on /api/doc is a 404 with a JSON error."""
    response = client.get("/api/doc/decisions/nope")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert set(response.json()) == {"error"}


def test_internal_document_is_absent_from_the_anonymous_api(make_client: MakeClient) -> None:
    """An internal document is a 404 on /api/doc and absent from results and counts."""
    site = make_client({
        "notes/a.md": front_matter("Budget public.", title="A", type="note", date="2024-01-02"),
        "notes/b.md": front_matter("Budget interne.", title="B", type="note", date="2024-01-03",
                                   access="internal"),
    })  # fmt: skip
    assert site.client.get("/api/doc/notes/b").status_code == 404
    data = search(site.client, "q=budget")
    assert data["total"] == 1 and [r["id"] for r in data["results"]] == ["notes/a"]
    assert data["facets"]["type"] == [
        {"value": "note", "label": "Note", "count": 1, "selected": False}
    ]


# --- OpenAPI and health -------------------------------------------------------------------


def test_openapi_description_is_valid_openapi_3(client: TestClient) -> None:
    """/api/openapi.json is an OpenAPI 3 document describing both API paths and their params."""
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"]
    assert {"/api/search", "/api/doc/{id}"} <= set(spec["paths"])
    search_op = spec["paths"]["/api/search"]["get"]
    names = {p["name"] for p in search_op["parameters"]}
    assert names >= {"q", *FACETS, "from", "to", "sort", "page", "per_page"}
    assert all(p["in"] == "query" for p in search_op["parameters"])
    assert {"200", "400"} <= set(search_op["responses"])
    doc_op = spec["paths"]["/api/doc/{id}"]["get"]
    assert [(p["name"], p["in"], p["required"]) for p in doc_op["parameters"]] == [
        ("id", "path", True)
    ]
    for op in (search_op, doc_op):
        for response_spec in op["responses"].values():
            assert response_spec["description"]

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node["$ref"]] if "$ref" in node else []
            return own + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    for ref in refs(spec):
        target: Any = spec
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        assert isinstance(target, dict), ref


def test_healthz_reports_documents_invalid_and_time(client: TestClient) -> None:
    """/healthz is {"status": "ok", "documents": N, "invalid": N, "indexed_at": ISO-8601,
    "insights": "ok"} (the insights file can be written)."""
    response = client.get("/healthz")
    assert response.status_code == 200
    health = response.json()
    assert set(health) == {"status", "documents", "invalid", "indexed_at", "insights"}
    assert health["insights"] == "ok"
    assert health["status"] == "ok"
    assert health["documents"] == sample_documents()
    assert health["invalid"] == 0
    stamp = dt.datetime.fromisoformat(health["indexed_at"])
    assert stamp.tzinfo is not None
    assert stamp <= dt.datetime.now(dt.UTC)


def test_healthz_counts_invalid_files(make_client: MakeClient) -> None:
    """A file broken after indexing counts in `invalid`, and its last valid version stays."""
    site = make_client({
        "pages/a.md": front_matter(title="A"),
        "pages/b.md": front_matter(title="B"),
    })  # fmt: skip
    assert site.client.get("/healthz").json()["invalid"] == 0
    site.write("pages/b.md", "---\ntitle: B\ntype: nonsense\n---\nTexte.\n")
    site.reindex()
    health = site.client.get("/healthz").json()
    assert health["invalid"] == 1
    assert health["documents"] == 2


def test_healthz_says_when_it_cannot_read_the_manifest(make_client: MakeClient) -> None:
    """A manifest that is not an SQLite database any more is reported by /healthz (503,
    naming the file and why), never read as "no invalid file"."""
    site = make_client({"pages/a.md": front_matter(title="A")})
    (manifest,) = site.index.glob("gen-*/manifest.sqlite")
    manifest.write_bytes(b"not a database at all " * 200)
    response = site.client.get("/healthz")
    assert response.status_code == 503
    assert f"{manifest} cannot be read" in response.json()["error"]


def test_a_reader_opens_the_manifest_read_only(make_client: MakeClient) -> None:
    """A reader's connection to the manifest cannot write (sqlite's `mode=ro`): on a
    read-only mount it reads or says why, never writes behind the writer's back."""
    site = make_client({"pages/a.md": front_matter(title="A")})
    (generation,) = site.index.glob("gen-*")
    db = manifest_file.connect(generation)
    try:
        assert db.execute("SELECT value FROM meta WHERE key = 'invalid'").fetchall() == [("0",)]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db.execute("UPDATE meta SET value = '7' WHERE key = 'invalid'")
    finally:
        db.close()
    assert site.client.get("/healthz").json()["invalid"] == 0


# --- no input yields a 500 ----------------------------------------------------------------

PARAM_NAMES = ["q", *FACETS, "from", "to", "sort", "page", "per_page"]
junk_text = st.text(max_size=40)
#: digits of every script, superscripts, fractions: what str.isdigit() and int() disagree on
unicode_digits = st.text(st.characters(categories=("Nd", "No")), min_size=1, max_size=4)
random_dates = st.builds(
    "{:04d}-{:02d}-{:02d}".format,
    st.integers(0, 10000), st.integers(0, 13), st.integers(0, 32),
)  # fmt: skip
param_values = st.one_of(
    junk_text,
    unicode_digits,
    random_dates,
    st.integers(-10, 10**6).map(str),
    st.sampled_from(["", "0", "1", "-1", "100", "101", "10000", "99999999999999999999",
                     "2024-02-30", "2024-03-12", "0000-00-00", "newest", "title",
                     "decision", "INSB", "2024", "in-force", "fr", "²", "١", " 3 ", "1e3",
                     '"', "*", "DEC24*", "a OR", "-", "((", "\x00", "%", "/"]),
)  # fmt: skip
#: some real parameters (each at most once) then junk and repeated ones, in a random order
param_lists = st.builds(
    lambda real, extra: [*real.items(), *extra],
    st.dictionaries(st.sampled_from(PARAM_NAMES), param_values, max_size=6),
    st.lists(st.tuples(st.one_of(st.sampled_from(PARAM_NAMES), junk_text), param_values),
             max_size=4),
).flatmap(st.permutations)  # fmt: skip
ALLOWED = {200, 301, 303, 400, 404}


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@example(endpoint="/api/search", query="", pairs=[("page", "²")], doc_path="")
@example(endpoint="/", query="", pairs=[("per_page", "¹")], doc_path="")
@example(endpoint="/feed.atom", query="", pairs=[("page", "1²")], doc_path="")
@example(endpoint="doc", query="", pairs=[], doc_path=".")  # the client asks for /doc
@example(endpoint="doc", query="", pairs=[], doc_path="..")  # the client asks for /
@given(
    endpoint=st.sampled_from(["/api/search", "/", "/feed.atom", "doc"]),
    query=st.one_of(junk_text, st.text(max_size=300)),
    pairs=param_lists,
    doc_path=st.text(max_size=60),
)
def test_no_input_yields_a_server_error(
    module_client: TestClient,
    endpoint: str,
    query: str,
    pairs: list[tuple[str, str]],
    doc_path: str,
) -> None:
    """Random queries, parameters and document paths get an answer (never a 5xx) within 1 s."""
    if endpoint == "doc":
        url = "/doc/" + quote(doc_path, safe="/")
        params: list[tuple[str, str]] = pairs
    else:
        url = endpoint
        params = [("q", query), *pairs]
    started = time.perf_counter()
    response = module_client.get(url, params=params)
    elapsed = time.perf_counter() - started
    assert response.status_code in ALLOWED, (url, params, response.status_code, response.text)
    assert elapsed < 1.0, (url, params, elapsed)
    if url == "/api/search" and response.status_code == 400:
        assert set(response.json()) == {"error"}
