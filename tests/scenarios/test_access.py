"""Access (SPEC §6): a matrix of viewers × endpoints over a tree of public and restricted texts.

Four documents, each with its own word in title and body, tied by relations and links
both ways: a public note, an internal circular, a decision for group `drh` and an
instruction for groups `daj` and `dsi`. Each viewer (anonymous, signed in, each group,
identity headers from an untrusted or spoofed address, no trusted proxies) is sent to
every face, and each face must show exactly what the viewer may see and nothing of the rest.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from docrepo.app import create_app
from docrepo.cli import main
from docrepo.config import Settings
from docrepo.indexing.pipeline import update_index
from docrepo.store.writing import IndexStore
from support.dom import Node, parse_html
from support.trees import front_matter, write_tree
from support.web import TEST_HOSTS, MakeClient, TestClient

pytest_plugins = ["support.web"]

ATOM = "{http://www.w3.org/2005/Atom}"
FACETS = ("type", "institute", "region", "issuer", "theme", "status", "lang", "year")
PROXY = "10.0.0.5"
PROXIES = ("10.0.0.0/8",)
OUTSIDER = "192.0.2.9"

PUB, INT, DRH, DAJ_DSI = "notes/public", "notes/internal", "notes/drh", "notes/dajdsi"
ALL = (PUB, INT, DRH, DAJ_DSI)


@dataclass(frozen=True)
class Doc:
    """What the tree holds of one document, and what every face must say of it."""

    word: str
    title: str
    reference: str
    type: str
    date: str
    institutes: tuple[str, ...]
    issuer: str
    lang: str
    access: str | list[str]
    status: str
    alias: str | None = None
    supersedes: tuple[str, ...] = ()
    amends: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    extra_body: str = ""


DOCS: dict[str, Doc] = {
    PUB: Doc(
        "publicword", "Note publicword", "NOT240001DGDR", "note", "2024-03-01", ("INSB",),
        "DGDR", "fr", "public", "in-force", supersedes=(DRH,), links=(INT, DRH, DAJ_DSI),
        extra_body="Voir aussi [une page absente](missing-public.md).",
    ),
    INT: Doc(
        "internalword", "Circulaire internalword", "CIR230002DGDR", "circular", "2023-04-02",
        ("INP",), "DGDR", "fr", "internal", "in-force", alias="old/internal-circular",
        amends=(PUB,), links=(PUB,),
    ),
    DRH: Doc(
        "drhword", "Décision drhword", "DEC220003DAJ", "decision", "2022-05-03",
        ("INSB", "INC"), "DAJ", "fr", ["drh"], "repealed", alias="old/drh-decision",
        links=(PUB,), extra_body="Et [une annexe disparue](missing-drh.md).",
    ),
    DAJ_DSI: Doc(
        "dajdsiword", "Instruction dajdsiword", "INS210004DSI", "instruction", "2021-06-04",
        ("INSU",), "DSI", "en", ["daj", "dsi"], "in-force", amends=(PUB,), links=(PUB,),
    ),
}  # fmt: skip
BROKEN = "notes/broken.md"


def _files() -> dict[str, str]:
    files: dict[str, str] = {}
    for doc_id, doc in DOCS.items():
        fields: dict[str, Any] = {
            "title": doc.title,
            "type": doc.type,
            "lang": doc.lang,
            "date": doc.date,
            "reference": doc.reference,
            "institutes": list(doc.institutes),
            "issuer": doc.issuer,
            "access": doc.access,
            "summary": f"Résumé {doc.word}.",
        }
        if doc.alias:
            fields["aliases"] = [doc.alias]
        if doc.supersedes:
            fields["supersedes"] = [DOCS[t].reference for t in doc.supersedes]
        if doc.amends:
            fields["amends"] = list(doc.amends)
        links = " ".join(
            f"[lien {n}]({target.rsplit('/', 1)[1]}.md)" for n, target in enumerate(doc.links, 1)
        )
        body = f"Le texte {doc.word} sharedword.\n\n{links}\n\n{doc.extra_body}"
        files[f"{doc_id}.md"] = front_matter(body, **fields)
    files[BROKEN] = "---\ntype: note\n---\n\nNo title.\n"
    return files


FILES = _files()


def _inverse(name: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {doc_id: [] for doc_id in DOCS}
    for doc_id, doc in DOCS.items():
        for target in getattr(doc, name):
            found[target].append(doc_id)
    return {k: sorted(v) for k, v in found.items()}


RELATIONS: dict[str, dict[str, list[str]]] = {
    doc_id: {
        "supersedes": list(DOCS[doc_id].supersedes),
        "superseded_by": _inverse("supersedes")[doc_id],
        "amends": list(DOCS[doc_id].amends),
        "amended_by": _inverse("amends")[doc_id],
    }
    for doc_id in DOCS
}
LINKS_IN = _inverse("links")


# --- the viewers --------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewerCase:
    """Who asks: from which address, to a site trusting which proxies, with which headers."""

    name: str
    sees: frozenset[str]
    headers: dict[str, str] = field(default_factory=dict)
    host: str = PROXY
    proxies: tuple[str, ...] = PROXIES
    user: str | None = None

    @property
    def hidden(self) -> list[str]:
        return [d for d in ALL if d not in self.sees]


def _who(user: str, groups: str | None = None) -> dict[str, str]:
    return {"X-Remote-User": user, **({"X-Remote-Groups": groups} if groups else {})}


EVERY_GROUP = _who("mallory", "drh,daj,dsi")
VIEWERS = [
    ViewerCase("anonymous", frozenset({PUB})),
    ViewerCase("signed-in", frozenset({PUB, INT}), _who("alice"), user="alice"),
    ViewerCase("group-drh", frozenset({PUB, INT, DRH}), _who("bob", "drh"), user="bob"),
    ViewerCase("group-daj", frozenset({PUB, INT, DAJ_DSI}), _who("carol", "daj"), user="carol"),
    ViewerCase(
        "groups-dsi-other", frozenset({PUB, INT, DAJ_DSI}), _who("dave", "dsi,other"), user="dave"
    ),
    ViewerCase(
        "groups-padded", frozenset({PUB, INT, DRH}), _who("erin", " other , drh "), user="erin"
    ),
    ViewerCase("groups-without-user", frozenset({PUB}), {"X-Remote-Groups": "drh,daj,dsi"}),
    ViewerCase("untrusted-address", frozenset({PUB}), EVERY_GROUP, host=OUTSIDER),
    ViewerCase(
        "spoofed-forwarded-for",
        frozenset({PUB}),
        {**EVERY_GROUP, "X-Forwarded-For": PROXY, "X-Real-IP": PROXY, "Forwarded": f"for={PROXY}"},
        host=OUTSIDER,
    ),
    ViewerCase("no-trusted-proxies", frozenset({PUB}), EVERY_GROUP, proxies=()),
]


@pytest.fixture(scope="module")
def site_for(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[ViewerCase], Any]]:
    """The access tree, indexed once, served to requests from the viewer's address.

    What `make_client(FILES, client_host=…, trusted_proxies=…)` builds, shared by the
    matrix (which never changes the tree): one client per address and proxy setting.
    """
    root = tmp_path_factory.mktemp("access")
    content = write_tree(root, FILES)
    update_index(content, IndexStore(root / "index"))
    clients: dict[tuple[str, tuple[str, ...]], TestClient] = {}
    with contextlib.ExitStack() as stack:

        def make(viewer: ViewerCase) -> Any:
            key = (viewer.host, viewer.proxies)
            if key not in clients:
                settings = Settings(content=content, index=root / "index",
                                    trusted_proxies=key[1], allowed_hosts=TEST_HOSTS)  # fmt: skip
                client = TestClient(
                    create_app(settings), follow_redirects=False, client=(key[0], 50000)
                )
                clients[key] = stack.enter_context(client)
            return SimpleNamespace(client=clients[key])

        yield make


# --- helpers --------------------------------------------------------------------------------


def get(client: TestClient, url: str, viewer: ViewerCase, status: int = 200) -> Any:
    response = client.get(url, headers=viewer.headers)
    assert response.status_code == status, (viewer.name, url, response.status_code, response.text)
    return response


def api(client: TestClient, viewer: ViewerCase, **params: Any) -> dict[str, Any]:
    data: dict[str, Any] = get(
        client, "/api/search?" + urlencode(params, doseq=True), viewer
    ).json()
    return data


def secrets_of(doc_ids: list[str]) -> list[str]:
    """Strings that only the given documents hold: their word and their reference."""
    return [s for d in doc_ids for s in (DOCS[d].word, DOCS[d].reference)]


def assert_no_secret(text: str, viewer: ViewerCase, where: str) -> None:
    lowered = text.lower()
    leaked = [s for s in secrets_of(viewer.hidden) if s.lower() in lowered]
    assert not leaked, f"{viewer.name}: {where} shows {leaked}"


def year(doc: Doc) -> str:
    return doc.date[:4]


def expected_facets(visible: frozenset[str]) -> dict[str, dict[str, int]]:
    """Facet counts of the unfiltered view over the visible documents."""
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}

    def add(name: str, value: str) -> None:
        counts[name][value] = counts[name].get(value, 0) + 1

    for doc_id in visible:
        doc = DOCS[doc_id]
        add("type", doc.type)
        add("issuer", doc.issuer)
        add("status", doc.status)
        add("lang", doc.lang)
        add("year", year(doc))
        for institute in doc.institutes or ["general"]:
            add("institute", institute)
        add("region", "general")  # none of these documents has a region
    return counts


def doc_ids_in(node: Node) -> set[str]:
    """Ids of the documents an element links to."""
    return {
        a.attrs["href"].removeprefix("/doc/").split("#")[0]
        for a in node.find_all("a")
        if a.attrs.get("href", "").startswith("/doc/")
    }


def html_facets(dom: Node) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for name in FACETS:
        box = dom.first("fieldset", id=f"facet-{name}")
        if box is None:
            continue
        for item in box.find_all("li"):
            value = item.find("input").attrs["value"]
            found[name][value] = int(item.find("span", cls="count").text)
    return found


def feed_ids(body: bytes) -> list[str]:
    root = ET.fromstring(body)
    return [
        urlsplit(entry.find(f"{ATOM}link").attrib["href"]).path.removeprefix("/doc/")  # type: ignore[union-attr]
        for entry in root.findall(f"{ATOM}entry")
    ]


# --- the checks: one per face ---------------------------------------------------------------


def check_api_listing(client: TestClient, viewer: ViewerCase) -> None:
    """/api/search without a query: results, total and every facet's counts."""
    data = api(client, viewer, per_page=100)
    assert data["total"] == len(viewer.sees)
    assert {r["id"] for r in data["results"]} == viewer.sees
    got = {
        name: {v["value"]: v["count"] for v in values} for name, values in data["facets"].items()
    }
    assert got == expected_facets(viewer.sees)
    assert_no_secret(json.dumps(data, ensure_ascii=False), viewer, "/api/search")


def check_api_words(client: TestClient, viewer: ViewerCase) -> None:
    """Each document's own word, reference and reference prefix find it only if visible;
    with a word every summary holds, it comes first if visible, and the search widened
    to the visible others says that they lack the word, not that anything holds it."""
    for doc_id, doc in DOCS.items():
        for q in (doc.word, doc.title, doc.reference, doc.reference[:5] + "*"):
            data = api(client, viewer, q=q)
            expected = [doc_id] if doc_id in viewer.sees else []
            assert [r["id"] for r in data["results"]] == expected, (viewer.name, q)
            assert data["total"] == len(expected), (viewer.name, q)
            assert_counts_and_no_secret(data, viewer, q)
        q = f"Résumé {doc.word}"
        data = api(client, viewer, q=q)
        found = [r["id"] for r in data["results"]]
        others = data["results"][1:] if doc_id in viewer.sees else data["results"]
        assert (found[:1] == [doc_id]) == (doc_id in viewer.sees), (viewer.name, q)
        assert set(found) <= viewer.sees and data["total"] == len(found), (viewer.name, q)
        assert all(r["missing"] == [doc.word] for r in others), (viewer.name, q)
        assert_counts_and_no_secret(data, viewer, q)


def assert_counts_and_no_secret(data: dict[str, Any], viewer: ViewerCase, q: str) -> None:
    """The facets count the results, and the answer names nothing hidden from the viewer
    (but for the query's own words, echoed as typed in `query` and `missing`)."""
    counts = {n: sum(v["count"] for v in values) for n, values in data["facets"].items()}
    assert counts["type"] == counts["status"] == counts["lang"] == data["total"]
    echo = {k: v for k, v in data.items() if k not in ("query", "results")}
    echo["results"] = [{k: v for k, v in r.items() if k != "missing"} for r in data["results"]]
    assert_no_secret(json.dumps(echo, ensure_ascii=False), viewer, f"/api/search?q={q}")


def check_api_status_filter(client: TestClient, viewer: ViewerCase) -> None:
    """Filtering on a status or an institute counts only visible documents, facets included."""
    data = api(client, viewer, status="repealed")
    repealed = {d for d in viewer.sees if DOCS[d].status == "repealed"}
    assert {r["id"] for r in data["results"]} == repealed
    status = {v["value"]: v["count"] for v in data["facets"]["status"]}
    assert status == expected_facets(viewer.sees)["status"] | {"repealed": len(repealed)}
    data = api(client, viewer, institute="INC")
    assert {r["id"] for r in data["results"]} == {
        d for d in viewer.sees if "INC" in DOCS[d].institutes
    }
    institutes = {v["value"]: v["count"] for v in data["facets"]["institute"]}
    assert institutes == {"INC": 0} | expected_facets(viewer.sees)["institute"]


def check_api_snippets(client: TestClient, viewer: ViewerCase) -> None:
    """A word every text holds finds the visible ones, each snippet its own text only."""
    data = api(client, viewer, q="sharedword")
    assert {r["id"] for r in data["results"]} == viewer.sees
    for result in data["results"]:
        own = DOCS[result["id"]].word
        assert own in result["snippet"] and "<mark>sharedword</mark>" in result["snippet"]
        assert_no_secret(result["snippet"], viewer, "a snippet")


def check_suggestions(client: TestClient, viewer: ViewerCase) -> None:
    """A typo of a document's word is corrected into it only for those who may see the
    document: they get it as the result; the others get nothing, and no correction."""
    for doc_id, doc in DOCS.items():
        typo = doc.word[:-1] + "t"
        data = api(client, viewer, q=typo)
        visible = doc_id in viewer.sees
        assert [r["id"] for r in data["results"]] == ([doc_id] if visible else [])
        assert data["suggestion"] == data["corrected"] == (doc.word if visible else None), typo
        assert data["total"] == (1 if visible else 0)
        dom = parse_html(get(client, "/?" + urlencode({"q": typo}), viewer).text)
        shown = dom.first("p", cls="suggestion")
        if visible:
            assert shown is not None and doc.word in shown.text
        else:
            assert shown is None
            assert_no_secret(dom.text, viewer, f"the search page for {typo!r}")


def check_html_search(client: TestClient, viewer: ViewerCase) -> None:
    """The search page lists the visible documents, counts them, and counts facets on them."""
    for url in (
        "/?per_page=100",
        "/?q=sharedword",
        "/?q=" + "+OR+".join(d.word for d in DOCS.values()),
    ):
        response = get(client, url, viewer)
        dom = parse_html(response.text)
        hits = dom.find_all("li", cls="hit")
        assert {next(iter(doc_ids_in(h))) for h in hits} == viewer.sees, url
        title = dom.find(id="results-title").text
        assert re.match(rf"^{len(viewer.sees)}\b", title), title
        assert html_facets(dom) == expected_facets(viewer.sees), url
        # the query is echoed in the box and the title: what the page shows of documents is not
        assert_no_secret(dom.find("main").text, viewer, url)
        if "OR" not in url:
            assert_no_secret(response.text, viewer, url)


def check_feed(client: TestClient, viewer: ViewerCase) -> None:
    """The Atom feed of any view holds the visible documents only."""
    response = get(client, "/feed.atom", viewer)
    assert set(feed_ids(response.content)) == viewer.sees
    assert_no_secret(response.text, viewer, "/feed.atom")
    for doc_id, doc in DOCS.items():
        for query in ({"q": doc.word}, {"institute": list(doc.institutes), "type": doc.type}):
            response = get(client, "/feed.atom?" + urlencode(query, doseq=True), viewer)
            assert feed_ids(response.content) == ([doc_id] if doc_id in viewer.sees else [])
            # the feed's title and links echo the query; its entries are what it shows
            entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
            shown = " ".join(ET.tostring(e, encoding="unicode") for e in entries)
            assert_no_secret(shown, viewer, f"/feed.atom?{query}")


def check_document_pages(client: TestClient, viewer: ViewerCase) -> None:
    """/doc/{id}: 200 for a visible document, whose lists name visible documents only; 404."""
    for doc_id, doc in DOCS.items():
        if doc_id not in viewer.sees:
            response = get(client, f"/doc/{doc_id}", viewer, 404)
            assert doc.title not in response.text
            assert_no_secret(response.text, viewer, f"404 of /doc/{doc_id}")
            continue
        response = get(client, f"/doc/{doc_id}", viewer)
        dom = parse_html(response.text)
        assert dom.find("h1").text == doc.title
        side = dom.find("aside", cls="doc-side")
        related = set(LINKS_IN[doc_id]) | set(doc.links)
        for names in RELATIONS[doc_id].values():
            related |= set(names)
        assert doc_ids_in(side) == related & viewer.sees, (viewer.name, doc_id)
        banner = dom.first("div", cls="banner")
        if banner is not None:
            assert doc_ids_in(banner) <= viewer.sees
        relations = dom.first("section", cls="relations")
        if not any(set(v) & viewer.sees for v in RELATIONS[doc_id].values()):
            assert relations is None, (viewer.name, doc_id, relations and relations.text)
        # the body may link anywhere its author chose; nothing else names a hidden text
        dom.find("div", cls="doc-body").children.clear()
        assert_no_secret(dom.text, viewer, f"/doc/{doc_id}")
        for hidden in viewer.hidden:
            assert DOCS[hidden].title not in response.text


def check_api_documents(client: TestClient, viewer: ViewerCase) -> None:
    """/api/doc/{id}: relations, links in and links out name visible documents only; else 404."""
    leaks: list[str] = []
    for doc_id, doc in DOCS.items():
        if doc_id not in viewer.sees:
            response = get(client, f"/api/doc/{doc_id}", viewer, 404)
            assert_no_secret(response.text, viewer, f"404 of /api/doc/{doc_id}")
            continue
        data = get(client, f"/api/doc/{doc_id}", viewer).json()
        assert data["title"] == doc.title and data["status"] == doc.status
        for name, ids in RELATIONS[doc_id].items():
            assert [r["id"] for r in data["relations"][name]] == [
                i for i in ids if i in viewer.sees
            ], (viewer.name, doc_id, name)
        assert sorted(r["id"] for r in data["links_in"]) == [
            i for i in LINKS_IN[doc_id] if i in viewer.sees
        ]
        named = set(data["links"] or []) & set(viewer.hidden)
        if named:
            leaks.append(f"the links out of {doc_id} name hidden {sorted(named)}")
        without_body = {k: v for k, v in data.items() if k not in ("html", "links")}
        assert_no_secret(json.dumps(without_body, ensure_ascii=False), viewer, f"/api/doc/{doc_id}")
        for hidden in viewer.hidden:
            assert DOCS[hidden].title not in json.dumps(data, ensure_ascii=False)
    assert not leaks, f"{viewer.name}: {leaks}"


def check_aliases(client: TestClient, viewer: ViewerCase) -> None:
    """An alias redirects (301) to a visible document; a hidden one's alias is a plain 404."""
    for doc_id, doc in DOCS.items():
        if not doc.alias:
            continue
        if doc_id in viewer.sees:
            response = get(client, f"/doc/{doc.alias}", viewer, 301)
            assert response.headers["location"] == f"/doc/{doc_id}"
        else:
            response = get(client, f"/doc/{doc.alias}", viewer, 404)
            assert "location" not in response.headers
            assert doc_id not in response.text
            assert_no_secret(response.text, viewer, f"/doc/{doc.alias}")


def check_problems(client: TestClient, viewer: ViewerCase) -> None:
    """/problems lists problems of visible files, and of never-valid files to signed-in users."""
    response = get(client, "/problems", viewer)
    dom = parse_html(response.text)
    paths = [
        code.text.rpartition(":")[0] for row in dom.find_all("tr") if (code := row.first("code"))
    ]
    expected = {f"{d}.md" for d in viewer.sees if DOCS[d].extra_body}
    if viewer.user:
        expected.add(BROKEN)
    linking = {f"{d}.md" for d in viewer.sees if set(DOCS[d].links) & set(viewer.hidden)}
    assert set(paths) == expected | linking, viewer.name
    messages = [row.text for row in dom.find_all("tr") if row.first("code")]
    for hidden in viewer.hidden:  # named only as a visible text's link to a missing file
        naming = [m for m in messages if f"{hidden}.md" in m]
        assert all(f"lien vers {hidden}.md, qui n'existe pas" in m for m in naming)
        assert response.text.count(f"{hidden}.md") == len(naming)
    if not viewer.user:
        assert BROKEN not in response.text


def check_private(client: TestClient, viewer: ViewerCase) -> None:
    """Every answer of a face that depends on identity is marked Cache-Control: private."""
    urls = ["/", "/api/search", "/feed.atom", "/problems"]
    urls += [f"{face}/{d}" for d in DOCS for face in ("/doc", "/api/doc")]
    urls += [f"/doc/{doc.alias}" for doc in DOCS.values() if doc.alias]
    public = []
    for url in urls:
        response = client.get(url, headers=viewer.headers)
        assert response.status_code in (200, 301, 404), (url, response.status_code)
        cache = response.headers.get("cache-control", "")
        if "private" not in cache and "no-store" not in cache:
            public.append(f"{url} answered {response.status_code} with Cache-Control {cache!r}")
    assert not public, f"{viewer.name}: {public}"


def check_signed_in(client: TestClient, viewer: ViewerCase) -> None:
    """Every page says who is signed in, or that nobody is."""
    for url in ("/", f"/doc/{PUB}", "/problems"):
        who = parse_html(get(client, url, viewer).text).find("span", cls="who").text
        if viewer.user:
            assert viewer.user in who, (url, who)
        else:
            assert who == "Non connecté", (url, who)
            assert "mallory" not in who


CHECKS = [
    check_api_listing,
    check_api_words,
    check_api_status_filter,
    check_api_snippets,
    check_suggestions,
    check_html_search,
    check_feed,
    check_document_pages,
    check_api_documents,
    check_aliases,
    check_problems,
    check_private,
    check_signed_in,
]


@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__.removeprefix("check_") for c in CHECKS])
@pytest.mark.parametrize("viewer", VIEWERS, ids=[v.name for v in VIEWERS])
def test_access_matrix(
    site_for: Callable[[ViewerCase], Any],
    viewer: ViewerCase,
    check: Callable[[TestClient, ViewerCase], None],
) -> None:
    """Each face shows a viewer exactly the documents SPEC §6 lets them see (see the check)."""
    check(site_for(viewer).client, viewer)


# --- around the matrix ----------------------------------------------------------------------


def test_the_tree_is_as_the_matrix_assumes(make_client: MakeClient) -> None:
    """Every document of the tree is indexed, with its derived status; only broken.md fails."""
    site = make_client(FILES)
    summary = site.reindex()
    problems = {(p.path, p.level) for p in summary.problems}
    assert problems == {
        ("notes/public.md", "warning"),
        ("notes/drh.md", "warning"),
        (BROKEN, "error"),
    }


def test_cli_search_sees_every_document(
    make_client: MakeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`docrepo search` runs beside the files and sees every document, restricted ones included."""
    site = make_client(FILES)
    monkeypatch.chdir(tmp_path)
    where = ["--content", str(site.content), "--index", str(site.index)]
    result = CliRunner().invoke(main, ["search", *where, "--json", "--limit", "100"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == len(DOCS)
    assert {r["id"] for r in data["results"]} == set(DOCS)
    for doc_id, doc in DOCS.items():
        result = CliRunner().invoke(main, ["search", *where, "--json", doc.word])
        assert [r["id"] for r in json.loads(result.stdout)["results"]] == [doc_id]
        result = CliRunner().invoke(main, ["search", *where, doc.word[:-1] + "t"])
        assert result.exit_code == 0 and doc.word in result.stdout
    result = CliRunner().invoke(main, ["search", *where, "sharedword"])
    assert result.exit_code == 0
    for doc in DOCS.values():
        assert doc.title in result.stdout


@pytest.mark.parametrize(
    "clash",
    [{"reference": DOCS[DRH].reference}, {"aliases": [DOCS[DRH].alias]}],
    ids=["same-reference", "same-alias"],
)
def test_a_problem_message_never_names_a_hidden_file(
    make_client: MakeClient, clash: dict[str, Any]
) -> None:
    """A visible file's problem does not reveal a restricted file's path or id to outsiders."""
    files = {
        f"{DRH}.md": FILES[f"{DRH}.md"],
        "notes/zz-public.md": front_matter(
            "Texte public.", title="Copie publique", type="note", date="2024-01-01", **clash
        ),
    }
    site = make_client(files, client_host=PROXY, trusted_proxies=PROXIES)
    signed_in = parse_html(site.client.get("/problems", headers=_who("bob", "drh")).text)
    rows = [row.text for row in signed_in.find_all("tr") if row.first("code")]
    clashes = [row for row in rows if row.startswith("notes/zz-public.md")]
    assert clashes and DRH in clashes[0], rows
    for viewer in (VIEWERS[0], VIEWERS[1]):  # anonymous, signed in without the group
        response = get(site.client, "/problems", viewer)
        shown = [row.text for row in parse_html(response.text).find_all("tr") if row.first("code")]
        assert DRH not in response.text, f"{viewer.name} reads {shown}"


@pytest.mark.parametrize(
    "headers",
    [
        [("X-Remote-User", "user-a"), ("X-Remote-User", "user-b")],
        [("X-Remote-User", "alice"), ("X-Remote-User", "alice")],
        [("X-Remote-User", "bob"), ("X-Remote-Groups", "drh"), ("X-Remote-Groups", "daj")],
    ],
)
def test_a_duplicated_identity_header_is_anonymous(
    site_for: Callable[[ViewerCase], Any], headers: list[tuple[str, str]]
) -> None:
    """From the trusted proxy, a request that carries an identity header twice is
    anonymous, whichever copy comes first: it sees only the public document."""
    client = site_for(VIEWERS[0]).client
    data = client.get("/api/search", params={"q": "sharedword"}, headers=headers).json()
    assert {r["id"] for r in data["results"]} == {PUB}
    single = client.get("/api/search", params={"q": "sharedword"}, headers=headers[:1]).json()
    assert {r["id"] for r in single["results"]} > {PUB}


def test_a_link_to_a_hidden_document_is_warned_of_as_a_link_to_a_missing_file(
    make_client: MakeClient,
) -> None:
    """/problems shows a viewer the same warning for a link to a document hidden from
    them as for a link to a file that does not exist, and none to who may see it."""
    files = {
        "notes/a.md": front_matter("Voir [b](b.md).", title="A"),
        "notes/b.md": front_matter("Interne.", title="B", access="internal"),
        "notes/c.md": front_matter("Voir [d](d.md).", title="C"),
    }
    site = make_client(files, client_host=PROXY, trusted_proxies=PROXIES)

    def warnings(headers: dict[str, str]) -> list[str]:
        dom = parse_html(site.client.get("/problems", headers=headers).text)
        return sorted(row.text for row in dom.find_all("tr") if row.first("code"))

    anonymous = warnings({})
    assert len(anonymous) == 2
    assert any("lien vers notes/b.md, qui n'existe pas" in w for w in anonymous)
    assert any("lien vers notes/d.md, qui n'existe pas" in w for w in anonymous)
    signed_in = warnings(_who("alice"))
    assert len(signed_in) == 1 and "notes/d.md" in signed_in[0]
