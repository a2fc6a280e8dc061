"""A translation left behind its original (issue 27, "kept in step"), from the git
history: the translation's page says when the original changed after it and links the
comparison of the original since the version it followed; /problems lists it for
editors; a translation committed after its original's last change says nothing."""

from __future__ import annotations

import pytest

from support.git import Git
from support.trees import front_matter
from support.web import MakeClient, WebTree

pytest_plugins = ["support.web"]

PROXY = {"client_host": "127.0.0.1", "trusted_proxies": ["127.0.0.1"]}
EDITOR = {"X-Remote-User": "claire", "X-Remote-Groups": "editors"}
CIRCULAR = {"type": "circular", "date": "2025-01-10", "reference": "CIR250001DRH"}


def original(rate: int) -> str:
    return front_matter(f"Le taux est de {rate} euros.", title="Indemnités", **CIRCULAR)


TRANSLATION = front_matter(
    "The rate is 100 euros.", title="Allowances", lang="en", translation_of="CIR250001DRH",
    **CIRCULAR,
)  # fmt: skip


@pytest.fixture
def behind(make_client: MakeClient) -> tuple[WebTree, dict[str, str], Git]:
    """The French circular, its English version, then the French one changed."""
    site = make_client({}, **PROXY)
    git = Git(site.content.parent)
    commits = {
        "first": git.commit({"cir.md": original(100)}, "Circulaire", "2025-01-10T09:00:00+01:00",
                            under="content"),
        "english": git.commit({"cir-en.md": TRANSLATION}, "English version",
                              "2025-02-03T09:00:00+01:00", under="content"),
        "changed": git.commit({"cir.md": original(120)}, "Taux revalorisé",
                              "2025-03-12T09:00:00+01:00", under="content"),
    }  # fmt: skip
    site.reindex()
    return site, commits, git


def test_the_translations_page_says_the_original_changed_after_it(
    behind: tuple[WebTree, dict[str, str], Git],
) -> None:
    """In English and in French, with a link to the comparison of the French text from
    the version the translation followed to its last; the original's page says nothing."""
    site, commits, _ = behind
    diff = f"/doc/cir/diff?from={commits['first']}&amp;to={commits['changed']}"
    site.client.cookies.set("lang", "en")
    page = site.client.get("/doc/cir-en").text
    assert (
        "The French text changed on March 12, 2025, after this translation: "
        f'<a href="{diff}">See what changed</a>.' in page
    )
    site.client.cookies.set("lang", "fr")
    page = site.client.get("/doc/cir-en").text
    assert (
        "Le texte français a changé le 12 mars 2025, après cette traduction : "
        f'<a href="{diff}">voir ce qui a changé</a>.' in page
    )
    assert "translation-lag" not in site.client.get("/doc/cir").text
    assert site.client.get(diff.replace("&amp;", "&")).status_code == 200


def test_problems_lists_it_for_editors(behind: tuple[WebTree, dict[str, str], Git]) -> None:
    """An editor's /problems has the warning on the translation's `translation_of` line."""
    site, _, _ = behind
    site.client.cookies.set("lang", "en")
    page = site.client.get("/problems", headers=EDITOR).text
    assert "cir-en.md</a>:4" in page
    assert (
        "the original text cir changed on 2025-03-12, after this translation (last changed "
        "on 2025-02-03): bring the translation up to date and commit it" in page
    )


def test_a_translation_brought_up_to_date_says_nothing(
    behind: tuple[WebTree, dict[str, str], Git],
) -> None:
    """Once the English version is committed again, it follows the original's last change."""
    site, _, git = behind
    git.commit({"cir-en.md": TRANSLATION.replace("100", "120")}, "Rate updated",
               "2025-03-20T09:00:00+01:00", under="content")  # fmt: skip
    site.reindex()
    site.client.cookies.set("lang", "en")
    assert "translation-lag" not in site.client.get("/doc/cir-en").text
    assert "after this translation" not in site.client.get("/problems", headers=EDITOR).text
