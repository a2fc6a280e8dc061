"""content/synonyms.yml: groups read with their lines, every mistake a `PATH:LINE: error:`."""

from __future__ import annotations

from pathlib import Path

from docrepo.content.check import check_content
from docrepo.content.synonyms import load_synonyms
from docrepo.text import words_key
from support.trees import SAMPLE_CONTENT, MakeTree


def test_groups_are_read_and_looked_up_by_their_words(make_tree: MakeTree) -> None:
    """A term is found whatever its case and accents; single words and phrases alike."""
    content = make_tree({"synonyms.yml": "- [RGPD, GDPR, données personnelles]\n- [a b, c]\n"})
    synonyms, problems = load_synonyms(content)
    assert problems == []
    assert synonyms.group_of(words_key("Données Personnelles")) == (
        "RGPD",
        "GDPR",
        "données personnelles",
    )
    assert synonyms.group_of(words_key("gdpr")) is not None
    assert synonyms.group_of(words_key("données")) is None
    assert synonyms.longest == 2


def test_no_file_is_no_synonyms(make_tree: MakeTree) -> None:
    content = make_tree({})
    synonyms, problems = load_synonyms(content)
    assert synonyms.groups == () and problems == []


def test_every_mistake_names_its_line(make_tree: MakeTree) -> None:
    """Not a list, an empty group, a lone term, a mapping, a term in two groups: each
    one is an error on its own line, and the sound groups are still read."""
    text = "\n".join(
        [
            "- [télétravail, telework]",  # 1
            "- []",  # 2
            "- [seul]",  # 3
            "- marchés publics",  # 4
            "- [a: b, c]",  # 5
            "- [Telework, remote work]",  # 6
            "- [x, y, X]",  # 7
        ]
    )
    content = make_tree({"synonyms.yml": text + "\n"})
    synonyms, problems = load_synonyms(content)
    lines = {p.line: p.text() for p in problems}
    assert set(lines) == {2, 3, 4, 5, 6, 7}, problems
    assert "empty group" in lines[2]
    assert "two terms or more" in lines[3]
    assert "a list of terms" in lines[4]
    assert "mapping" in lines[5]
    assert "two groups (line 1 and here)" in lines[6]
    assert "twice in this group" in lines[7]
    assert synonyms.groups[0] == ("télétravail", "telework")
    assert all(str(p).startswith(f"synonyms.yml:{p.line}: error:") for p in problems)


def test_not_a_list_and_bad_yaml(make_tree: MakeTree) -> None:
    content = make_tree({"synonyms.yml": "groups: {a: b}\n"})
    assert "expected a list of groups" in load_synonyms(content)[1][0].text()
    content = make_tree({"synonyms.yml": "- [a, b\n"})
    assert "not valid YAML" in load_synonyms(content)[1][0].text()


def test_the_file_is_read_again_when_it_changes(make_tree: MakeTree) -> None:
    content = make_tree({"synonyms.yml": "- [a1, b1]\n"})
    assert load_synonyms(content)[0].groups == (("a1", "b1"),)
    (content / "synonyms.yml").write_text("- [a1, b1, c1]\n", encoding="utf-8")
    assert load_synonyms(content)[0].groups == (("a1", "b1", "c1"),)


def test_check_reports_the_synonyms_problems(make_tree: MakeTree) -> None:
    content = make_tree({"synonyms.yml": "- []\n"})
    assert [(p.path, p.line) for p in check_content(content)] == [("synonyms.yml", 1)]


def test_the_sample_file_is_sound() -> None:
    """The shipped file lists the organisation's acronyms without a mistake."""
    synonyms, problems = load_synonyms(Path(SAMPLE_CONTENT))
    assert problems == []
    for acronym in ("RGPD", "DGDR", "DERCI", "MPR", "UMR", "IRL", "HRS4R", "COP", "SPV"):
        assert synonyms.group_of(words_key(acronym)) is not None, acronym


def test_a_tab_in_the_synonyms_is_named(make_tree: MakeTree) -> None:
    """A tab that breaks synonyms.yml is named as a tab, on its line."""
    content = make_tree({"synonyms.yml": "- [RGPD, GDPR]\n-\t[a, b]\n"})
    [problem] = load_synonyms(content)[1]
    assert problem.line == 2 and "tab" in problem.text()
