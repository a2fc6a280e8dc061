"""The API across origins: only the origins of `cors_origins`, echoed exactly, no credentials."""

from __future__ import annotations

from support.web import MakeClient

pytest_plugins = ["support.web"]

ALLOWED = "https://intranet.example.org"
FILES = {"pages/a.md": "---\ntitle: Accueil\ntype: page\n---\n\nBienvenue.\n"}


def test_an_allowed_origin_is_echoed_exactly_with_vary(make_client: MakeClient) -> None:
    """A listed origin gets its own origin back, and caches are told the answer varies by it."""
    site = make_client(FILES, cors_origins=(ALLOWED, "https://other.example.org"))
    r = site.client.get("/api/search?q=bienvenue", headers={"Origin": ALLOWED})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == ALLOWED
    assert "Origin" in r.headers["vary"]
    assert "access-control-allow-credentials" not in r.headers


def test_an_origin_not_listed_gets_no_cors_headers(make_client: MakeClient) -> None:
    """An origin not listed gets the answer without any CORS header (the browser hides it)."""
    site = make_client(FILES, cors_origins=(ALLOWED,))
    r = site.client.get("/api/search?q=bienvenue", headers={"Origin": "https://evil.example"})
    assert r.status_code == 200
    assert not [h for h in r.headers if h.startswith("access-control-")]


def test_no_origin_is_allowed_by_default(make_client: MakeClient) -> None:
    """With the default (empty) setting, no origin is allowed."""
    site = make_client(FILES)
    r = site.client.get("/api/search", headers={"Origin": ALLOWED})
    assert "access-control-allow-origin" not in r.headers


def test_preflight_of_an_allowed_origin_is_answered(make_client: MakeClient) -> None:
    """A preflight from a listed origin is answered with the allowed method and header."""
    site = make_client(FILES, cors_origins=(ALLOWED,))
    r = site.client.options(
        "/api/search",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept-language",
        },
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == ALLOWED
    assert "GET" in r.headers["access-control-allow-methods"]
    assert "accept-language" in r.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in r.headers


def test_preflight_of_another_origin_is_refused(make_client: MakeClient) -> None:
    """A preflight from an origin not listed gets no permission, told in the API's JSON."""
    site = make_client(FILES, cors_origins=(ALLOWED,))
    r = site.client.options(
        "/api/search",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert r.status_code == 400
    assert "access-control-allow-origin" not in r.headers
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == {"error": "Disallowed CORS origin"}


def test_widget_script_is_served_at_a_stable_url(make_client: MakeClient) -> None:
    """/widget.js is JavaScript that defines the <docrepo-search> element, loadable cross-site."""
    site = make_client(FILES)
    r = site.client.get("/widget.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert 'customElements.define("docrepo-search"' in r.text
    assert r.headers["cross-origin-resource-policy"] == "cross-origin"
    assert len(r.content) < 16_000


def test_widget_page_documents_the_snippet_and_attributes(make_client: MakeClient) -> None:
    """/widget shows the two lines to copy, a live example and every attribute."""
    site = make_client(FILES, base_url="https://docs.example.org")
    r = site.client.get("/widget")
    assert r.status_code == 200
    assert '&lt;script src="https://docs.example.org/widget.js" defer&gt;' in r.text
    assert "<docrepo-search " in r.text
    for attribute in (
        "institute",
        "region",
        "doc-lang",
        "per-page",
        "placeholder",
        "--docrepo-accent",
    ):
        assert attribute in r.text
