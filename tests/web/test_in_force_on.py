"""Texts in force on a date through HTTP (SPEC §4 `at`, §5): the search page, the API, the
facets, the feeds, and the document page's period and chain of replacements."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from docrepo.config import Settings
from docrepo.content.taxonomy import load_taxonomy
from docrepo.search.library import Library
from docrepo.webapp.app import build_app
from support.dom import parse_html
from support.trees import decision, front_matter
from support.web import MakeClient, TestClient, query_of

pytest_plugins = ["support.web"]

ATOM = "{http://www.w3.org/2005/Atom}"
TREE = {
    "old.md": decision("Télétravail des agents", "DEC1", date="2024-03-12"),
    "new.md": decision("Télétravail des agents, nouvelles règles", "DEC2", date="2025-01-20",
                       effective="2025-02-04", supersedes=["DEC1"]),
    "later.md": decision("Télétravail des agents, règles futures", "DEC3", date="2025-06-01",
                         effective="2099-01-01", supersedes=["DEC2"]),
    "interim.md": front_matter("Le télétravail pendant les travaux.", title="Télétravail",
                               type="circular", date="2000-01-01", ends="2000-12-31"),
}  # fmt: skip


def _api(client: TestClient, **params: str) -> dict[str, Any]:
    response = client.get("/api/search", params={"per_page": "50", **params})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def _statuses(data: dict[str, Any]) -> dict[str, str]:
    return {r["id"]: r["status"] for r in data["results"]}


def _status_facet(data: dict[str, Any]) -> dict[str, int]:
    return {v["value"]: v["count"] for v in data["facets"]["status"]}


def test_api_at_lists_what_was_in_force_that_day(make_client: MakeClient) -> None:
    """`at` leaves out texts not yet in force and shows a text repealed later as in force;
    the status facet counts follow; each result carries its period."""
    client = make_client(TREE).client
    data = _api(client, at="2024-06-01")
    assert _statuses(data) == {"old": "in-force", "interim": "repealed"}
    assert _status_facet(data) == {"in-force": 1, "repealed": 1}
    old = next(r for r in data["results"] if r["id"] == "old")
    assert (old["effective"], old["ends"]) == ("2024-03-12", "2025-02-03")
    data = _api(client, at="2025-06-01", q="télétravail des agents")
    assert _statuses(data) == {"old": "repealed", "new": "in-force", "interim": "repealed"}
    assert _status_facet(data) == {"in-force": 1, "repealed": 2}
    assert [r["id"] for r in data["results"]][:2] == ["new", "old"]
    assert _statuses(_api(client, at="2000-06-01")) == {"interim": "in-force"}


def test_api_without_at_gives_todays_statuses(make_client: MakeClient) -> None:
    """Without `at`, every text is listed with its status today: a text past its `ends` is
    repealed, one whose replacement is not yet in force still in force."""
    data = _api(make_client(TREE).client)
    assert _statuses(data) == {
        "old": "repealed", "new": "in-force", "later": "in-force", "interim": "repealed",
    }  # fmt: skip
    assert _status_facet(data) == {"in-force": 2, "repealed": 2}
    assert _statuses(_api(make_client(TREE).client, status="in-force")).keys() == {"new", "later"}


def test_a_bad_at_is_a_400_naming_it(make_client: MakeClient) -> None:
    """A malformed `at` is a 400 with a JSON error on the API, an HTML page on the page."""
    client = make_client(TREE).client
    response = client.get("/api/search?at=2024-02-30")
    assert response.status_code == 400
    assert response.json()["error"] == "'at' must be a date YYYY-MM-DD, not '2024-02-30'"
    page = client.get("/?at=hier")
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")


def test_the_feed_of_a_day_holds_what_was_in_force_then(make_client: MakeClient) -> None:
    """`/feed.atom?at=` lists the texts of that day, and its links keep the day."""
    client = make_client(TREE).client
    response = client.get("/feed.atom?at=2025-06-01")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "Documents au 1er juin 2025 — Doc'utiles"
    titles = {e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")}
    assert titles == {
        "Télétravail des agents", "Télétravail des agents, nouvelles règles", "Télétravail",
    }  # fmt: skip
    alternate = next(
        link for link in feed.iter(f"{ATOM}link") if link.get("rel") == "alternate"
    ).get("href")
    assert ("at", "2025-06-01") in query_of(alternate or "")


def test_the_search_page_of_a_day_shows_it_as_a_removable_filter(
    make_client: MakeClient,
) -> None:
    """`/?at=` shows the day's results, the day in its date field and as an active filter
    whose removal gives today's view; links of the view keep the day."""
    client = make_client(TREE).client
    page = parse_html(client.get("/?at=2024-06-01", headers={"Accept-Language": "fr"}).text)
    results = page.find_all("li", cls="hit")
    assert [("repealed" in r.classes) for r in results] == [False, True]
    assert "Télétravail des agents" in results[0].text
    field = page.find_all("input", id="at")
    assert field and field[0].attrs["value"] == "2024-06-01"
    chips = [c for c in page.find_all("a", cls="chip") if "En vigueur le" in c.text]
    assert len(chips) == 1 and "1er juin 2024" in chips[0].text
    assert ("at", "2024-06-01") not in query_of(chips[0].attrs["href"])
    feed = page.find_all("link", type="application/atom+xml")
    assert any(("at", "2024-06-01") in query_of(link.attrs["href"]) for link in feed)


def test_the_document_page_shows_the_period_and_the_texts_in_force_in_its_place(
    make_client: MakeClient,
) -> None:
    """A replaced text's page gives its period, then each text in force after it down the
    chain, with its own period."""
    client = make_client(TREE).client
    page = parse_html(client.get("/doc/old", headers={"Accept-Language": "fr"}).text)
    validity = page.find_all("section", cls="validity")[0]
    period = validity.find_all("p", cls="period")[0].text
    assert period == "En vigueur du 12 mars 2024 au 3 février 2025"
    chain = [li.text for li in validity.find_all("li")]
    assert chain == [
        "Télétravail des agents, nouvelles règles (DEC2) — "
        "En vigueur du 4 février 2025 au 31 décembre 2098",
        "Télétravail des agents, règles futures (DEC3) — En vigueur à partir du 1er janvier 2099",
    ]
    links = [a.attrs["href"] for a in validity.find_all("a")]
    assert links == ["/doc/new", "/doc/later"]
    english = parse_html(client.get("/doc/later", headers={"Accept-Language": "en"}).text)
    period = english.find_all("p", cls="period")[0].text
    assert period == "In force from January 1, 2099"


def test_the_page_and_the_api_give_the_status_on_the_clocks_day(
    make_client: MakeClient, tmp_path: Path
) -> None:
    """The same index served on two days: the text whose period ended in between is in
    force on the first, repealed on the second (API and page)."""
    tree = make_client(TREE)

    def client_on(day: dt.date) -> TestClient:
        library = Library(tree.index, tree.content, today=lambda: day)
        taxonomy = load_taxonomy(tree.content)[0]
        app = build_app(Settings(content=tree.content, index=tree.index), library, taxonomy)
        return TestClient(app)

    for day, status in ((dt.date(2025, 1, 1), "in-force"), (dt.date(2025, 6, 1), "repealed")):
        client = client_on(day)
        assert client.get("/api/doc/old").json()["status"] == status
        assert _statuses(_api(client))["old"] == status
    english = client_on(dt.date(2024, 6, 1)).get("/doc/old", headers={"Accept-Language": "en"})
    assert "In force from March 12, 2024 to February 3, 2025" in english.text


def test_api_doc_and_openapi_describe_the_period(make_client: MakeClient) -> None:
    """`/api/doc` gives `effective` and `ends`; the OpenAPI description documents `at`."""
    client = make_client(TREE).client
    doc = client.get("/api/doc/new").json()
    assert (doc["effective"], doc["ends"]) == ("2025-02-04", "2098-12-31")
    assert client.get("/api/doc/interim").json()["ends"] == "2000-12-31"
    spec = client.get("/api/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert params["at"]["schema"] == {"type": "string", "format": "date"}
