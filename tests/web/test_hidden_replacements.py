"""A public text replaced by a text the viewer may not see (SPEC §6, issue 24 point 17).

For a viewer who may not see the replacing text, the public text's period and status come
only from what that viewer may see: its own `ends` and `status`, and the replacements
they may see. So everything an anonymous visitor gets from the repository must be what
they get from the same repository without the restricted text; a member of its group
sees the repeal, on the day before the restricted text takes effect.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree as ET

from support.trees import decision
from support.web import MakeClient, TestClient

pytest_plugins = ["support.web"]

ATOM = "{http://www.w3.org/2005/Atom}"
PROXY, PROXIES = "10.0.0.5", ("10.0.0.0/8",)
MEMBER = {"X-Remote-User": "dana", "X-Remote-Groups": "direction"}
OUTSIDER = {"X-Remote-User": "eric", "X-Remote-Groups": "drh"}

PUBLIC = {
    # replaced by the hidden text alone: in force for who may not see it
    "old.md": decision("Barème des frais de mission", "DEC240001DAJ", "Frais de mission.",
                       date="2024-01-10"),
    # its own end stays for who may not see the hidden text
    "bounded.md": decision("Seuils temporaires de mission", "DEC240002DAJ", "Seuils de mission.",
                           date="2024-01-12", ends="2030-12-31"),
    # declares itself repealed, without a day
    "declared.md": decision("Ancien régime des missions", "DEC230009DAJ", "Régime de mission.",
                            date="2023-02-01", status="repealed"),
    # replaced by the hidden text and, later, by a public one
    "chained.md": decision("Indemnités de mission", "DEC240004DAJ", "Indemnités de mission.",
                           date="2024-01-15"),
    "successor.md": decision("Indemnités de mission, nouvelles règles", "DEC240005DAJ",
                             "Nouvelles indemnités de mission.", date="2024-08-20",
                             effective="2024-09-01", supersedes=["DEC240004DAJ"]),
}  # fmt: skip
HIDDEN = {
    "secret.md": decision("Réforme des missions", "DEC240003DAJ", "Réforme de la mission.",
                          date="2024-04-02", effective="2024-05-01", access=["direction"],
                          supersedes=["DEC240001DAJ", "DEC240002DAJ", "DEC230009DAJ",
                                      "DEC240004DAJ"]),
}  # fmt: skip

#: what an anonymous visitor asks for
API_DOCS = ["old", "bounded", "declared", "chained", "successor"]
SEARCHES = [
    {},
    {"q": "mission"},
    {"status": "in-force"},
    {"status": "repealed"},
    {"at": "2024-06-15"},
    {"at": "2024-06-15", "status": "in-force"},
    {"q": "mission", "at": "2031-06-01"},
]
FEEDS = [
    {},
    {"status": "in-force"},
    {"at": "2024-06-15", "status": "in-force"},
    {"changes": "1"},
    *({"changes": "1", "doc": doc_id} for doc_id in API_DOCS),
]
PAGES = [f"/doc/{doc_id}" for doc_id in API_DOCS]


def _get(client: TestClient, url: str, params: dict[str, str] | None = None, **headers: str) -> Any:
    response = client.get(url, params=params, headers=headers)
    assert response.status_code == 200, (url, params, response.status_code, response.text)
    return response


def _feed(client: TestClient, params: dict[str, str], **headers: str) -> list[Any]:
    """A feed's title and entries, without the times a feed takes from the clock."""
    root = ET.fromstring(_get(client, "/feed.atom", params, **headers).text)
    entries = [
        {child.tag: (child.text, sorted(child.attrib.items())) for child in entry}
        for entry in root.iter(f"{ATOM}entry")
    ]
    return [root.findtext(f"{ATOM}title"), entries]


def _page(client: TestClient, url: str, **headers: str) -> str:
    """A page's main content, as the reader sees it."""
    html = _get(client, url, **headers).text
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", main)


def _view(client: TestClient, **headers: str) -> dict[str, Any]:
    """Everything the tests compare: documents, searches, feeds and pages."""
    return {
        **{f"/api/doc/{d}": _get(client, f"/api/doc/{d}", **headers).json() for d in API_DOCS},
        **{
            f"/api/search {p}": _get(
                client, "/api/search", {**p, "per_page": "50"}, **headers
            ).json()
            for p in map(dict, SEARCHES)
        },
        **{f"/feed.atom {p}": _feed(client, p, **headers) for p in map(dict, FEEDS)},
        **{url: _page(client, url, **headers) for url in PAGES},
    }


def test_who_may_not_see_the_replacing_text_sees_the_repository_without_it(
    make_client: MakeClient,
) -> None:
    """Anonymous, and signed in without the group: the same answers, feeds and pages as
    from the repository holding only the public texts (no status, date or relation of
    the hidden text's)."""
    # (the trees share one content directory: the public one is read before the other)
    public = make_client(PUBLIC, client_host=PROXY, trusted_proxies=PROXIES)
    expected = _view(public.client)
    whole = make_client({**PUBLIC, **HIDDEN}, client_host=PROXY, trusted_proxies=PROXIES)
    # the expectation is what each text's own front matter says: checked by hand
    old, bounded, declared, chained = (
        expected[f"/api/doc/{d}"] for d in ("old", "bounded", "declared", "chained")
    )
    assert (old["status"], old["effective"], old["ends"]) == ("in-force", "2024-01-10", None)
    assert (bounded["status"], bounded["ends"]) == ("in-force", "2030-12-31")
    assert (declared["status"], declared["ends"]) == ("repealed", None)
    assert (chained["status"], chained["ends"]) == ("repealed", "2024-08-31")
    for headers in ({}, OUTSIDER):
        seen = _view(whole.client, **headers)
        for key, value in expected.items():
            assert seen[key] == value, (headers, key)


def test_a_member_of_the_group_sees_the_repeal_on_the_day_before_it_takes_effect(
    make_client: MakeClient,
) -> None:
    client = make_client({**PUBLIC, **HIDDEN}, client_host=PROXY, trusted_proxies=PROXIES).client
    for doc_id in ("old", "bounded", "declared", "chained"):
        data = _get(client, f"/api/doc/{doc_id}", **MEMBER).json()
        assert (data["status"], data["ends"]) == ("repealed", "2024-04-30"), doc_id
        assert [r["id"] for r in data["relations"]["superseded_by"]] == sorted(
            ["secret", *(["successor"] if doc_id == "chained" else [])]
        )
    searched = _get(client, "/api/search", {"at": "2024-06-15"}, **MEMBER).json()
    assert {r["id"]: r["status"] for r in searched["results"]} == {
        "old": "repealed", "bounded": "repealed", "declared": "repealed", "chained": "repealed",
        "secret": "in-force",
    }  # fmt: skip
    assert {v["value"]: v["count"] for v in searched["facets"]["status"]} == {
        "in-force": 1,
        "repealed": 4,
    }
    changes = _feed(client, {"changes": "1", "doc": "old"}, **MEMBER)[1]
    assert [e[f"{ATOM}title"][0] for e in changes] == [
        "Abrogé par DEC240003DAJ : Barème des frais de mission",
        "Publié : Barème des frais de mission",
    ]


def test_the_period_follows_the_replacing_text_as_it_is_added_opened_and_removed(
    make_client: MakeClient,
) -> None:
    """Live indexing: the period each viewer is told follows the replacing text's arrival,
    its access and its removal."""
    site = make_client(PUBLIC, client_host=PROXY, trusted_proxies=PROXIES)

    def told(**headers: str) -> tuple[str, str | None]:
        data = _get(site.client, "/api/doc/old", **headers).json()
        return data["status"], data["ends"]

    site.write("secret.md", HIDDEN["secret.md"])
    site.reindex()
    assert told() == told(**OUTSIDER) == ("in-force", None)
    assert told(**MEMBER) == ("repealed", "2024-04-30")
    site.write("secret.md", HIDDEN["secret.md"].replace("- direction", "- drh"))
    site.reindex()
    assert told() == told(**MEMBER) == ("in-force", None)
    assert told(**OUTSIDER) == ("repealed", "2024-04-30")
    (site.content / "secret.md").unlink()
    site.reindex()
    assert told(**OUTSIDER) == ("in-force", None)
