"""The HTML face (SPEC §5): the search page, document pages, problems, language, headers.

Everything goes through HTTP on a `TestClient`; pages are read with a small DOM
(`support.dom.parse_html`), never with string offsets into the template.
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from support.dom import Node, parse_html
from support.trees import front_matter
from support.web import MakeClient, TestClient, query_of

pytest_plugins = ["support.web"]

FACETS = ("type", "institute", "region", "issuer", "theme", "status", "lang", "year")
#: a decision that supersedes DEC201155DAJ, links to regions/dr13, dated 2024-03-12
DECISION = "decisions/2024/dec240187daj"
#: the decision it supersedes (repealed)
REPEALED = "decisions/2020/dec201155daj"
#: a circular amended by CIR250011DRH
AMENDED = "circulars/2024/cir240006drh"
AMENDING = "circulars/2025/cir250011drh"
FR = {"Accept-Language": "fr"}
EN = {"Accept-Language": "en"}


def page(client: TestClient, url: str, status: int = 200, **kwargs: object) -> Node:
    """GET an HTML page, check its status and type, and parse it."""
    response = client.get(url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, (url, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return parse_html(response.text)


def api(client: TestClient, query: str = "", **kwargs: object) -> dict:
    response = client.get(f"/api/search?{query}", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    return response.json()


def search_form(dom: Node) -> Node:
    """The form that holds the query box `q`."""
    forms = [f for f in dom.find_all("form") if f.first("input", name="q", id="q")]
    assert len(forms) == 1
    return forms[0]


def checkboxes(dom: Node, facet: str) -> list[Node]:
    return dom.find_all("input", type="checkbox", name=facet)


def label_for(dom: Node, control: Node) -> Node:
    return dom.find("label", for_=control.attrs["id"])


def params(url: str) -> dict[str, list[str]]:
    """A URL's query string as {name: sorted values}, for order-insensitive comparison."""
    found = parse_qs(urlsplit(url).query, keep_blank_values=False)
    return {k: sorted(v) for k, v in found.items()}


def hits(dom: Node) -> list[Node]:
    return dom.find_all("li", cls="hit")


def hit_ids(dom: Node) -> list[str]:
    ids = []
    for hit in hits(dom):
        link = next(a for a in hit.find_all("a") if a.attrs.get("href", "").startswith("/doc/"))
        ids.append(link.attrs["href"].removeprefix("/doc/"))
    return ids


# --- the search page ----------------------------------------------------------------------


def test_search_page_is_a_get_form_with_the_query_box(client: TestClient) -> None:
    """`/` is a GET form to `/` whose query box `q` holds the current query."""
    dom = page(client, "/?q=t%C3%A9l%C3%A9travail")
    form = search_form(dom)
    assert form.attrs["action"] == "/"
    assert form.attrs.get("method", "get").lower() == "get"
    box = form.find("input", name="q")
    assert box.attrs["value"] == "télétravail"
    assert dom.find("label", for_="q").text
    assert form.first("button", type="submit") is not None


def test_every_facet_is_a_fieldset_of_checkboxes_inside_the_form(client: TestClient) -> None:
    """Each facet of §4 is offered as checkboxes named after it, inside the search form."""
    dom = page(client, "/")
    form = search_form(dom)
    for facet in FACETS:
        boxes = checkboxes(form, facet)
        assert boxes, f"no checkbox for facet {facet}"
        assert all(b.attrs["value"] for b in boxes)


def test_facet_checkboxes_show_labels_and_the_api_counts(client: TestClient) -> None:
    """A facet checkbox is labelled with the taxonomy label and its count, as the API says."""
    query = "q=d%C3%A9l%C3%A9gation&status=in-force"
    dom = page(client, f"/?{query}", headers=FR)
    facets = api(client, query, headers=FR)["facets"]
    for facet in FACETS:
        shown = {}
        for box in checkboxes(dom, facet):
            label = label_for(dom, box)
            count = label.find(cls="count").text
            shown[box.attrs["value"]] = (label.text.removesuffix(count).strip(), int(count))
        expected = {v["value"]: (v["label"], v["count"]) for v in facets[facet]}
        assert shown == expected, facet
    labels = {label_for(dom, b).text for b in checkboxes(dom, "issuer")}
    assert any(label.startswith("Direction des affaires juridiques") for label in labels)
    assert not any(label.startswith("DAJ ") for label in labels)


def test_view_state_is_in_the_url(client: TestClient) -> None:
    """`/?q=x&type=decision&institute=INSB` renders with q=x and exactly those boxes checked."""
    dom = page(client, "/?q=x&type=decision&institute=INSB")
    assert search_form(dom).find("input", name="q").attrs["value"] == "x"
    checked = sorted(
        (box.attrs["name"], box.attrs["value"])
        for box in dom.find_all("input", type="checkbox")
        if "checked" in box.attrs
    )
    assert checked == [("institute", "INSB"), ("type", "decision")]


def test_selected_filters_and_sort_survive_into_the_page(client: TestClient) -> None:
    """Sort, dates and page size given in the URL come back as the form's values."""
    dom = page(client, "/?sort=title&from=2020-01-01&to=2021-12-31&per_page=5")
    select = dom.find("select", name="sort")
    assert [o.attrs["value"] for o in select.find_all("option", selected=True)] == ["title"]
    assert dom.find("input", name="from").attrs["value"] == "2020-01-01"
    assert dom.find("input", name="to").attrs["value"] == "2021-12-31"
    assert len(hits(dom)) == 5


def test_sort_select_offers_every_sort(client: TestClient) -> None:
    """The sort select lists relevance, newest, oldest, title; newest is chosen with no query."""
    dom = page(client, "/")
    select = search_form(dom).find("select", name="sort")
    options = select.find_all("option")
    assert [o.attrs["value"] for o in options] == ["relevance", "newest", "oldest", "title"]
    assert [o.attrs["value"] for o in options if "selected" in o.attrs] == ["newest"]
    dom = page(client, "/?q=t%C3%A9l%C3%A9travail")
    select = dom.find("select", name="sort")
    assert [o.attrs["value"] for o in select.find_all("option", selected=True)] == ["relevance"]


def test_date_range_filters_the_results(client: TestClient) -> None:
    """`from` and `to` are date inputs of the form and limit results to dates in the range."""
    dom = page(client, "/?from=2021-01-01&to=2021-12-31&per_page=100")
    form = search_form(dom)
    assert form.find("input", name="from").attrs["type"] == "date"
    assert form.find("input", name="to").attrs["type"] == "date"
    dates = [t.attrs["datetime"] for h in hits(dom) for t in h.find_all("time")]
    assert dates and len(dates) == len(hits(dom))
    assert all("2021-01-01" <= d <= "2021-12-31" for d in dates)


def test_active_filters_are_chips_whose_url_is_the_view_without_them(client: TestClient) -> None:
    """Each active filter is a link to the same view minus that filter, labelled with its label."""
    url = "/?q=d%C3%A9l%C3%A9gation&type=decision&region=DR13&region=DR04&from=2020-01-01"
    dom = page(client, url, headers=FR)
    view = params(url)
    chips = dom.find_all("a", cls="chip")
    by_label = {chip.text.replace("×", "").strip(): chip.attrs["href"] for chip in chips}
    assert len(chips) == 4

    def without(name: str, value: str) -> dict[str, list[str]]:
        rest = {k: [x for x in v if not (k == name and x == value)] for k, v in view.items()}
        return {k: v for k, v in rest.items() if v}

    expected = {
        "Décision": without("type", "decision"),
        "Occitanie Est": without("region", "DR13"),
        "Île-de-France Gif-sur-Yvette": without("region", "DR04"),
        "1er janvier 2020": without("from", "2020-01-01"),
    }
    for label, chip_params in expected.items():
        matching = [href for text, href in by_label.items() if text.endswith(label)]
        assert len(matching) == 1, (label, by_label)
        assert urlsplit(matching[0]).path == "/"
        assert params(matching[0]) == chip_params, label


def test_removing_a_chip_unchecks_only_that_filter(client: TestClient) -> None:
    """Following a chip gives a page where that filter is gone and the others still hold."""
    dom = page(client, "/?type=decision&region=DR13")
    chip = next(c for c in dom.find_all("a", cls="chip") if "Occitanie Est" in c.text)
    after = page(client, chip.attrs["href"])
    checked = [
        (b.attrs["name"], b.attrs["value"])
        for b in after.find_all("input", type="checkbox")
        if "checked" in b.attrs
    ]
    assert checked == [("type", "decision")]
    assert not any("Occitanie Est" in c.text for c in after.find_all("a", cls="chip"))


def test_reset_link_clears_every_filter(client: TestClient) -> None:
    """The reset link leads to a view with no filter at all."""
    dom = page(client, "/?q=d%C3%A9l%C3%A9gation&type=decision&region=DR13&status=in-force")
    reset = dom.find("a", cls="reset")
    kept = params(reset.attrs["href"])
    assert not set(kept) & {*FACETS, "from", "to"}
    after = page(client, reset.attrs["href"])
    assert not after.find_all("a", cls="chip")
    assert not [b for b in after.find_all("input", type="checkbox") if "checked" in b.attrs]


def test_result_count_is_shown(client: TestClient) -> None:
    """The page states how many documents the view finds, the same number as the API."""
    total = api(client, "type=circular")["total"]
    dom = page(client, "/?type=circular")
    heading = dom.find(id="results-title")
    assert re.search(rf"\b{total}\b", heading.text)


def test_pagination_marks_the_current_page(client: TestClient) -> None:
    """Pages link to each other keeping the view, and the current one has aria-current=page."""
    total = api(client, "per_page=5")["total"]
    dom = page(client, "/?per_page=5&page=3")
    nav = dom.find("nav", cls="pagination")
    current = nav.find_all("a", aria_current="page")
    assert [a.text for a in current] == ["3"]
    numbers = {int(a.text): a.attrs["href"] for a in nav.find_all("a") if a.text.isdigit()}
    assert {1, 2, 3, 4, 5, math.ceil(total / 5)} <= set(numbers)
    for n, href in numbers.items():
        linked = params(href)
        assert linked.pop("page", ["1"]) == [str(n)]
        assert linked == {"per_page": ["5"]}
    prev = nav.find("a", rel="prev")
    nxt = nav.find("a", rel="next")
    assert params(prev.attrs["href"])["page"] == ["2"]
    assert params(nxt.attrs["href"])["page"] == ["4"]
    assert hit_ids(dom) == [r["id"] for r in api(client, "per_page=5&page=3")["results"]]


def test_repealed_results_are_visibly_marked(client: TestClient) -> None:
    """A repealed text in the results carries a visible "Abrogé" mark; a text in force does not."""
    view = "q=d%C3%A9l%C3%A9gation%20signature%20Occitanie%20Est&per_page=50"
    dom = page(client, f"/?{view}")
    statuses = {r["id"]: r["status"] for r in api(client, view)["results"]}
    assert "repealed" in statuses.values() and "in-force" in statuses.values()
    for hit, doc_id in zip(hits(dom), hit_ids(dom), strict=True):
        marked = "Abrogé" in hit.text
        assert marked == (statuses[doc_id] == "repealed"), doc_id


def test_snippets_highlight_the_query_words(client: TestClient) -> None:
    """Result snippets wrap the matched words in <mark>: the word, or in an English text
    the English terms it stands for (docrepo/search/bilingual.txt: telework, remote
    work, working from home)."""
    dom = page(client, "/?q=t%C3%A9l%C3%A9travail")
    snippets = dom.find_all(cls="snippet")
    assert snippets
    marks = [m.text.lower() for s in snippets for m in s.find_all("mark")]
    words = ("télétravail", "teletravail", "telework", "remote", "work", "working", "home")
    assert marks and all(m.startswith(words) for m in marks), marks
    assert any(m.startswith(("télétravail", "teletravail")) for m in marks)


def test_empty_state_explains_and_helps(client: TestClient) -> None:
    """A search that finds nothing says so, with advice, and shows zero results."""
    dom = page(client, "/?q=zzqxwvkj", headers=FR)
    assert hits(dom) == []
    main = dom.find("main")
    assert "Aucun document ne correspond" in main.text
    assert re.search(r"\b0\b", dom.find(id="results-title").text)
    assert search_form(dom).find("input", name="q").attrs["value"] == "zzqxwvkj"


def test_a_misspelt_query_shows_the_corrected_results(client: TestClient) -> None:
    """A misspelt query shows the results of its correction, accents restored, and links
    the query as typed (`spell=off`), keeping the filters."""
    dom = page(client, "/?q=teletravial&status=in-force", headers=FR)
    line = dom.find(cls="corrected")
    assert "Résultats pour" in line.text and "télétravail" in line.find("strong").text
    assert hits(dom)
    link = line.find("a")
    assert link.text == "teletravial"
    expected = {"q": ["teletravial"], "status": ["in-force"], "spell": ["off"]}
    assert params(link.attrs["href"]) == expected
    assert not hits(page(client, link.attrs["href"]))


def test_bad_parameter_on_a_page_is_an_html_400(client: TestClient) -> None:
    """A malformed parameter on `/` gets an HTML error page with status 400 naming it."""
    dom = page(client, "/?page=0", status=400)
    assert "page" in dom.find("main").text


# --- the document page --------------------------------------------------------------------


def test_document_page_renders_the_text(client: TestClient) -> None:
    """The document page shows the title, and the Markdown body as HTML (headings, table)."""
    dom = page(client, f"/doc/{DECISION}")
    main = dom.find("main")
    assert main.find("h1").text == "Délégation de signature au délégué régional Occitanie Est"
    assert main.find("table").find_all("td")
    assert main.find("strong").text == "Décide :"
    assert "Article 1" in [h.text for h in main.find_all("h2")]


def test_document_links_to_other_documents_by_their_pages(client: TestClient) -> None:
    """A relative link to a `.md` file in a body points to that document's page."""
    dom = page(client, f"/doc/{DECISION}")
    hrefs = {a.attrs.get("href") for a in dom.find("main").find_all("a")}
    assert "/doc/regions/dr13" in hrefs
    assert "/doc/decisions/2020/dec201155daj" in hrefs
    assert not any(h and h.endswith(".md") for h in hrefs)


def test_table_of_contents_links_to_the_headings(client: TestClient) -> None:
    """The table of contents lists the headings and each entry targets a heading's id."""
    dom = page(client, f"/doc/{DECISION}")
    toc = dom.find("nav", cls="toc")
    entries = toc.find_all("a")
    assert [a.text for a in entries] == ["Article 1", "Article 2", "Article 3", "Article 4"]
    for a in entries:
        anchor = a.attrs["href"].removeprefix("#")
        heading = dom.find(id=anchor)
        assert heading.tag in ("h1", "h2", "h3", "h4") and heading.text == a.text


def test_metadata_panel_shows_labels_not_codes(client: TestClient) -> None:
    """The metadata panel names type, issuer, regions and themes by label, with facet links."""
    dom = page(client, f"/doc/{DECISION}", headers=FR)
    panel = dom.find(cls="meta")
    facts = dict(zip((dt.text for dt in panel.find_all("dt")),
                     panel.find_all("dd"), strict=True))  # fmt: skip
    assert facts["Type"].text == "Décision"
    assert facts["Statut"].text == "En vigueur"
    assert facts["Référence"].text == "DEC240187DAJ"
    assert facts["Émetteur"].text == "Direction des affaires juridiques"
    assert facts["Délégations"].text == "Occitanie Est"
    assert facts["Thèmes"].text == "Délégations de signature, Affaires juridiques"
    assert facts["Émetteur"].find("a").attrs["href"] == "/?issuer=DAJ"
    assert "signature-delegation" not in panel.text and "DR13" not in panel.text


def test_repealed_document_has_a_banner_pointing_to_its_replacement(client: TestClient) -> None:
    """A repealed text says so above its body and links to the text that replaced it."""
    dom = page(client, f"/doc/{REPEALED}", headers=FR)
    banner = dom.find(cls="banner")
    assert "abrogé" in banner.text.lower()
    assert [a.attrs["href"] for a in banner.find_all("a")] == [f"/doc/{DECISION}"]
    assert "DEC240187DAJ" in banner.text
    in_force = page(client, f"/doc/{DECISION}")
    assert in_force.first(cls="banner") is None


def relation_lists(dom: Node) -> dict[str, list[str]]:
    """The relations section: {heading: [linked document ids]}."""
    section = dom.find(cls="relations")
    lists: dict[str, list[str]] = {}
    heading = None
    for node in section.iter():
        if node.tag == "h3":
            heading = node.text
        elif node.tag == "a" and heading:
            lists.setdefault(heading, []).append(node.attrs["href"].removeprefix("/doc/"))
    return lists


def test_supersedes_relation_is_shown_both_ways(client: TestClient) -> None:
    """The new text lists what it supersedes; the old text lists what superseded it."""
    newer = relation_lists(page(client, f"/doc/{DECISION}", headers=FR))
    assert newer["Remplace"] == [REPEALED]
    older = relation_lists(page(client, f"/doc/{REPEALED}", headers=FR))
    assert older["Remplacé par"] == [DECISION]
    assert older["Remplace"] == ["decisions/2017/dec170412daj"]


def test_amends_relation_is_shown_both_ways(client: TestClient) -> None:
    """The amending text lists what it amends; the amended text lists what amended it."""
    amending = relation_lists(page(client, f"/doc/{AMENDING}", headers=EN))
    assert amending["Amends"] == [AMENDED]
    amended = relation_lists(page(client, f"/doc/{AMENDED}", headers=EN))
    assert AMENDING in amended["Amended by"]


def test_links_out_and_in_are_listed(client: TestClient) -> None:
    """A page lists the documents it links to, and the linked page lists it among its referrers."""
    dom = page(client, f"/doc/{DECISION}", headers=EN)
    out = dom.find(id="out-title").parent
    assert out is not None
    assert "/doc/regions/dr13" in [a.attrs["href"] for a in out.find_all("a")]
    target = page(client, "/doc/regions/dr13", headers=EN)
    incoming = target.find(id="in-title").parent
    assert incoming is not None
    assert f"/doc/{DECISION}" in [a.attrs["href"] for a in incoming.find_all("a")]


def test_document_page_links_to_a_feed_of_similar_documents(client: TestClient) -> None:
    """The document page links to an Atom feed of similar documents, which answers."""
    dom = page(client, f"/doc/{DECISION}")
    feeds = [a.attrs["href"] for a in dom.find("main").find_all("a")
             if a.attrs.get("href", "").startswith("/feed.atom")
             and "changes=1" not in a.attrs["href"]]  # fmt: skip
    assert len(feeds) == 1
    assert ("type", "decision") in query_of(feeds[0])
    response = client.get(feeds[0])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    alternate = dom.find("link", rel="alternate", type="application/atom+xml")
    assert alternate.attrs["href"] == feeds[0]


def test_alias_redirects_permanently_to_the_current_id(make_client: MakeClient) -> None:
    """A former id listed in `aliases` answers 301 to the document's current page."""
    site = make_client({
        "notes/new-name.md": front_matter(title="Nouveau nom", aliases=["notes/old-name"]),
    })  # fmt: skip
    response = site.client.get("/doc/notes/old-name")
    assert response.status_code == 301
    assert response.headers["location"] == "/doc/notes/new-name"
    assert site.client.get("/doc/notes/new-name").status_code == 200


def test_unknown_document_is_a_helpful_404_page(client: TestClient) -> None:
    """An unknown id gets a 404 HTML page that explains and offers a prefilled search form."""
    dom = page(client, "/doc/decisions/2024/teletravail-agents", status=404, headers=FR)
    main = dom.find("main")
    assert "introuvable" in main.text.lower()
    forms = [f for f in main.find_all("form") if f.first("input", name="q")]
    assert forms and forms[0].attrs["action"] == "/"
    assert forms[0].find("input", name="q").attrs["value"] == "teletravail agents"
    assert main.find("a", href="/")


def test_raw_html_in_a_document_is_escaped(make_client: MakeClient) -> None:
    """HTML written in a document's body or title is shown as text, never executed."""
    body = (
        "Avant <script>alert('x')</script> après.\n\n"
        '<img src="x" onerror="alert(1)">\n\n[lien](javascript:alert(1))\n'
    )
    site = make_client({"pages/evil.md": front_matter(body, title="Titre <b>gras</b>")})
    response = site.client.get("/doc/pages/evil")
    assert response.status_code == 200
    dom = parse_html(response.text)
    main = dom.find("main")
    assert main.find_all("script") == [] and main.find_all("img") == [] and not main.find_all("b")
    assert "<script>alert('x')</script>" in main.text
    assert main.find("h1").text == "Titre <b>gras</b>"
    assert not any("javascript:" in a.attrs.get("href", "") for a in dom.find_all("a"))
    assert "onerror" not in {k for node in dom.iter() for k in node.attrs}


# --- the problems page --------------------------------------------------------------------


def test_problems_page_lists_an_invalid_file(make_client: MakeClient) -> None:
    """A file broken after indexing shows on /problems with its path, line and message."""
    site = make_client({
        "pages/good.md": front_matter(title="Bon"),
        "pages/later.md": front_matter(title="Bientôt cassé"),
    })  # fmt: skip
    site.write("pages/later.md", "---\ntitle: Cassé\ntype: page\ninstitue: INSB\n---\nTexte.\n")
    site.reindex()
    dom = page(site.client, "/problems", headers=FR)
    rows = [[td.text for td in tr.find_all("td")] for tr in dom.find("tbody").find_all("tr")]
    assert len(rows) == 1
    where, *rest = rows[0]
    assert where == "pages/later.md:4"
    assert any("institue" in cell and "institutes" in cell for cell in rest)
    assert site.client.get("/doc/pages/later").status_code == 200


def test_problems_page_says_none_when_clean(make_client: MakeClient) -> None:
    """With every file valid, /problems says there is no problem."""
    site = make_client({"pages/good.md": front_matter(title="Bon")})
    dom = page(site.client, "/problems", headers=EN)
    assert dom.first("tbody") is None
    assert "No problems" in dom.find("main").text


# --- languages ----------------------------------------------------------------------------


def test_interface_is_french_by_default(client: TestClient) -> None:
    """Without cookie or Accept-Language the interface and facet labels are French."""
    response = client.get("/", headers={"Accept-Language": ""})
    dom = parse_html(response.text)
    assert dom.find("html").attrs["lang"] == "fr"
    form = search_form(dom)
    assert form.find("button", type="submit").text == "Rechercher"
    labels = {label_for(dom, b).text.rsplit(" ", 1)[0] for b in checkboxes(dom, "type")}
    assert "Décision" in labels and "Circulaire" in labels


def test_accept_language_en_gives_english_strings_and_labels(client: TestClient) -> None:
    """`Accept-Language: en` gives English interface strings and English facet labels."""
    dom = page(client, "/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert dom.find("html").attrs["lang"] == "en"
    assert search_form(dom).find("button", type="submit").text == "Search"
    labels = {label_for(dom, b).text.rsplit(" ", 1)[0] for b in checkboxes(dom, "type")}
    assert {"Decision", "Circular"} <= labels and "Décision" not in labels
    statuses = {label_for(dom, b).text.rsplit(" ", 1)[0] for b in checkboxes(dom, "status")}
    assert "In force" in statuses


def test_accept_language_follows_the_preferred_supported_language(client: TestClient) -> None:
    """Accept-Language is read by quality: the best supported language wins."""
    dom = page(client, "/", headers={"Accept-Language": "de-DE, en;q=0.8, fr;q=0.5"})
    assert dom.find("html").attrs["lang"] == "en"
    dom = page(client, "/", headers={"Accept-Language": "en;q=0.3, fr-CA;q=0.9"})
    assert dom.find("html").attrs["lang"] == "fr"


def test_language_switch_sets_a_cookie_and_goes_back(client: TestClient) -> None:
    """`/lang/en?next=/doc/x` remembers English in a cookie and redirects (303) to /doc/x."""
    response = client.get(f"/lang/en?next=/doc/{DECISION}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/doc/{DECISION}"
    assert "lang=en" in response.headers["set-cookie"]
    dom = page(client, f"/doc/{DECISION}", headers=FR)
    assert dom.find("html").attrs["lang"] == "en"
    assert "Legal Affairs Department" in dom.find(cls="meta").text


def test_language_switch_link_is_on_every_page(client: TestClient) -> None:
    """Pages offer a link to the other language that comes back to the same view."""
    dom = page(client, "/?type=decision", headers=FR)
    switch = next(a for a in dom.find_all("a") if a.attrs.get("href", "").startswith("/lang/"))
    assert switch.attrs["href"].startswith("/lang/en?")
    back = dict(query_of(switch.attrs["href"]))["next"]
    assert back == "/?type=decision"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "http://evil.example/doc/x",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_language_switch_is_not_an_open_redirect(client: TestClient, target: str) -> None:
    """`next` pointing off the site (or not a path) redirects to `/` instead."""
    response = client.get("/lang/en", params={"next": target})
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_unknown_language_is_not_found(client: TestClient) -> None:
    """`/lang/xx` for a language the interface does not have is a 404."""
    response = client.get("/lang/de?next=/")
    assert response.status_code == 404
    assert "set-cookie" not in response.headers


def test_dates_are_formatted_for_the_interface_language(client: TestClient) -> None:
    """A date reads "12 mars 2024" in French and "March 12, 2024" in English."""
    french = page(client, f"/doc/{DECISION}", headers=FR)
    english = page(client, f"/doc/{DECISION}", headers=EN)
    assert "12 mars 2024" in [t.text for t in french.find_all("time")]
    assert "March 12, 2024" in [t.text for t in english.find_all("time")]
    assert all(t.attrs["datetime"] for t in english.find_all("time"))


# --- headers, assets, links ---------------------------------------------------------------

PAGES = ["/", "/?q=t%C3%A9l%C3%A9travail", f"/doc/{DECISION}", "/problems", "/doc/nope"]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name.lower()] = values
    return directives


@pytest.mark.parametrize("url", PAGES)
def test_pages_send_security_headers(client: TestClient, url: str) -> None:
    """Every page has a strict CSP (no inline script, no framing), nosniff and a referrer policy."""
    response = client.get(url)
    csp = csp_directives(response.headers["content-security-policy"])
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts is not None
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert csp["frame-ancestors"] == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script(client: TestClient, url: str) -> None:
    """No page relies on what its CSP forbids: no inline <script>, no on* handler attributes."""
    dom = parse_html(client.get(url).text)
    assert all(s.attrs.get("src") for s in dom.find_all("script"))
    assert not [k for node in dom.iter() for k in node.attrs if k.startswith("on")]


def test_static_assets_have_hashed_urls_and_are_immutable(client: TestClient) -> None:
    """Stylesheet and script come from content-hashed URLs cached for a year, immutable."""
    dom = page(client, "/")
    urls = [dom.find("link", rel="stylesheet").attrs["href"]]
    urls += [s.attrs["src"] for s in dom.find_all("script")]
    assert len(urls) >= 2
    for url in urls:
        assert re.fullmatch(r"/static/[\w-]+\.[0-9a-f]{8,}\.(css|js)", url), url
        response = client.get(url)
        assert response.status_code == 200
        cache = {d.strip() for d in response.headers["cache-control"].split(",")}
        assert {"max-age=31536000", "immutable"} <= cache
        kind = "text/css" if url.endswith(".css") else "javascript"
        assert kind in response.headers["content-type"]
        assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "name", ["nope.css", "style.css", "style.0000000000.css", "..%2Fapp.py", "search.js"]
)
def test_unknown_static_name_is_not_found(client: TestClient, name: str) -> None:
    """A static name that is not a current hashed asset is a 404."""
    response = client.get(f"/static/{name}")
    assert response.status_code == 404


def test_large_pages_are_gzipped_when_accepted(client: TestClient) -> None:
    """A large page is sent gzip-compressed when the client accepts gzip, and plain otherwise."""
    zipped = client.get("/?per_page=50", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers.get("content-encoding") == "gzip"
    assert int(zipped.headers["content-length"]) < len(zipped.content)
    assert "Accept-Encoding" in zipped.headers.get("vary", "")
    plain = client.get("/?per_page=50", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.text == zipped.text


@pytest.mark.parametrize("url", PAGES)
def test_every_page_links_opensearch_and_an_atom_feed(client: TestClient, url: str) -> None:
    """Each page has <link rel=search> to the OpenSearch description and an Atom alternate."""
    dom = parse_html(client.get(url).text)
    search = dom.find("link", rel="search")
    assert search.attrs["type"] == "application/opensearchdescription+xml"
    assert search.attrs["href"] == "/opensearch.xml"
    feed = dom.find("link", rel="alternate", type="application/atom+xml")
    assert urlsplit(feed.attrs["href"]).path == "/feed.atom"


def test_search_page_feed_link_is_the_current_view(client: TestClient) -> None:
    """The search page's Atom alternate link carries the same query and filters as the page."""
    url = "/?q=t%C3%A9l%C3%A9travail&type=circular&region=DR13&status=in-force"
    dom = page(client, url)
    feed = dom.find("link", rel="alternate", type="application/atom+xml").attrs["href"]
    assert urlsplit(feed).path == "/feed.atom"
    assert params(feed) == params(url)


@pytest.mark.parametrize("url", ["/", "/?q=t%C3%A9l%C3%A9travail", f"/doc/{DECISION}"])
def test_search_and_document_responses_are_private(client: TestClient, url: str) -> None:
    """Search and document pages depend on who asks, so they are Cache-Control: private."""
    response = client.get(url)
    cache = {d.strip() for d in response.headers["cache-control"].split(",")}
    assert "private" in cache
    assert "public" not in cache


def test_query_text_is_escaped_wherever_it_is_echoed(client: TestClient) -> None:
    """A query holding HTML comes back as text in the box and the title, never as markup."""
    evil = '"><script>alert(1)</script><b x="'
    response = client.get("/", params={"q": evil, "type": evil})
    assert response.status_code == 200
    dom = parse_html(response.text)
    assert all(s.attrs.get("src") for s in dom.find_all("script"))
    assert dom.find_all("b") == []
    assert search_form(dom).find("input", name="q").attrs["value"] == evil
    assert evil in dom.find("title").text


def test_not_found_page_escapes_the_path_it_echoes(client: TestClient) -> None:
    """The 404 page prefills its search box from the path without letting it inject markup."""
    response = client.get('/doc/x/"><script>alert(1)<%2Fscript>')
    assert response.status_code == 404
    dom = parse_html(response.text)
    assert all(s.attrs.get("src") for s in dom.find_all("script"))


# --- access (§6) on pages -----------------------------------------------------------------

ACCESS_FILES = {
    "notes/public.md": front_matter(
        "Texte public.", title="Note publique", type="note", date="2024-01-10",
        reference="NOT240001DRH",
    ),
    "notes/internal.md": front_matter(
        "Texte interne confidentiel.", title="Note interne", type="note", date="2024-02-10",
        reference="NOT240002DRH", access="internal", amends=["NOT240001DRH"],
    ),
}  # fmt: skip


def test_internal_document_is_hidden_from_anonymous_visitors(make_client: MakeClient) -> None:
    """An internal document is a 404 for an anonymous visitor, and absent from relations."""
    site = make_client(ACCESS_FILES)
    assert site.client.get("/doc/notes/internal").status_code == 404
    dom = page(site.client, "/doc/notes/public")
    assert "/doc/notes/internal" not in [a.attrs.get("href") for a in dom.find_all("a")]
    assert "Note interne" not in dom.text
    listing = page(site.client, "/?q=confidentiel")
    assert hits(listing) == []


def test_identity_headers_are_believed_only_from_a_trusted_proxy(make_client: MakeClient) -> None:
    """X-Remote-User opens internal documents only when the request comes from a trusted proxy."""
    who = {"X-Remote-User": "alice"}
    untrusted = make_client(ACCESS_FILES, client_host="10.9.9.9", trusted_proxies=["127.0.0.1"])
    assert untrusted.client.get("/doc/notes/internal", headers=who).status_code == 404
    trusted = make_client(ACCESS_FILES, client_host="127.0.0.1", trusted_proxies=["127.0.0.1"])
    response = trusted.client.get("/doc/notes/internal", headers=who)
    assert response.status_code == 200
    assert "private" in response.headers["cache-control"]
    dom = page(trusted.client, "/doc/notes/public", headers=who)
    assert "/doc/notes/internal" in [a.attrs.get("href") for a in dom.find_all("a")]


def test_a_document_with_url_characters_in_its_name_is_linked_and_opens(
    make_client: MakeClient,
) -> None:
    """A file named `q?x=1#frag.md` is linked percent-encoded from the results, the API
    and the feed, and its page opens at that URL."""
    site = make_client({"x/q?x=1#frag.md": front_matter("Un texte singulier.", title="Singulier")})
    encoded = "/doc/x/q%3Fx%3D1%23frag"
    result = site.client.get("/api/search", params={"q": "singulier"}).json()["results"][0]
    assert result["url"] == encoded
    assert f'href="{encoded}"' in site.client.get("/", params={"q": "singulier"}).text
    assert f"{encoded}</id>" in site.client.get("/feed.atom").text
    page_ = site.client.get(encoded)
    assert page_.status_code == 200 and "Singulier" in page_.text
    assert site.client.get("/api/doc/x/q%3Fx%3D1%23frag").json()["url"] == encoded


# --- the everyday interface (issue #15) -----------------------------------------------------


def test_results_come_before_the_filters_and_skip_links_reach_both(client: TestClient) -> None:
    """In reading order the results come first (a keyboard reaches them before 85 boxes);
    the skip links lead to the results and to the filters, and both targets exist."""
    dom = page(client, "/?q=mission", headers=FR)
    order = [n.attrs.get("id") for n in dom.iter() if n.attrs.get("id") in ("results", "filters")]
    assert order == ["results", "filters"]
    skips = {a.attrs["href"]: a.text for a in dom.find("nav", cls="skip-links").find_all("a")}
    assert skips == {"#results": "Aller aux résultats", "#filters": "Aller aux filtres"}


def test_filters_are_a_disclosure_counting_the_active_ones(client: TestClient) -> None:
    """The filters sit in a disclosure titled "Filtres (2)" when two are active; a link
    above the results leads there; the chips stay outside it, above the results."""
    dom = page(client, "/?q=t%C3%A9l%C3%A9travail&type=circular&status=in-force", headers=FR)
    panel = dom.find("details", id="filters-panel")
    assert panel.find("summary").text == "Filtres (2)"
    jump = dom.find("a", cls="filters-jump")
    assert (jump.attrs["href"], jump.text) == ("#filters", "Filtres (2)")
    assert panel.first(cls="chip") is None
    assert len(dom.find(id="results").find_all("a", cls="chip")) == 2


def facet_lists(dom: Node, name: str) -> tuple[list[str], list[str], Node | None]:
    """A facet's values shown first, those behind "show more", and that disclosure."""
    facet = dom.find("fieldset", id=f"facet-{name}")
    more = facet.first("details", cls="more")
    behind = [b.attrs["value"] for b in more.find_all("input", type="checkbox")] if more else []
    every = [b.attrs["value"] for b in facet.find_all("input", type="checkbox")]
    return [v for v in every if v not in behind], behind, more


def test_long_facets_show_their_first_values_then_show_more(client: TestClient) -> None:
    """A facet shows its first five values; the others wait behind "Voir plus (n)", open
    when one of them is ticked; no list scrolls inside a box of its own."""
    first, behind, more = facet_lists(page(client, "/", headers=FR), "region")
    assert len(first) == 5 and behind and more is not None
    assert "open" not in more.attrs
    assert more.find("summary").find(cls="when-closed").text == f"Voir plus ({len(behind)})"
    ticked = behind[-1]
    _, _, more = facet_lists(page(client, f"/?region={ticked}", headers=FR), "region")
    assert more is not None and "open" in more.attrs
    _, behind, more = facet_lists(page(client, "/", headers=FR), "status")
    assert behind == [] and more is None
    css = client.get(page(client, "/").find("link", rel="stylesheet").attrs["href"]).text
    assert "max-height" not in css and "overflow-y" not in css


def test_long_facets_have_a_box_that_finds_their_values(client: TestClient) -> None:
    """Institutes, regions, issuers and themes have a labelled box to find a value (shown by
    the script: it does nothing without it); the short facets have none."""
    dom = page(client, "/", headers=FR)
    for name in ("institute", "region", "issuer", "theme"):
        box = dom.find("fieldset", id=f"facet-{name}").find("input", type="search")
        assert label_for(dom, box).text.startswith("Chercher parmi les valeurs"), name
        assert "name" not in box.attrs  # never part of the view's URL
    for name in ("type", "status", "lang"):
        assert dom.find("fieldset", id=f"facet-{name}").first("input", type="search") is None


def test_a_page_past_the_end_says_where_the_results_end(client: TestClient) -> None:
    """Page 999 of a view says there is no such page, where the results end, and links to
    the last page of the same view (not "N documents" above "no document")."""
    total = api(client, "q=d%C3%A9l%C3%A9gation")["total"]
    last = math.ceil(total / 20)
    dom = page(client, "/?q=d%C3%A9l%C3%A9gation&page=999", headers=FR)
    notice = dom.find(cls="past-end")
    assert "Il n'y a pas de page 999." in notice.text
    assert f"Les résultats s'arrêtent à la page {last}." in notice.text
    link = notice.find("a")
    assert params(link.attrs["href"]) == {"q": ["délégation"], "page": [str(last)]}
    assert "Aucun document" not in dom.find(id="results").text
    assert params(dom.find("a", rel="prev").attrs["href"])["page"] == [str(last)]
    assert page(client, link.attrs["href"]).find_all("li", cls="hit")


def test_each_result_shows_type_reference_date_status_issuer(client: TestClient) -> None:
    """A result reads: type, reference, (status), title, snippet, then date and issuer;
    its language is named only when it differs from the interface's."""
    dom = page(client, "/?q=CIR170004DRH", headers=FR)
    hit = hits(dom)[0]
    kicker = hit.find(cls="kicker").text
    assert kicker.startswith("Circulaire CIR170004DRH") and "Abrogé" in kicker
    assert hit.find(cls="hit-meta").text == "30 janvier 2017 Direction des ressources humaines"
    assert "Français" not in hit.text
    english = api(client, "lang=en&per_page=1")["results"][0]
    hit = hits(page(client, f"/?q={english['reference'] or ''}&lang=en", headers=FR))[0]
    assert hit.find(cls="doc-lang").text == "Anglais"
    assert page(client, "/?lang=en", headers=EN).first(cls="doc-lang") is None


def test_a_document_opened_from_results_leads_back_to_them(client: TestClient) -> None:
    """Opened from a search view, a document page keeps the query in the header search and
    links back to that very view; opened from elsewhere, it has no such link."""
    view = "/?q=t%C3%A9l%C3%A9travail&type=circular&page=1"
    dom = page(client, f"/doc/{AMENDED}", headers={**FR, "Referer": f"http://testserver{view}"})
    back = dom.find(cls="back").find("a")
    assert (back.text, back.attrs["href"]) == ("Retour aux résultats", view)
    assert dom.find("input", id="q-header").attrs["value"] == "télétravail"
    for referer in ("http://elsewhere.example/?q=x", f"http://testserver/doc/{DECISION}", ""):
        dom = page(client, f"/doc/{AMENDED}", headers={"Referer": referer})
        assert dom.first(cls="back") is None, referer
        assert dom.find("input", id="q-header").attrs["value"] == ""


def test_an_amended_text_carries_a_banner_naming_the_amendment(client: TestClient) -> None:
    """An amended text says at its top which text amended it and when, with a link."""
    dom = page(client, f"/doc/{AMENDED}", headers=FR)
    banner = dom.find(cls="amended")
    assert banner.text.startswith("Modifié par CIR250011DRH du 8 septembre 2025")
    assert [a.attrs["href"] for a in banner.find_all("a")] == [f"/doc/{AMENDING}"]
    english = page(client, f"/doc/{AMENDED}", headers=EN).find(cls="amended")
    assert english.text.startswith("Amended by CIR250011DRH of September 8, 2025")
    assert page(client, f"/doc/{AMENDING}").first(cls="amended") is None


def test_a_repealed_text_says_when_and_by_what(client: TestClient) -> None:
    """A repealed text's banner names the text that repealed it and its date."""
    banner = page(client, f"/doc/{REPEALED}", headers=FR).find(cls="repealed")
    assert banner.text.startswith("Abrogé par DEC240187DAJ du 12 mars 2024")


def test_the_widget_snippet_is_the_live_example(client: TestClient) -> None:
    """The code on /widget to copy is the element running below it, attribute for attribute."""
    dom = page(client, "/widget", headers=FR)
    code = dom.find("pre", id="snippet").text
    element = parse_html(code).find("docrepo-search")
    live = dom.find(cls="widget-demo").find("docrepo-search")
    assert element.attrs == live.attrs
    assert live.attrs["type"] and live.attrs["lang"] == "fr"
    assert "/widget.js" in parse_html(code).find("script").attrs["src"]


def _attribute_effects(client: TestClient, headers: dict[str, str]) -> dict[str, str]:
    """The attributes table of /widget: the first attribute of each row → its effect."""
    rows = page(client, "/widget", headers=headers).find("table", cls="attributes")
    return {
        row.find("code").text: " ".join(row.find_all("td")[1].text.split())
        for row in rows.find_all("tr")
        if row.first("td")
    }


def test_each_widget_attribute_says_what_it_takes(client: TestClient) -> None:
    """Each filter attribute on /widget says what values it takes, in the interface's
    language: statuses for `status`, a year for `year`, and for the others the codes of
    their own vocabulary, with their labels (the institutes' and regions' `general` too)."""
    french, english = _attribute_effects(client, FR), _attribute_effects(client, EN)
    filters = ["type", "institute", "region", "issuer", "theme", "status", "year"]
    for effects in (french, english):
        assert len({effects[name] for name in filters}) == len(filters), effects
        assert {"in-force", "repealed"} <= set(effects["status"].split()), effects["status"]
        assert "2024" in effects["year"], effects["year"]
        for name, code in [("type", "decision"), ("institute", "INSB"), ("region", "DR13"),
                           ("issuer", "DAJ"), ("theme", "telework")]:  # fmt: skip
            assert code in effects[name].split(), (name, effects[name])
        for name in ("institute", "region"):
            assert "general" in effects[name].split(), effects[name]
    assert "Décision" in french["type"] and "Decision" in english["type"]
    assert "Télétravail" in french["theme"] and "Telework" in english["theme"]
    for name in ("status", "year"):
        assert "taxonom" not in french[name] + english[name], (french[name], english[name])
    assert "statut" in french["status"].lower() and "status" in english["status"].lower()
    assert "année" in french["year"].lower() and "year" in english["year"].lower()
