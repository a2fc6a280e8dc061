"""Hostile input: markup that would run in a browser, path traversal, abusive queries and
requests, and random documents full of markup characters.

What every test checks of HTML is the same: parsed with html.parser, no element has an
`on*` attribute, no `<script>` but the site's own (`/static/…`, `/widget.js`, by `src`), no
URL attribute that a browser would run (`javascript:`, `vbscript:`, `data:` but images),
whatever the case, entities or control characters a payload used.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode
from xml.etree import ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.types import ASGIApp

from docrepo.content.documents import parse_bytes
from docrepo.content.taxonomy import load_taxonomy
from docrepo.indexing.pipeline import update_index
from docrepo.store.writing import IndexStore
from support.dom import Node, parse_html
from support.trees import SAMPLE_CONTENT, TAXONOMY, front_matter
from support.web import MakeClient, TestClient, WebTree

pytest_plugins = ["support.web"]

ATOM = "{http://www.w3.org/2005/Atom}"

# --- what "no executable markup" means ------------------------------------------------------

#: attributes whose value a browser loads or follows as a URL
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "poster", "background", "data", "xlink:href",
    "cite", "longdesc", "ping", "manifest", "codebase", "lowsrc", "dynsrc", "srcset",
}  # fmt: skip
#: elements that embed or redirect to other active content
ACTIVE_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "svg",
    "math",
}
#: what a browser ignores in a URL before reading its scheme: spaces, tabs, newlines, controls
IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")
SITE_SCRIPTS = re.compile(r"^/static/[\w.-]+\.js$|^/widget\.js$")


def dangerous_url(tag: str, attribute: str, value: str) -> bool:
    url = IGNORED_IN_URL.sub("", value).lower()
    if url.startswith(("javascript:", "vbscript:")):
        return True
    if url.startswith("data:"):
        return not (tag == "img" and attribute == "src" and url.startswith("data:image/"))
    return False


def executable_markup(text: str) -> list[str]:
    """Every piece of markup a browser would execute, found walking the page's DOM."""
    found: list[str] = []
    for node in parse_html(text).iter():
        tag, values = node.tag, node.attrs
        for name, value in values.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and dangerous_url(tag, name, value):
                found.append(f"<{tag} {name}={value!r}>")
            if name == "srcdoc" or (name == "style" and "expression(" in value.lower()):
                found.append(f"<{tag} {name}={value!r}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            found.append(f"<meta refresh {values.get('content')!r}>")
        if tag in ACTIVE_ELEMENTS:
            found.append(f"<{tag}>")
        if tag == "script":
            if not SITE_SCRIPTS.match(values.get("src", "")):
                found.append(f"<script src={values.get('src')!r}>")
            if script := _text_of(node):
                found.append(f"inline script {script[:60]!r}")
    return found


def _text_of(node: Node) -> str:
    """The text right inside an element, as written (a script's code)."""
    return "".join(c for c in node.children if isinstance(c, str)).strip()


def assert_safe_html(text: str, where: str) -> None:
    found = executable_markup(text)
    assert not found, f"{where}: executable markup {found}"


def test_the_scanner_catches_what_it_must() -> None:
    """The checker itself flags each kind of executable markup and passes the site's own."""
    bad = [
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        "<img src=x onerror=alert(1)>",
        '<a href=" JaVa\tScRiPt:alert(1)">x</a>',
        '<a href="jav&#x61;script:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="\x01javascript:alert(1)">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<a href="data:text/html,&lt;script&gt;">x</a>',
        '<iframe srcdoc="x"></iframe>',
        '<form action="javascript:alert(1)"></form>',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        "<svg onload=alert(1)>",
    ]
    for markup in bad:
        assert executable_markup(markup), markup
    good = (
        '<script src="/static/search.0123456789.js" defer></script><script src="/widget.js">'
        '</script><img src="data:image/png;base64,AAAA"><a href="/doc/x">x</a>'
        '<a href="https://example.org/javascript:">y</a><p>javascript:alert(1)</p>'
    )
    assert executable_markup(good) == []


# --- payloads ---------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(1)>'
ATTR = "' onmouseover='alert(1)"
JS = "javascript:alert(1)"
PAYLOADS = [SCRIPT, IMG, SVG, ATTR, JS, "</title><script>alert(1)</script>", "{{ 7*7 }}"]

#: links and images in Markdown that must not become executable (each on its own line)
MARKDOWN_LINKS = [
    "[a](javascript:alert(1))",
    "[b](JaVaScRiPt:alert(1))",
    "[c](jav&#x61;script:alert(1))",
    "[d](&#106;avascript:alert(1))",
    "[e](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
    "[f](<java\tscript:alert(1)>)",
    "[g](<java\nscript:alert(1)>)",
    "[h](java&#09;script:alert(1))",
    "[i](javascript&colon;alert(1))",
    "[j](\x01javascript:alert(1))",
    "[k](<\tjavascript:alert(1)>)",
    "[l](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[m](DATA:text/html,<script>alert(1)</script>)",
    "[n](vbscript:msgbox(1))",
    "![o](javascript:alert(1))",
    "![p](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "[q][r]\n\n[r]: javascript:alert(1)",
    '[s](https://example.org/" onclick="alert(1))',
    '<a href="javascript:alert(1)">raw</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    SCRIPT,
    IMG,
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
]
TITLE = f"{SCRIPT} {IMG} xsstitleword"
XSS_FIELDS: dict[str, Any] = {
    "title": TITLE,
    "type": "unit",
    "summary": f"{IMG} {SVG} xsssummaryword",
    "director": SVG,
    "city": f"</dd>{SCRIPT}",
    "country": f"<a href={JS}>c</a>",
    "code": ATTR,
    "partners": [SCRIPT, JS, IMG],
    "reference": "XSS-2024/1",
    "aliases": [f"old/{SCRIPT}", 'old/"><svg onload=alert(1)>'],
    "website": f'https://example.org/"><script>alert(1)</script>{ATTR}',
    "themes": ["telework"],
    "institutes": ["INSB"],
}
XSS_BODY = (
    f"# Titre {SCRIPT}\n\nxssbodyword et {SCRIPT} et {IMG}.\n\n"
    + "\n\n".join(MARKDOWN_LINKS)
    + "\n"
)
EVIL_LABEL = "<img src=x onerror=alert(1)>"
EVIL_TYPE_LABEL = "<svg onload=alert(1)>"


def evil_taxonomy() -> str:
    """The sample taxonomy with hostile labels on the theme `telework` and the type `unit`."""
    text = TAXONOMY.read_text(encoding="utf-8")
    text = text.replace(
        "telework: {fr: Télétravail, en: Telework}",
        f'telework: {{fr: "{EVIL_LABEL}", en: "{SCRIPT}"}}',
    )
    text = text.replace(
        "unit: {fr: Unité, en: Unit}", f'unit: {{fr: "{EVIL_TYPE_LABEL}", en: "{IMG}"}}'
    )
    assert EVIL_LABEL in text and EVIL_TYPE_LABEL in text
    return text


XSS_FILES = {
    "taxonomy.yml": evil_taxonomy(),
    "units/xss.md": front_matter(XSS_BODY, **XSS_FIELDS),
    "notes/plain.md": front_matter(
        "Un texte simple xssbodyword.", title="Note simple", type="note", date="2024-02-02",
        themes=["telework"],
    ),
}  # fmt: skip


@pytest.fixture
def xss_site(make_client: MakeClient) -> WebTree:
    """A site over the hostile tree (hostile labels, a unit page full of payloads)."""
    site = make_client(XSS_FILES)
    assert site.client.get("/doc/units/xss").status_code == 200, site.reindex().problems
    return site


def html_page(client: TestClient, url: str, status: int = 200, **kwargs: Any) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"] == "nosniff"
    text: str = response.text
    assert_safe_html(text, url)
    return text


def json_of(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    return response.json()


def atom(client: TestClient, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    root = ET.fromstring(response.content)  # well-formed, or this raises
    strangers = [e.tag for e in root.iter() if not e.tag.startswith(ATOM)]
    assert not strangers, f"{url}: elements outside Atom: {strangers}"
    return root


def assert_snippet_is_text(snippet: str, where: str) -> None:
    """A snippet holds no markup but <mark>: everything else is escaped text."""
    bare = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in bare and ">" not in bare, f"{where}: unescaped markup in {snippet!r}"


# --- XSS through documents and labels --------------------------------------------------------


def test_document_page_shows_every_hostile_value_as_text(xss_site: WebTree) -> None:
    """Title, body, every front-matter string and taxonomy labels come out as text on /doc."""
    for lang in ("fr", "en"):
        text = html_page(xss_site.client, "/doc/units/xss", headers={"Accept-Language": lang})
        dom = parse_html(text)
        assert dom.find("h1").text == TITLE
        assert TITLE in dom.find("title").text
        side = dom.find("aside", cls="doc-side").text
        for value in (
            SVG,
            f"</dd>{SCRIPT}",
            f"<a href={JS}>c</a>",
            ATTR,
            ", ".join(XSS_FIELDS["partners"]),
        ):
            assert value in side, value
        assert (EVIL_LABEL if lang == "fr" else SCRIPT) in side
        assert (EVIL_TYPE_LABEL if lang == "fr" else IMG) in side
        body = dom.find("div", cls="doc-body").text
        assert SCRIPT in body and IMG in body
        website = dom.find("a", rel="noopener noreferrer")
        assert website.attrs["href"] == XSS_FIELDS["website"]


def test_markdown_links_never_become_executable(xss_site: WebTree) -> None:
    """No spelling of javascript:, vbscript: or data: in a link or image makes a live URL."""
    data = json_of(xss_site.client, "/api/doc/units/xss")
    assert_safe_html(data["html"], "/api/doc html")
    body = parse_html(data["html"])
    hrefs = [a.attrs.get("href", "") for a in body.find_all("a")]
    assert all(h.startswith(("https://", "/doc/", "#", "java%09script:")) for h in hrefs), hrefs
    assert '<a href="javascript:alert(1)">raw</a>' in body.text
    assert "<iframe src=javascript:alert(1)></iframe>" in body.text


def test_search_page_results_facets_chips_and_snippets_are_text(xss_site: WebTree) -> None:
    """Results, facet labels, chips and snippets of hostile documents are shown as text."""
    client = xss_site.client
    text = html_page(client, "/?q=xssbodyword&theme=telework&type=unit")
    dom = parse_html(text)
    assert [h.find("a").text for h in dom.find_all("li", cls="hit")] == [TITLE]
    chips = [c.text for c in dom.find_all("a", cls="chip")]
    assert any(EVIL_LABEL in c for c in chips) and any(EVIL_TYPE_LABEL in c for c in chips)
    assert EVIL_LABEL in dom.find("fieldset", id="facet-theme").text
    for q in ("script alert", "onerror", "svg onload", "xsssummaryword"):
        page = parse_html(html_page(client, "/?" + urlencode({"q": q})))
        snippets = page.find_all("p", cls="snippet")
        assert snippets, q
        data = json_of(client, "/api/search?" + urlencode({"q": q}))
        for result in data["results"]:
            assert_snippet_is_text(result["snippet"], q)
    data = json_of(client, "/api/search?q=script+alert")
    snippet = data["results"][0]["snippet"]
    assert "&lt;" in snippet and "<mark>script</mark>" in snippet
    assert SCRIPT in html.unescape(snippet.replace("<mark>", "").replace("</mark>", ""))


@pytest.mark.parametrize("payload", PAYLOADS + ["JaVaScRiPt:alert(1)", "jav&#x61;script:x"])
def test_a_hostile_query_is_reflected_as_text(xss_site: WebTree, payload: str) -> None:
    """A hostile query comes back as text in the box, the title, chips, feed links and JSON."""
    client = xss_site.client
    query = urlencode({"q": payload, "type": payload, "theme": payload})
    dom = parse_html(html_page(client, f"/?{query}"))
    assert dom.find("input", id="q").attrs["value"] == payload
    assert payload in dom.find("title").text
    assert any(payload in c.text for c in dom.find_all("a", cls="chip"))
    for url in ("/?" + urlencode({"from": payload}), "/?" + urlencode({"sort": payload})):
        html_page(client, url, status=400)
    html_page(client, "/doc/" + quote(payload, safe=""), status=404)
    data = json_of(client, f"/api/search?{query}")
    assert data["query"] == payload
    assert {v["value"] for v in data["facets"]["type"] if v["selected"]} == {payload}
    assert json_of(client, "/api/search?" + urlencode({"from": payload}), 400)["error"]
    root = atom(client, f"/feed.atom?{query}")
    title = root.find(f"{ATOM}title").text  # type: ignore[union-attr]
    assert title == f"« {payload} » · Documents de type {payload} — {payload} — Doc'utiles"


def test_a_suggestion_built_from_a_hostile_query_is_text(xss_site: WebTree) -> None:
    """A suggestion keeps the user's hostile words: shown as text in the page, text in JSON."""
    client = xss_site.client
    query = f"xssbodywort {SCRIPT}"
    data = json_of(client, "/api/search?" + urlencode({"q": query}))
    assert data["suggestion"] == f"xssbodyword {SCRIPT}"
    dom = parse_html(html_page(client, "/?" + urlencode({"q": query})))
    assert dom.find("p", cls="suggestion").find("strong").text == f"xssbodyword {SCRIPT}"


def test_json_api_returns_hostile_values_as_plain_strings(xss_site: WebTree) -> None:
    """The JSON API gives each hostile value back unchanged, as a string (never as markup)."""
    data = json_of(xss_site.client, "/api/doc/units/xss")
    for name, value in XSS_FIELDS.items():
        if name not in ("type", "themes", "institutes"):
            assert data[name] == value, name
    assert_safe_html(data["html"], "api html")
    assert data["toc"][0][2] == f"Titre {SCRIPT}"
    results = json_of(xss_site.client, "/api/search?q=xsstitleword")["results"]
    assert [r["title"] for r in results] == [TITLE]
    facets = json_of(xss_site.client, "/api/search?theme=telework")["facets"]
    assert {v["label"] for v in facets["theme"]} == {EVIL_LABEL}


def test_atom_feed_stays_well_formed_with_hostile_values(xss_site: WebTree) -> None:
    """The feed holds hostile titles, summaries and labels as text and stays well-formed XML."""
    root = atom(xss_site.client, "/feed.atom?q=xssbodyword")
    entries = {e.find(f"{ATOM}title").text: e for e in root.findall(f"{ATOM}entry")}  # type: ignore[union-attr]
    entry = entries[TITLE]
    assert entry.find(f"{ATOM}summary").text == XSS_FIELDS["summary"]  # type: ignore[union-attr]
    assert entry.find(f"{ATOM}summary").attrib["type"] == "text"  # type: ignore[union-attr]
    assert entry.find(f"{ATOM}category").attrib["label"] == EVIL_TYPE_LABEL  # type: ignore[union-attr]
    payload = "]]><script>alert(1)</script><![CDATA[\x01\ufffe"
    root = atom(xss_site.client, "/feed.atom?" + urlencode({"q": payload}))
    assert "<script>" in (root.find(f"{ATOM}title").text or "")  # type: ignore[union-attr]


def test_other_pages_stay_safe_with_hostile_content(xss_site: WebTree) -> None:
    """Problems, widget, 404, language switch and alias redirect pages hold no executable markup."""
    client = xss_site.client
    for url in ("/problems", "/widget", "/opensearch.xml"):
        response = client.get(url)
        assert response.status_code == 200
        assert_safe_html(response.text, url)
    alias = XSS_FIELDS["aliases"][0]
    response = client.get("/doc/" + quote(alias))
    assert response.status_code == 301 and response.headers["location"] == "/doc/units/xss"
    targets = [JS, "//evil.example/", "/\\evil.example", "\t//evil.example", "/\t/evil.example"]
    targets += ["https://evil.example", "/%2F/evil.example", "/\\/evil.example"]
    for target in targets:
        response = client.get("/lang/en?" + urlencode({"next": target}))
        assert response.status_code == 303
        # a browser drops tabs and newlines from a URL before reading it
        location = IGNORED_IN_URL.sub("", response.headers["location"])
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location


def test_identity_and_language_headers_are_shown_as_text(make_client: MakeClient) -> None:
    """A hostile user name from the proxy, or a hostile language cookie, is shown as text."""
    site = make_client(
        {"notes/n.md": front_matter("Texte.", title="N")},
        client_host="10.0.0.5",
        trusted_proxies=("10.0.0.0/8",),
    )
    headers = {"X-Remote-User": SCRIPT + "{user}", "X-Remote-Groups": IMG}
    for url in ("/", "/doc/notes/n", "/problems", "/doc/missing"):
        text = site.client.get(url, headers=headers).text
        assert_safe_html(text, url)
        assert SCRIPT + "{user}" in parse_html(text).find("span", cls="who").text
    for cookie in (f"lang={quote(SVG)}", 'lang="><script>alert(1)</script>'):
        text = html_page(site.client, "/", headers={"Cookie": cookie, "Accept-Language": IMG})
        assert parse_html(text).find("html").attrs["lang"] in ("fr", "en")
    html_page(site.client, "/lang/" + quote(SCRIPT, safe=""), status=404)


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "jav&#x61;script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/",
        "http:javascript:alert(1)",
    ],
)
def test_a_website_that_is_not_a_web_address_is_a_validation_error(website: str) -> None:
    """`website:` must be an http(s) address: a script or data URL is refused with a message."""
    taxonomy, _ = load_taxonomy(SAMPLE_CONTENT)
    text = front_matter("Texte.", title="Unité", type="unit", website=website)
    parsed = parse_bytes("units/u.md", text.encode(), taxonomy)
    assert parsed.document is None
    assert [p.field for p in parsed.problems if p.level == "error"] == ["website"]


@pytest.mark.parametrize("reference", [SCRIPT, 'DEC1" onclick="alert(1)', "DEC1<b>", "-x"])
def test_a_reference_with_markup_is_a_validation_error(reference: str) -> None:
    """A reference holds letters, digits and . _ / - only: markup in it is refused."""
    taxonomy, _ = load_taxonomy(SAMPLE_CONTENT)
    text = front_matter("Texte.", title="Note", type="page", reference=reference)
    parsed = parse_bytes("pages/p.md", text.encode(), taxonomy)
    assert parsed.document is None
    assert [p.field for p in parsed.problems if p.level == "error"] == ["reference"]


def test_a_script_website_keeps_the_document_out_of_the_site(make_client: MakeClient) -> None:
    """A document whose website is javascript: is not served, and the problems page says why."""
    site = make_client(
        {"units/u.md": front_matter("Texte uword.", title="Unité", type="unit", website=JS)},
        client_host="10.0.0.5",
        trusted_proxies=("10.0.0.0/8",),
    )
    assert site.client.get("/doc/units/u").status_code == 404
    assert json_of(site.client, "/api/search?q=uword")["total"] == 0
    editor = {"X-Remote-User": "alice"}
    problems = parse_html(html_page(site.client, "/problems", headers=editor)).find("main").text
    assert "website" in problems and JS in problems


# --- path traversal ---------------------------------------------------------------------------


def raw_get(app: ASGIApp, raw_path: str) -> tuple[int, bytes]:
    """A GET whose path reaches the application as written, as uvicorn passes it on."""
    path, _, query = raw_path.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": unquote(path), "raw_path": path.encode(), "root_path": "",
        "query_string": query.encode(), "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


TRAVERSALS = [
    "/doc",
    "/doc/",
    "/doc/.",
    "/api/doc",
    "/api/doc/.",
    "/doc/../../etc/passwd",
    "/doc/%2e%2e/%2e%2e/etc/passwd",
    "/doc/..%2f..%2fetc%2fpasswd",
    "/doc/..%2F..%2F..%2Fpyproject",
    "/doc/..\\..\\etc\\passwd",
    "/doc/..%5c..%5cetc%5cpasswd",
    "/doc/%252e%252e/%252e%252e/etc/passwd",
    "/doc/....//....//etc/passwd",
    "/doc//etc/passwd",
    "/doc/%00",
    "/doc/../pyproject",
    "/static/../pyproject.toml",
    "/static/%2e%2e%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/..%5cpyproject.toml",
    "/static/..\\..\\pyproject.toml",
    "/static/style.css",
    "/static/%2fetc%2fpasswd",
    "/api/doc/../../x",
    "/api/doc/..%2f..%2fetc%2fpasswd",
    "/api/doc/%2e%2e/%2e%2e/pyproject",
    "/api/doc/..\\..\\pyproject",
    "/lang/..%2f..%2fetc%2fpasswd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_gets_nothing_but_a_404(client: TestClient, path: str) -> None:
    """A path climbing out of the documents or static folder is a 404 (or 400), never a file."""
    status, body = raw_get(client.app, path)
    assert status in (400, 404), (path, status)
    assert b"[build-system]" not in body and b"root:x:0:0" not in body
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert b"[build-system]" not in response.content and b"root:x:0:0" not in response.content


@pytest.mark.parametrize("path", ["/doc/..", "/api/doc/..", "/doc/.", "/doc/./"])
def test_dot_segments_sent_as_written_name_no_document(client: TestClient, path: str) -> None:
    """`/doc/..` as a client sends it unresolved (curl --path-as-is) is a 404 at once: no
    document has the id `..` or `.`, and no redirect leads anywhere (a browser resolves
    the dots itself: `/doc/..` is the home page, `/doc/.` is `/doc/`, a 404)."""
    status, _ = raw_get(client.app, path)
    assert status == 404, (path, status)


def test_symlinks_out_of_the_content_tree_are_not_followed(
    make_client: MakeClient, tmp_path: Path
) -> None:
    """A symlinked file or folder under content/ leading outside is neither indexed nor served."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.md").write_text(front_matter("Texte outsideword.", title="Secret"))
    (outside / "folder" / "inner.md").write_text(front_matter("Texte folderword.", title="In"))
    site = make_client({"notes/n.md": front_matter("Texte insideword.", title="Dedans")})
    (site.content / "notes" / "secret.md").symlink_to(outside / "secret.md")
    (site.content / "linked").symlink_to(outside / "folder", target_is_directory=True)
    site.reindex()
    update_index(site.content, IndexStore(site.index), paths=["notes/secret.md", "linked"])
    for word in ("outsideword", "folderword"):
        assert json_of(site.client, f"/api/search?q={word}")["total"] == 0, word
    for doc_id in ("notes/secret", "linked/inner"):
        assert site.client.get(f"/doc/{doc_id}").status_code == 404
        assert site.client.get(f"/api/doc/{doc_id}").status_code == 404
    assert json_of(site.client, "/api/search?q=insideword")["total"] == 1
    assert json_of(site.client, "/healthz")["documents"] == 1


# --- abusive queries --------------------------------------------------------------------------

NESTED = 1000
ABUSIVE_QUERIES = {
    "star": "*",
    "infix-wildcard": "*a*",
    "question-mark": "?",
    "many-wildcards": " ".join(["*a*"] * 400),
    "fuzzy": "abc~5",
    "range": "body:[a TO z]",
    "open-range": "date:[19000101 TO]",
    "field": "title:x",
    "thousand-terms": " ".join(f"mot{i}" for i in range(1000)),
    "eight-hundred-or": " OR ".join(f"m{i}" for i in range(800)),
    "parentheses": "(" * NESTED + "a" + ")" * NESTED,
    "quotes": '"' * 2 * NESTED,
    "nested-quotes": '"a ' * NESTED,
    "negations": " ".join(["-a"] * 1000),
    "prefixes": " ".join(["DEC*"] * 800),
    "backslashes": "\\" * 2500,
    "long-word": "a" * 6000,
}


def _timed(client: TestClient, url: str) -> tuple[int, float]:
    started = time.perf_counter()
    response = client.get(url)
    return response.status_code, time.perf_counter() - started


@pytest.mark.parametrize("name", list(ABUSIVE_QUERIES))
def test_an_abusive_query_is_answered_quickly(client: TestClient, name: str) -> None:
    """Wildcards, fuzzy, ranges, fields, 1,000 terms and deep nesting each answer within 0.5 s."""
    query = urlencode({"q": ABUSIVE_QUERIES[name]})
    assert len(query) <= 8192
    client.get("/api/search?q=warm")
    for face in ("/api/search", "/", "/feed.atom"):
        status, seconds = _timed(client, f"{face}?{query}")
        assert status == 200, (face, status)
        assert seconds < 0.5, f"{face} took {seconds:.2f} s for {name}"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ("page=10000&per_page=100", 200),
        ("q=*&page=10000&per_page=100", 200),
        ("page=10001", 400),
        ("page=999999999999", 400),
        ("per_page=100000000000000000000", 400),
        ("page=-1", 400),
        ("page=1e9", 400),
        ("q=" + "a+" * 4000, 200),
        ("q=" + "%C3%A9" * 1300, 200),
        ("q=" + "x" * 10_240, 414),
    ],
)
def test_deep_pages_and_long_queries_are_answered_quickly(
    client: TestClient, params: str, status: int
) -> None:
    """Deep pages, huge page numbers and a 10 KB query answer fast, with a result or a 4xx."""
    client.get("/api/search?q=warm")
    for face in ("/api/search", "/"):
        got, seconds = _timed(client, f"{face}?{params}")
        assert got == status, (face, params[:60], got)
        assert seconds < 0.5, f"{face}?{params[:60]} took {seconds:.2f} s"


# --- abusive requests -------------------------------------------------------------------------


@pytest.mark.parametrize("face", ["/", "/api/search", "/feed.atom", "/doc/x"])
def test_a_query_string_over_8_kb_is_refused_with_414(client: TestClient, face: str) -> None:
    """A query string longer than 8 KB is a 414, whatever the face."""
    response = client.get(f"{face}?q={'a' * 8200}")
    assert response.status_code == 414
    assert client.get(f"{face}?q={'a' * 8000}").status_code != 414


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize(
    "url", ["/", "/api/search", "/doc/decisions/2024/dec240187daj", "/problems"]
)
def test_methods_other_than_get_are_refused_with_405(
    client: TestClient, method: str, url: str
) -> None:
    """Every view is a GET: other methods get a 405 that says which are allowed."""
    response = client.request(method, url, content=b"q=x" * 1000)
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


def test_a_bad_host_is_refused_when_allowed_hosts_is_set(make_client: MakeClient) -> None:
    """With allowed_hosts, a request for another Host is a 400; the allowed one is served."""
    site = make_client(
        {"notes/n.md": front_matter("Texte.", title="N")}, allowed_hosts=("docs.example.org",)
    )
    for host in ("evil.example", "docs.example.org.evil.example", "evil.example#docs.example.org"):
        assert site.client.get("/", headers={"Host": host}).status_code == 400, host
    for host in ("docs.example.org", "docs.example.org:8443"):
        assert site.client.get("/", headers={"Host": host}).status_code == 200, host
        assert site.client.get("/api/search", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Padding": "a" * 100_000},
        {"Cookie": "lang=" + "f" * 100_000},
        {"Accept-Language": ",".join(["fr;q=0.5"] * 12_000)},
        {"X-Remote-User": "u" * 100_000, "X-Remote-Groups": ",".join(["g"] * 50_000)},
        {"Host": "h" * 100_000},
    ],
    ids=["padding", "cookie", "accept-language", "identity", "host"],
)
def test_a_100_kb_header_is_not_a_server_error(client: TestClient, headers: dict[str, str]) -> None:
    """A header of 100 KB gets an answer (a page or a 4xx), never a 500."""
    for url in ("/", "/api/search?q=teletravail", "/doc/decisions/2024/dec240187daj"):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        assert response.status_code < 500, (url, response.status_code)
        assert time.perf_counter() - started < 1.0


# --- random documents -------------------------------------------------------------------------

FRAGMENTS = [
    SCRIPT, IMG, SVG, ATTR, JS, "JaVaScRiPt:", "jav&#x61;script:", "&#106;avascript:",
    "java\tscript:", "data:text/html,", "vbscript:", '"', "'", "<", ">", "&", "&amp;", "&#x3C;",
    "[x](", "](", ")", "![i](", "<a href=\"", '" onmouseover="alert(1)', "`", "```", "*", "_",
    "# ", "\n", "\n\n", "[r]: ", "<!--", "-->", "]]>", "<![CDATA[", "\\", "{{ 7*7 }}", "{%",
    "<javascript:alert(1)>", "|a|b|\n|-|-|\n", "> ", "    ", "<style>", "</textarea>",
]  # fmt: skip
_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn"))


def _markup(line: bool) -> st.SearchStrategy[str]:
    fragments = [f for f in FRAGMENTS if "\n" not in f] if line else FRAGMENTS
    pieces = st.one_of(st.text(_CHARS, max_size=8), st.sampled_from(fragments))
    return st.lists(pieces, max_size=10).map("".join)


_LINE = _markup(line=True)
_documents = st.fixed_dictionaries(
    {
        "title": _LINE.map(lambda s: f"T {s}"),
        "summary": _LINE.map(lambda s: f"S {s}"),
        "director": _LINE.map(lambda s: f"D {s}"),
        "city": _LINE.map(lambda s: f"C {s}"),
        "partners": st.lists(_LINE.map(lambda s: f"P {s}"), max_size=3),
        "website": _LINE.map(lambda s: f"https://example.org/{s}"),
    }
)


@pytest.fixture
def random_site(make_client: MakeClient) -> WebTree:
    """A site whose tree the random documents are added to, one file per example."""
    return make_client({"notes/seed.md": front_matter("Texte.", title="Graine")})


_serial = itertools.count()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(fields=_documents, body=_markup(line=False))
def test_random_documents_never_render_executable_markup(
    random_site: WebTree, fields: dict[str, Any], body: str
) -> None:
    """Any document of random text and markup renders, on /doc and in the API, without scripts."""
    # Hypothesis reseeds `random` for every example, and Whoosh names its segments with it:
    # without a fresh seed, two commits would write segments of the same name
    serial = next(_serial)
    random.seed(f"{os.getpid()}-{serial}")
    relative = f"random/doc{serial}.md"
    text = front_matter(f"B {body}", type="unit", **fields)
    path = random_site.content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    update_index(random_site.content, IndexStore(random_site.index), paths=[relative])
    taxonomy, _ = load_taxonomy(random_site.content)
    valid = parse_bytes(relative, text.encode(), taxonomy).document is not None
    doc_id = relative.removesuffix(".md")
    response = random_site.client.get(f"/doc/{quote(doc_id)}")
    assert response.status_code == (200 if valid else 404), response.text[:300]
    assert_safe_html(response.text, "/doc page")
    response = random_site.client.get(f"/api/doc/{quote(doc_id)}")
    assert response.status_code == (200 if valid else 404)
    if valid:
        data = response.json()
        assert data["title"] == fields["title"].strip()
        assert_safe_html(data["html"], "api html")
        search = random_site.client.get("/api/search?" + urlencode({"q": fields["title"]}))
        assert search.status_code == 200
        for result in search.json()["results"]:
            assert_snippet_is_text(result["snippet"], "random snippet")
    assert json.loads(random_site.client.get("/healthz").text)["status"] == "ok"
