"""A text in two languages is one text (issue 27): through HTTP, one result per text in
the reader's language, its other versions named (`translations`), texts counted (totals,
pages, facets), the original governing the translation's status and relations, and
nothing said of a version the viewer may not see."""

from __future__ import annotations

import re
from typing import Any

import pytest

from support.trees import front_matter
from support.web import MakeClient, WebTree

pytest_plugins = ["support.web"]

CIRCULAR = {"type": "circular", "date": "2025-03-12", "institutes": ["INSB"]}
FILES = {
    "cir.md": front_matter(
        "Le télétravail est ouvert à tous les agents, trois jours par semaine, à Kerguelen.",
        title="Circulaire relative au télétravail",
        reference="CIR250011DRH",
        **CIRCULAR,
    ),
    "cir-en.md": front_matter(
        "Telework is open to every employee, three days a week, Kerguelen and Crozet included.",
        title="Circular on telework",
        lang="en",
        reference="CIR250011DRH",
        translation_of="CIR250011DRH",
        published="2025-04-02",
        **CIRCULAR,
    ),
    "note.md": front_matter(
        "Le télétravail des agents en mission aux Kerguelen.",
        title="Note sur le télétravail en mission",
        type="note",
        date="2025-04-01",
    ),
    "page-en.md": front_matter(
        "Our office in Tokyo welcomes partners.",
        title="Tokyo office",
        lang="en",
        type="office-abroad",
    ),
    "page.md": front_matter(
        "Notre bureau de Tokyo accueille les partenaires. Télétravail possible.",
        title="Bureau de Tokyo",
        type="office-abroad",
        access=["tokyo-staff"],
    ),
}
PROXY = {"client_host": "10.0.0.5", "trusted_proxies": ["10.0.0.0/8"]}


@pytest.fixture
def site(make_client: MakeClient) -> WebTree:
    # the English page of the Tokyo office translates a French one only its staff see
    files = {
        **FILES,
        "page-en.md": FILES["page-en.md"].replace("type:", "translation_of: page\ntype:"),
    }
    return make_client(files, **PROXY)


def search(site: WebTree, query: str, lang: str = "fr", **headers: str) -> dict[str, Any]:
    site.client.cookies.set("lang", lang)
    response = site.client.get(f"/api/search?{query}", headers=headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def ids(data: dict[str, Any]) -> list[str]:
    return [r["id"] for r in data["results"]]


def counts(data: dict[str, Any], facet: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in data["facets"][facet]}


def test_one_result_per_text_in_the_readers_language(site: WebTree) -> None:
    """Both versions match "Kerguelen": a French reader gets the French circular, an English
    reader the English one, each naming the other; the total and facets count texts."""
    french = search(site, "q=Kerguelen")
    assert sorted(ids(french)) == ["cir", "note"]
    assert french["total"] == 2
    [circular] = [r for r in french["results"] if r["id"] == "cir"]
    assert circular["translations"] == [
        {"lang": "en", "id": "cir-en", "url": "/doc/cir-en", "title": "Circular on telework"}
    ]
    assert counts(french, "type") == {"circular": 1, "note": 1}
    assert counts(french, "institute") == {"INSB": 1, "general": 1}
    assert counts(french, "year") == {"2025": 2}
    english = search(site, "q=Kerguelen", lang="en")
    assert sorted(ids(english)) == ["cir-en", "note"]
    assert english["total"] == 2
    [circular] = [r for r in english["results"] if r["id"] == "cir-en"]
    assert [t["id"] for t in circular["translations"]] == ["cir"]
    # ticking a language lists its versions: its count says how many
    assert counts(english, "lang") == {"fr": 2, "en": 1}


def test_the_version_that_matches_is_the_result(site: WebTree) -> None:
    """A word of the English text only finds the English version, even for a French
    reader; and the shared reference finds the text, in the reader's language."""
    assert ids(search(site, "q=Crozet")) == ["cir-en"]
    assert ids(search(site, "q=CIR250011DRH", lang="en"))[:1] == ["cir-en"]
    assert ids(search(site, "q=CIR250011DRH"))[:1] == ["cir"]


def test_a_language_filter_lists_its_versions(site: WebTree) -> None:
    """`lang=en` lists the English versions, even for a French reader; `lang=fr` the French."""
    assert sorted(ids(search(site, "lang=en"))) == ["cir-en", "page-en"]
    assert sorted(ids(search(site, "lang=fr"))) == ["cir", "note"]
    assert search(site, "")["total"] == 3  # cir, note, Tokyo (English: its original hidden)


def test_a_hidden_version_is_never_named(site: WebTree) -> None:
    """The English Tokyo page names no French version to who may not see it, and is not
    hidden behind it; its staff get the French page, which names the English one."""
    anonymous = search(site, "q=Tokyo")
    assert ids(anonymous) == ["page-en"]
    assert anonymous["results"][0]["translations"] == []
    staff = {"X-Remote-User": "kenji", "X-Remote-Groups": "tokyo-staff"}
    member = search(site, "q=Tokyo", **staff)
    assert ids(member) == ["page"]
    assert [t["id"] for t in member["results"][0]["translations"]] == ["page-en"]
    assert member["total"] == 1


def test_pages_count_texts(site: WebTree) -> None:
    """Paging goes over texts: two texts at one per page are two pages, no page repeats."""
    first = search(site, "q=Kerguelen&per_page=1")
    second = search(site, "q=Kerguelen&per_page=1&page=2")
    assert first["total"] == 2
    assert sorted(ids(first) + ids(second)) == ["cir", "note"]


def test_the_results_page_links_the_other_version(site: WebTree) -> None:
    """On the results page, the French circular links its English version with "Also in
    English" (said in English, for who reads English), and the English reader's result
    its French one with "Aussi en français"."""
    site.client.cookies.set("lang", "fr")
    page = site.client.get("/?q=Kerguelen").text
    assert (
        '<p class="also-in"><a href="/doc/cir-en" hreflang="en" lang="en" '
        'title="Circular on telework">Also in English</a></p>' in page
    )
    site.client.cookies.set("lang", "en")
    page = site.client.get("/?q=Kerguelen").text
    assert (
        '<a href="/doc/cir" hreflang="fr" lang="fr" title="Circulaire relative au télétravail">'
        "Aussi en français</a>" in page
    )


GOVERNED = {
    "old.md": front_matter(
        "Les missions à Kourou.", title="Circulaire sur les missions", reference="CIR190001DRH",
        type="circular", date="2019-01-10",
    ),
    "old-en.md": front_matter(
        "Missions to Kourou.", title="Circular on missions", reference="CIR190001DRH",
        type="circular", date="2019-01-10", lang="en", translation_of="CIR190001DRH",
    ),
    "new.md": front_matter(
        "Les missions, à nouveau.", title="Nouvelle circulaire sur les missions",
        reference="CIR250011DRH", type="circular", date="2025-03-01", effective="2025-03-12",
        supersedes=["CIR190001DRH"],
    ),
    "fix.md": front_matter(
        "Modifie la circulaire.", title="Rectificatif", type="note", date="2020-01-01",
        amends=["old"],
    ),
}  # fmt: skip


@pytest.fixture
def governed(make_client: MakeClient) -> WebTree:
    return make_client(GOVERNED)


def test_the_original_governs_its_translation(governed: WebTree) -> None:
    """When the French text is superseded, its English version is repealed the same day,
    superseded and amended by the same texts, in the API and in search on any day."""
    doc = governed.client.get("/api/doc/old-en").json()
    assert (doc["status"], doc["effective"], doc["ends"]) == (
        "repealed",
        "2019-01-10",
        "2025-03-11",
    )
    assert [r["id"] for r in doc["relations"]["superseded_by"]] == ["new"]
    assert [r["id"] for r in doc["relations"]["amended_by"]] == ["fix"]
    assert doc["translation_of"] == "old"
    assert doc["translations"] == [
        {"lang": "fr", "id": "old", "url": "/doc/old", "title": "Circulaire sur les missions"}
    ]
    original = governed.client.get("/api/doc/old").json()
    assert original["translation_of"] is None
    assert [t["id"] for t in original["translations"]] == ["old-en"]
    # the new text is superseded by nothing: the English version added no relation
    assert governed.client.get("/api/doc/new").json()["relations"]["superseded_by"] == []
    governed.client.cookies.set("lang", "en")
    for day, status in (("2025-03-11", "in-force"), ("2025-03-12", "repealed")):
        data = governed.client.get(f"/api/search?q=Kourou&at={day}").json()
        assert [(r["id"], r["status"]) for r in data["results"]] == [("old-en", status)]


def test_the_translations_page_says_what_it_translates(governed: WebTree) -> None:
    """The English version's page carries the repealed banner, says which text it
    translates and that the French text prevails, links the French version (and says so
    to browsers and search engines, `<link rel="alternate" hreflang>`)."""
    for lang, prevails in (
        ("en", "Translation of <a href=\"/doc/old\" hreflang=\"fr\">CIR190001DRH</a>; the "
               "French text prevails"),
        ("fr", "Traduction de <a href=\"/doc/old\" hreflang=\"fr\">CIR190001DRH</a> ; le "
               "texte français fait foi"),
    ):  # fmt: skip
        governed.client.cookies.set("lang", lang)
        page = governed.client.get("/doc/old-en").text
        assert prevails in page
        assert '<div class="banner repealed"' in page and 'href="/doc/new"' in page
        assert '<link rel="alternate" hreflang="fr" href="/doc/old"' in page
        assert '<link rel="alternate" hreflang="en" href="/doc/old-en">' in page
        assert (
            '<a href="/doc/old" hreflang="fr" lang="fr" title="Circulaire sur les missions">'
            "Aussi en français</a>" in page
        )
    original = governed.client.get("/doc/old").text
    assert "translation-of" not in original
    assert '<link rel="alternate" hreflang="en" href="/doc/old-en"' in original
    assert ">Also in English</a>" in original
    assert 'alternate" hreflang' not in governed.client.get("/doc/new").text


def entries(site: WebTree, url: str, lang: str) -> list[tuple[str, str]]:
    """(title, link) of each entry of a feed read in a language."""
    site.client.cookies.set("lang", lang)
    feed = site.client.get(url).text
    return re.findall(
        r"<entry><title>(.*?)</title>.*?<link [^>]*href=\"[^\"]*?(/doc/[^\"]*)\"", feed
    )


def test_feeds_carry_one_entry_per_text_in_their_language(site: WebTree) -> None:
    """A feed of the circulars lists the circular once, in the feed's language; the
    changes feed of the French circular says when its English version was published."""
    assert entries(site, "/feed.atom?type=circular", "fr") == [
        ("Circulaire relative au télétravail", "/doc/cir")
    ]
    assert entries(site, "/feed.atom?type=circular", "en") == [
        ("Circular on telework", "/doc/cir-en")
    ]
    changes = entries(site, "/feed.atom?changes=1&doc=cir", "en")
    assert changes[0] == (
        "English version published: Circulaire relative au télétravail",
        "/doc/cir-en",
    )
    assert entries(site, "/feed.atom?changes=1&doc=cir", "fr")[0][0] == (
        "Version anglaise publiée : Circulaire relative au télétravail"
    )


def test_one_result_per_text_after_a_deletion(make_client: MakeClient) -> None:
    """A deleted document's text stays among the index's values until a merge: the
    texts are still told apart by their live versions (a French text, its English
    version and a note; the note deleted: one result, not two)."""
    site = make_client({name: FILES[name] for name in ("cir.md", "cir-en.md", "note.md")})
    (site.content / "note.md").unlink()
    site.reindex()
    data = search(site, "q=Kerguelen")
    assert (ids(data), data["total"]) == (["cir"], 1)
