"""Search insights through HTTP: one search per intent, nothing naming anyone, editors
only, bad events refused, a broken file costing the insights only, synonyms proposed."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest

from docrepo.insights import storage
from support.trees import doc
from support.web import MakeClient, WebTree

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
pytest_plugins = ["support.web"]

PROXY = "10.0.0.7"
EDITOR = {"X-Remote-User": "alice", "X-Remote-Groups": "editors"}
TREE = {
    "circulaires/mission.md": doc("Frais de mission", "Barème des frais de mission en France."),
    "circulaires/teletravail.md": doc("Télétravail", "Le télétravail des agents, deux jours."),
    "circulaires/conges.md": doc("Congés annuels", "Les congés annuels et le télétravail."),
    "restreint/secret.md": doc("Dossier réservé", "Réservé au groupe.", access=["direction"]),
}


def _site(make_client: MakeClient, **settings: object) -> WebTree:
    return make_client(TREE, client_host=PROXY, trusted_proxies=(PROXY,), **settings)


def _report(site: WebTree, days: int | None = None) -> dict[str, object]:
    params = {"days": str(days)} if days else {}
    r = site.client.get("/api/insights", params=params, headers=EDITOR)
    assert r.status_code == 200, r.text
    data: dict[str, object] = r.json()
    return data


def _open(site: WebTree, **event: object) -> int:
    body = {"source": "page", "position": 1, **event}
    return site.client.post("/insights/event", content=json.dumps(body)).status_code


def test_keystrokes_the_pause_and_the_page_load_are_one_search(make_client: MakeClient) -> None:
    """The widget's keystrokes (prefix=last), then the page of the same query, count once,
    as the widget's; another query and an API call count apart, with their sources."""
    site = _site(make_client)
    for typed in ("té", "tél", "télét", "télétra", "Télétravail"):
        site.client.get("/api/search", params={"q": typed, "prefix": "last", "source": "widget"})
    site.client.get("/", params={"q": "télétravail"})
    site.client.get("/api/search", params={"q": "frais de mission"})
    site.client.get("/feed.atom", params={"q": "congés"})
    report = _report(site)
    assert report["searches"] == 3
    assert report["sources"] == {"widget": 1, "api": 1, "feed": 1}


def test_queries_are_folded_and_one_search_is_counted_but_not_listed(
    make_client: MakeClient,
) -> None:
    """Case, accents and spaces are folded; a query searched once counts in the totals but
    is never listed; no-result and click-through rates are per query."""
    site = _site(make_client)
    for q in ("Télétravail", "teletravail  ", "Jean Dupont", "xyzzy", "XYZZY"):
        site.client.get("/", params={"q": q})
        _report(site)  # each search its own intent
    report = _report(site)
    assert report["searches"] == 5
    assert report["no_results_rate"] == pytest.approx(0.6)  # Jean Dupont, xyzzy twice
    listed = {row["query"] for row in report["top"]}  # type: ignore[union-attr]
    assert listed == {"teletravail", "xyzzy"}
    assert [r["query"] for r in report["no_results"]] == ["xyzzy"]  # type: ignore[union-attr]
    assert [r["query"] for r in report["unopened"]] == ["teletravail"]  # type: ignore[union-attr]
    assert "dupont" not in json.dumps(report)
    page = site.client.get("/insights", headers=EDITOR).text
    assert "Dupont" not in page and "dupont" not in page
    assert 'href="/?q=xyzzy"' in page  # a query that found nothing links to its search


def test_insights_are_for_editors_only(make_client: MakeClient) -> None:
    """Anyone but a member of editor_groups gets a 404, as for a hidden document."""
    site = _site(make_client, editor_groups=("redaction",))
    for headers in ({}, {"X-Remote-User": "bob", "X-Remote-Groups": "editors"}):
        assert site.client.get("/insights", headers=headers).status_code == 404
        assert site.client.get("/api/insights", headers=headers).status_code == 404
    editor = {"X-Remote-User": "carla", "X-Remote-Groups": "redaction"}
    assert site.client.get("/insights", headers=editor).status_code == 200
    assert site.client.get("/api/insights?days=0", headers=editor).status_code == 400
    assert site.client.get("/api/insights?days=396", headers=editor).status_code == 400


def test_nothing_naming_a_person_reaches_the_file(make_client: MakeClient, tmp_path: Path) -> None:
    """A named user with groups, from a trusted proxy, searches and opens a result: no
    byte of the insights file or its WAL holds the name, a group or an address."""
    path = tmp_path / "privacy.sqlite"
    site = _site(make_client, insights=str(path))
    who = {"X-Remote-User": "zoe.martinez", "X-Remote-Groups": "direction,labo-kappa",
           "User-Agent": "Mozilla/5.0 (Zorglub 9.3)", "Cookie": "visit=v-81736451"}  # fmt: skip
    for q in ("télétravail", "dossier réservé", "télétravail"):
        site.client.get("/", params={"q": q}, headers=who)
        event = {"q": q, "doc": "circulaires/teletravail", "position": 1, "source": "page"}
        site.client.post("/insights/event", headers=who, content=json.dumps(event))
        _report(site)
    assert _report(site)["searches"] == 3
    data = path.read_bytes() + Path(f"{path}-wal").read_bytes()
    for secret in ("zoe", "martinez", "direction", "labo-kappa", PROXY, "Zorglub", "81736451"):
        assert secret.encode() not in data, secret
    assert b"teletravail" in data  # the file was read where the searches are


def test_recording_off_records_nothing(make_client: MakeClient, tmp_path: Path) -> None:
    """insights = "off": searches answer, nothing is written, the page says so."""
    site = _site(make_client, insights="off")
    assert site.client.get("/", params={"q": "télétravail"}).status_code == 200
    assert site.client.get("/healthz").json()["insights"] == "off"
    assert _report(site)["searches"] == 0
    assert not list(tmp_path.glob("*.sqlite"))


def test_forged_events_are_refused_or_ignored(make_client: MakeClient, tmp_path: Path) -> None:
    """Unknown document, position past the results, a query never searched, a 100 KB body,
    10,000 events of one client: no 500, and an opened result counts at most as often as
    its query was searched."""
    path = tmp_path / "forged.sqlite"
    site = _site(make_client, insights=str(path))
    site.client.get("/", params={"q": "télétravail"})  # 2 results
    _report(site)
    assert _open(site, q="télétravail", doc="circulaires/nowhere") == 204
    assert _open(site, q="télétravail", doc="circulaires/teletravail", position=3) == 204
    assert _open(site, q="jamais cherché", doc="circulaires/teletravail") == 204
    assert _open(site, q="télétravail", doc="circulaires/teletravail", position=0) == 400
    assert _open(site, q="télétravail", doc=["x"]) == 400
    assert site.client.post("/insights/event", content=b"{" * 100_000).status_code == 413
    assert site.client.post("/insights/event", content=b"\xff\xfe").status_code == 400
    assert site.client.put("/insights/event", content=b"{}").status_code == 405
    replayed = {"q": "télétravail", "doc": "circulaires/conges", "position": 2, "source": "page"}
    for _ in range(10_000):
        site.client.post("/insights/event", content=json.dumps(replayed))
    report = _report(site)
    assert report["documents"] == [{"id": "circulaires/conges", "clicks": 1}]
    assert report["average_position"] == 2
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM opened").fetchone() == (1,)
        assert db.execute("SELECT sum(opened) FROM opened").fetchone() == (1,)


def test_a_damaged_file_costs_the_insights_only(
    make_client: MakeClient, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A file that is not SQLite: searches answer, /healthz says unavailable, the log says
    why once."""
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"not a database, " * 512)
    site = _site(make_client, insights=str(path))
    with caplog.at_level(logging.WARNING, logger="docrepo.insights"):
        for q in ("télétravail", "frais", "congés"):
            r = site.client.get("/", params={"q": q})
            assert r.status_code == 200 and "Télétravail" in r.text or q != "télétravail"
            site.client.get("/api/insights", headers=EDITOR)  # writes what is buffered
        assert site.client.get("/healthz").json()["insights"] == "unavailable"
        assert site.client.get("/api/insights", headers=EDITOR).status_code == 503
    said = [r.getMessage() for r in caplog.records if "insights are unavailable" in r.getMessage()]
    assert len(said) == 1 and "damaged.sqlite" in said[0]


def test_a_locked_file_costs_the_insights_only(
    make_client: MakeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holding the file's lock: searches answer, /healthz says unavailable."""
    monkeypatch.setattr(storage, "BUSY_TIMEOUT", 0.2)
    path = tmp_path / "locked.sqlite"
    site = _site(make_client, insights=str(path))
    site.client.get("/", params={"q": "télétravail"})
    _report(site)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert site.client.get("/", params={"q": "congés"}).status_code == 200
        site.client.get("/api/insights", headers=EDITOR)
        assert site.client.get("/healthz").json()["insights"] == "unavailable"
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_proposed_synonym_once_committed_finds_the_failed_query(make_client: MakeClient) -> None:
    """'ndf' finds nothing, then the same tab opens a result of 'frais de mission': three
    times, and the line proposed, pasted into synonyms.yml, makes 'ndf' find it."""
    site = _site(make_client)
    assert site.client.get("/api/search", params={"q": "ndf"}).json()["total"] == 0
    for _ in range(3):
        site.client.get("/", params={"q": "NDF"})
        _report(site)
        site.client.get("/", params={"q": "frais de mission"})
        assert _open(site, q="frais de mission", doc="circulaires/mission", failed="NDF") == 204
        _report(site)
    proposals = _report(site)["synonym_proposals"]
    assert proposals == [{"terms": ["ndf", "frais de mission"], "seen": 3,
                          "line": "- [ndf, frais de mission]", "replaces": None}]  # fmt: skip
    assert "- [ndf, frais de mission]" in site.client.get("/insights", headers=EDITOR).text
    site.write("synonyms.yml", proposals[0]["line"] + "\n")  # type: ignore[index]
    found = site.client.get("/api/search", params={"q": "ndf"}).json()
    assert [r["id"] for r in found["results"]] == ["circulaires/mission"]
    assert _report(site)["synonym_proposals"] == []  # synonyms now: no longer proposed


def test_a_document_the_editor_may_not_see_is_named_by_its_id(make_client: MakeClient) -> None:
    """The documents most opened: by title when the editor may see them, else by id."""
    site = _site(make_client)
    for _ in range(2):
        site.client.get("/", params={"q": "dossier"}, headers={"X-Remote-User": "d",
                        "X-Remote-Groups": "direction"})  # fmt: skip
        assert _open(site, q="dossier", doc="restreint/secret") == 204
        _report(site)
    page = site.client.get("/insights", headers=EDITOR).text
    assert "<code>restreint/secret</code>" in page and "Dossier réservé" not in page
    director = {"X-Remote-User": "d", "X-Remote-Groups": "direction,editors"}
    assert "Dossier réservé" in site.client.get("/insights", headers=director).text
