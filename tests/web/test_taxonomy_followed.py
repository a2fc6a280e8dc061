"""The web workers follow content/taxonomy.yml as they follow the synonyms: a label an
editor corrects, or a code added, shows at the next request, without a restart; a
version of a document is read, and labelled, with the taxonomy of its own commit."""

from __future__ import annotations

from support.dom import parse_html
from support.git import Git
from support.trees import TAXONOMY, doc
from support.web import MakeClient

pytest_plugins = ["support.web"]

PROXY = {"client_host": "127.0.0.1", "trusted_proxies": ["127.0.0.1"]}
SAMPLE_TAXONOMY = TAXONOMY.read_text(encoding="utf-8")


def test_a_corrected_label_and_an_added_code_show_at_the_next_request(
    make_client: MakeClient,
) -> None:
    site = make_client({"a.md": doc("Alpha", "Texte.", type="guide")})
    before = site.client.get("/doc/a")
    assert before.status_code == 200 and "Guide" in before.text
    assert "Guide pratique" not in before.text
    assert "Région de test" not in site.client.get("/widget").text

    corrected = SAMPLE_TAXONOMY.replace(
        "guide: {fr: Guide, en: Guide}", "guide: {fr: Guide pratique, en: Handbook}"
    ).replace("regions:\n", "regions:\n  DR99: {fr: Région de test, en: Test region}\n")
    assert corrected.count("Guide pratique") == 1 and corrected.count("DR99") == 1
    site.write("taxonomy.yml", corrected)

    assert "Guide pratique" in site.client.get("/doc/a").text
    assert "Région de test" in site.client.get("/widget").text


def test_a_half_saved_taxonomy_keeps_the_last_labels(make_client: MakeClient) -> None:
    """While taxonomy.yml cannot be read (an editor's save half done), the labels are the
    last read, not the bare codes."""
    site = make_client({"a.md": doc("Alpha", "Texte.", type="report")})
    assert "Rapport" in site.client.get("/doc/a").text
    site.write("taxonomy.yml", "types: {report: [")
    assert "Rapport" in site.client.get("/doc/a").text


def test_an_old_version_is_read_with_the_taxonomy_of_its_commit(make_client: MakeClient) -> None:
    """A version written when its theme was a code of the taxonomy is shown as it was,
    valid and labelled, after the code was renamed (the current taxonomy no longer
    knows it)."""
    site = make_client({}, **PROXY)
    git = Git(site.content.parent)
    then = SAMPLE_TAXONOMY.replace(
        "themes:\n", "themes:\n  hybrid-work: {fr: Travail hybride, en: Hybrid work}\n"
    )
    now = SAMPLE_TAXONOMY.replace(
        "themes:\n", "themes:\n  remote-work: {fr: Travail à distance, en: Remote work}\n"
    )
    assert then != SAMPLE_TAXONOMY and now != SAMPLE_TAXONOMY
    first = git.commit(
        {"taxonomy.yml": then, "tt.md": doc("Télétravail", "Deux jours.", themes=["hybrid-work"])},
        "Thème du travail hybride",
        "2024-01-10T09:00:00+01:00",
        under="content",
    )
    git.commit(
        {"taxonomy.yml": now, "tt.md": doc("Télétravail", "Trois jours.", themes=["remote-work"])},
        "Le thème renommé",
        "2024-02-10T09:00:00+01:00",
        under="content",
    )
    site.reindex()

    current = site.client.get("/doc/tt")
    assert current.status_code == 200 and "Travail à distance" in current.text
    old = site.client.get(f"/doc/tt?version={first}")
    assert old.status_code == 200
    dom = parse_html(old.text)
    assert dom.find_all("ul", cls="problems") == [], (
        "the old version was judged by today's taxonomy"
    )
    assert "Deux jours." in old.text
    assert "Travail hybride" in old.text
