"""Facet values as unit directors use them: texts of general scope, years newest first."""

from __future__ import annotations

from typing import Any

from support.trees import front_matter
from support.web import MakeClient, TestClient

pytest_plugins = ["support.web"]

TREE = {
    "circulars/general.md": front_matter(title="Circulaire générale", type="circular",
                                         date="2024-01-10"),
    "circulars/insb.md": front_matter(title="Circulaire INSB", type="circular",
                                      date="2023-02-01", institutes=["INSB"], regions=["DR13"]),
    "circulars/inc.md": front_matter(title="Circulaire INC", type="circular",
                                     date="2021-03-01", institutes=["INC"]),
    "notes/region.md": front_matter(title="Note régionale", type="note", date="2019-06-01",
                                    regions=["DR13"]),
}  # fmt: skip


def _facet(client: TestClient, name: str, **params: Any) -> list[dict[str, Any]]:
    values: list[dict[str, Any]] = client.get("/api/search", params=params).json()["facets"][name]
    return values


def _ids(client: TestClient, params: list[tuple[str, str]]) -> set[str]:
    return {r["id"] for r in client.get("/api/search", params=params).json()["results"]}


def test_texts_of_general_scope_have_a_value_of_their_own(make_client: MakeClient) -> None:
    """A director ticks their institute and "general": they see both, counted like any value."""
    client = make_client(TREE).client
    institutes = {v["value"]: v["count"] for v in _facet(client, "institute")}
    assert institutes == {"general": 2, "INSB": 1, "INC": 1}
    regions = {v["value"]: v["count"] for v in _facet(client, "region")}
    assert regions == {"general": 2, "DR13": 2}
    view = [("institute", "INSB"), ("institute", "general"), ("type", "circular")]
    assert _ids(client, view) == {"circulars/general", "circulars/insb"}
    assert _ids(client, [("region", "general")]) == {"circulars/general", "circulars/inc"}
    assert _ids(client, [("institute", "general"), ("region", "general")]) == {"circulars/general"}


def test_the_general_value_is_labelled_in_the_interface_language(make_client: MakeClient) -> None:
    client = make_client(TREE).client
    french = {v["value"]: v["label"] for v in _facet(client, "institute")}
    assert french["general"] == "Portée générale"
    client.cookies.set("lang", "en")
    english = {v["value"]: v["label"] for v in _facet(client, "region")}
    assert english["general"] == "Organisation-wide"
    page = client.get("/", params=[("institute", "general")]).text
    assert "Organisation-wide" in page


def test_a_document_with_an_institute_is_not_of_general_scope(make_client: MakeClient) -> None:
    """The record itself is untouched: its institutes stay what the front matter says."""
    client = make_client(TREE).client
    document = client.get("/api/doc/circulars/general").json()
    assert document["institutes"] == [] and document["regions"] == []


def test_years_are_listed_newest_first(make_client: MakeClient) -> None:
    """Years are a time line: newest first, whatever their counts (SPEC §5)."""
    tree = dict(TREE)
    tree["circulars/more.md"] = front_matter(title="Autre", type="circular", date="2019-09-01")
    client = make_client(tree).client
    years = [v["value"] for v in _facet(client, "year")]
    assert years == ["2024", "2023", "2021", "2019"]
    page = client.get("/").text
    positions = [page.index(f'value="{year}"') for year in years]
    assert positions == sorted(positions)
