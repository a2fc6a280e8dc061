"""The vocabulary file: each entry is exactly `{fr: text, en: text}`, anything else is a
problem on its line; a label written where a code is expected suggests its code."""

from __future__ import annotations

from pathlib import Path

import pytest

from docrepo.content.taxonomy import Taxonomy, load_taxonomy
from docrepo.errors import Problem
from support.trees import SAMPLE_CONTENT, MakeTree

GOOD_VOCABULARIES = (
    "institutes: {INSB: {fr: CNRS Biologie, en: CNRS Biology}}\n"
    "regions: {DR13: {fr: Occitanie Est, en: Occitanie Est}}\n"
    "issuers: {DAJ: {fr: Direction des affaires juridiques, en: Legal Affairs Department}}\n"
    "themes: {legal: {fr: Affaires juridiques, en: Legal affairs}}\n"
)


def problems_of(make_tree: MakeTree, types: str) -> list[Problem]:
    """The problems of a taxonomy whose `types` vocabulary holds these lines (from line 2)."""
    content = make_tree({"taxonomy.yml": f"types:\n{types}{GOOD_VOCABULARIES}"})
    return load_taxonomy(content)[1]


def test_the_sample_taxonomy_is_clean_and_every_label_is_whole() -> None:
    """The sample's taxonomy has no problem, and no label was cut at a comma."""
    taxonomy, problems = load_taxonomy(SAMPLE_CONTENT)
    assert problems == []
    assert taxonomy.label("issuers", "DSFIM", "en") == (
        "Finance, Real Estate and Modernisation Department"
    )
    assert taxonomy.label("issuers", "DSFIM", "fr") == (
        "Direction de la stratégie financière, de l'immobilier et de la modernisation"
    )


def test_a_label_split_at_its_commas_says_to_quote_it(make_tree: MakeTree) -> None:
    """`{fr: A, B, en: C, D}` is a mapping with extra keys: one error on the code's line that
    names what YAML cut off and says to quote the label."""
    line = "  page: {fr: Page, ma page, en: Page, my page}\n"
    [problem] = problems_of(make_tree, line)
    assert (problem.path, problem.line, problem.level, problem.field) == (
        "taxonomy.yml",
        2,
        "error",
        "types",
    )
    assert "'page'" in problem.text() and "commas" in problem.text()
    assert "'ma page'" in problem.text() and "'my page'" in problem.text()
    assert "quote" in problem.text()


def test_quoted_labels_keep_their_commas(make_tree: MakeTree) -> None:
    """A quoted label holds its commas whole."""
    content = make_tree(
        {"taxonomy.yml": 'types:\n  page: {fr: "Page, simple", en: \'Page, plain\'}\n'
         + GOOD_VOCABULARIES}
    )  # fmt: skip
    taxonomy, problems = load_taxonomy(content)
    assert problems == []
    assert [taxonomy.label("types", "page", lang) for lang in ("fr", "en")] == [
        "Page, simple",
        "Page, plain",
    ]


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ("page: Page", "expected its labels as {fr: …, en: …}, found 'Page'"),
        ("page: [Page, Page]", "found a list"),
        ("page: {fr: Page}", "missing in: en"),
        ("page: {fr: Page, en: ~}", "missing in: en"),
        ("page: {fr: Page, en: Page, de: Seite}", "unexpected key 'de'"),
        ("page: {fr: [Page], en: Page}", "the fr label must be text"),
        ("page: {fr: Page, fr: Pages, en: Page}", "the fr label is given twice"),
    ],
)
def test_an_entry_that_is_not_fr_and_en_text_is_an_error(
    make_tree: MakeTree, entry: str, said: str
) -> None:
    """Anything but `{fr: text, en: text}` is an error on the line of its code."""
    [problem] = problems_of(make_tree, f"  {entry}\n")
    assert (problem.line, problem.level) == (2, "error")
    assert problem.text().startswith("types: code 'page': ")
    assert said in problem.text()


def test_a_tab_in_the_taxonomy_is_named(make_tree: MakeTree) -> None:
    """A tab that breaks the YAML is named as a tab, on its line."""
    [problem] = problems_of(make_tree, "  page: {fr: Page, en: Page}\n\tnote: {fr: N, en: N}\n")
    assert problem.line == 3
    assert "tab" in problem.text() and "spaces" in problem.text()


@pytest.fixture(scope="module")
def sample() -> Taxonomy:
    return load_taxonomy(SAMPLE_CONTENT)[0]


@pytest.mark.parametrize(
    ("vocabulary", "written", "code"),
    [
        ("institutes", "CNRS Biologie", "INSB"),
        ("institutes", "cnrs biology", "INSB"),
        ("institutes", "Ecologie & Environnement", "INEE"),
        ("types", "Circulaire", "circular"),
        ("issuers", "Direction des affaires juridiques", "DAJ"),
        ("regions", "dr13", "DR13"),
    ],
)
def test_a_label_or_a_code_in_another_case_gives_its_code_first(
    sample: Taxonomy, vocabulary: str, written: str, code: str
) -> None:
    """What an editor may write instead of a code (a label, in either language, with or
    without accents, or the code in another case) gives that code first."""
    assert sample.closest(vocabulary, written)[0] == code


def test_a_mistyped_code_still_gives_the_close_codes(sample: Taxonomy) -> None:
    assert sample.closest("issuers", "DAJJ")[0] == "DAJ"
    assert sample.closest("types", "decsion")[0] == "decision"
    assert sample.closest("themes", "zzzz") == []


def test_missing_taxonomy_file(tmp_path: Path) -> None:
    [problem] = load_taxonomy(tmp_path)[1]
    assert problem.line == 1 and "missing" in problem.text()


def test_general_is_no_institute_or_region_code(make_tree: MakeTree) -> None:
    """`general` is the facet value of texts of general scope: no institute may take it."""
    vocabularies = GOOD_VOCABULARIES.replace(
        "institutes: {INSB:", "institutes: {general: {fr: Général, en: General}, INSB:"
    )
    content = make_tree({"taxonomy.yml": "types: {page: {fr: Page, en: Page}}\n" + vocabularies})
    taxonomy, problems = load_taxonomy(content)
    assert [(p.line, p.text()) for p in problems] == [
        (2, "institutes: the code 'general' is the facet value of texts of general scope; "
            "choose another code")
    ]  # fmt: skip
    assert "general" not in taxonomy.codes("institutes")
