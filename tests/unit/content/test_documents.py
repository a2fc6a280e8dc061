"""Reading one content file: every kind of bad input gets a precise Problem, good files parse.

Bad-input tests go through `check_content` on a tree that also holds a good file, so
each one also pins that a broken file never keeps the others from being read.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from docrepo.content import documents
from docrepo.content.check import check_content
from docrepo.content.documents import MAX_FILE_SIZE, Document, ParsedFile, parse_bytes, parse_file
from docrepo.content.entries import entry_for
from docrepo.content.relations import Relations, resolve
from docrepo.content.taxonomy import Taxonomy, load_taxonomy
from docrepo.content.tree import is_document_path, scan
from docrepo.errors import Problem
from support.trees import SAMPLE_CONTENT, MakeTree, front_matter

GOOD_PATH = "pages/good.md"
#: A valid page whose only problem is a link to a missing file: its warning proves it was read.
GOOD = "---\ntitle: Bon document\ntype: page\n---\nVoir [ailleurs](nowhere.md).\n"
GOOD_WARNING = Problem.missing_link(GOOD_PATH, 5, "pages/nowhere.md")
BAD_PATH = "pages/bad.md"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    """The sample taxonomy, which must itself be clean."""
    tax, problems = load_taxonomy(SAMPLE_CONTENT)
    assert problems == []
    return tax


def parse(taxonomy: Taxonomy, text: str | bytes, path: str = BAD_PATH) -> ParsedFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_bytes(path, data, taxonomy)


def page(fields: str, body: str = "Texte du document.") -> str:
    """A page whose front matter starts with title and type, then the given raw YAML lines."""
    return f"---\ntitle: Un document\ntype: page\n{fields}---\n{body}\n"


def check_beside_good(
    make_tree: MakeTree, text: str | bytes, name: str = BAD_PATH
) -> list[Problem]:
    """Check a tree holding `text` at `name` and a good file; return the problems of `name`."""
    content = make_tree({GOOD_PATH: GOOD, name: text})
    problems = check_content(content)
    assert [p for p in problems if p.path == GOOD_PATH] == [GOOD_WARNING]
    others = [p for p in problems if p.path not in (GOOD_PATH, name)]
    assert others == []
    return [p for p in problems if p.path == name]


def only_error(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    (problem,) = problems
    assert problem.level == "error"
    return problem


# --- fields and values -------------------------------------------------------------------


def test_unknown_field_suggests_the_close_known_one(make_tree: MakeTree) -> None:
    """A misspelt field is an error on its line that suggests the field meant."""
    p = only_error(check_beside_good(make_tree, page("institue: INSB\n")))
    assert (p.path, p.line, p.field) == (BAD_PATH, 4, "institue")
    assert "unknown field 'institue'" in p.text()
    assert "institutes" in p.text()


def test_unknown_field_without_close_match_is_still_an_error(make_tree: MakeTree) -> None:
    """A field far from every known one is an error naming it, with no bogus suggestion."""
    p = only_error(check_beside_good(make_tree, page("xyzzy: 1\n")))
    assert (p.line, p.field) == (4, "xyzzy")
    assert "unknown field 'xyzzy'" in p.text()
    assert "did you mean" not in p.text()


@pytest.mark.parametrize("key", ["? [a, b]\n: 1\n", "? {a: b}\n: 1\n"])
def test_a_complex_key_says_a_field_name_is_a_word(make_tree: MakeTree, key: str) -> None:
    """A list or a mapping where a field name goes is named as such, not as YAML's nodes."""
    p = only_error(check_beside_good(make_tree, page(key)))
    assert p.line == 4
    assert "a field name must be a plain word" in p.text()
    assert "Node" not in p.text()


@pytest.mark.parametrize(
    ("fields", "field", "code", "suggested"),
    [
        ("institutes: [INSB, INSX]\n", "institutes", "INSX", "INSB"),
        ("themes: [teleworc]\n", "themes", "teleworc", "telework"),
        ("regions: [DR013]\n", "regions", "DR013", "DR13"),
        ("issuer: DAJJ\n", "issuer", "DAJJ", "DAJ"),
    ],
    ids=["institute", "theme", "region", "issuer"],
)
def test_unknown_vocabulary_code_suggests_closest_codes(
    make_tree: MakeTree, fields: str, field: str, code: str, suggested: str
) -> None:
    """A code missing from the taxonomy is an error naming the code and its closest known codes."""
    p = only_error(check_beside_good(make_tree, page(fields)))
    assert (p.line, p.field) == (4, field)
    assert f"unknown code {code!r}" in p.text()
    assert f"'{field}'" in p.text()
    assert "did you mean" in p.text() and suggested in p.text()


def test_vocabulary_code_in_wrong_case_suggests_the_right_case(make_tree: MakeTree) -> None:
    """`insb` is not a code, and the message suggests `INSB` first."""
    p = only_error(check_beside_good(make_tree, page("institutes: insb\n")))
    assert (p.line, p.field) == (4, "institutes")
    assert "'insb'" in p.text()
    assert "did you mean INSB?" in p.text()


def test_unknown_type_is_a_vocabulary_error(make_tree: MakeTree) -> None:
    """A `type` outside the taxonomy is an error on the type line with a suggestion."""
    text = "---\ntitle: Une décision\ntype: decsion\ndate: 2024-01-02\n---\nTexte.\n"
    p = only_error(check_beside_good(make_tree, text))
    assert (p.line, p.field) == (3, "type")
    assert "'decsion'" in p.text() and "decision" in p.text()


@pytest.mark.parametrize(
    ("fields", "field", "expected"),
    [
        ("lang: de\n", "lang", ["'de'", "fr, en"]),
        ("status: abrogated\n", "status", ["'abrogated'", "in-force, repealed, draft"]),
        ("status: in_force\n", "status", ["'in_force'", "did you mean 'in-force'"]),
    ],
    ids=["lang", "status", "status-typo"],
)
def test_value_outside_a_fixed_choice_lists_the_allowed_values(
    make_tree: MakeTree, fields: str, field: str, expected: list[str]
) -> None:
    """`lang` and `status` accept only their listed values, and the message lists them."""
    p = only_error(check_beside_good(make_tree, page(fields)))
    assert (p.line, p.field) == (4, field)
    for words in expected:
        assert words in p.text()


@pytest.mark.parametrize(
    ("fields", "field", "value"),
    [
        ("code: 0123\n", "code", "0123"),
        ("city: no\n", "city", "no"),
        ("director: on\n", "director", "on"),
        ("summary: 2024-01-01\n", "summary", "2024-01-01"),
        ("reference: 240187\n", "reference", "240187"),
        ("partners: [IRD, yes]\n", "partners", "yes"),
    ],
    ids=["octal", "no", "on", "date-as-text", "number-reference", "bool-in-list"],
)
def test_value_yaml_would_change_type_says_to_quote_it(
    make_tree: MakeTree, fields: str, field: str, value: str
) -> None:
    """An unquoted value YAML reads as a number, boolean or date is an error telling to quote it."""
    p = only_error(check_beside_good(make_tree, page(fields)))
    assert (p.line, p.field) == (4, field)
    assert "quote" in p.text()
    assert f"'{value}'" in p.text()


def test_quoted_values_keep_their_text(taxonomy: Taxonomy) -> None:
    """Quoting `0123`, `no` and `on` gives the text itself."""
    parsed = parse(taxonomy, page("code: '0123'\ncity: \"no\"\ndirector: 'on'\n"))
    assert parsed.problems == []
    doc = parsed.document
    assert doc is not None
    assert (doc.code, doc.city, doc.director) == ("0123", "no", "on")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-30", ["2024-02-30 is not a date", "February 2024 has 29 days"]),
        ("12/03/2024", ["'12/03/2024'", "YYYY-MM-DD"]),
        ("2024-3-5", ["'2024-3-5'", "YYYY-MM-DD"]),
    ],
    ids=["february-30", "french-order", "no-padding"],
)
def test_invalid_date_is_an_error_naming_the_format(
    make_tree: MakeTree, value: str, expected: list[str]
) -> None:
    """A date that is not YYYY-MM-DD is an error on its line saying the format; one that
    no calendar has says why."""
    text = f"---\ntitle: Une note\ntype: note\ndate: {value}\n---\nTexte.\n"
    p = only_error(check_beside_good(make_tree, text))
    assert (p.line, p.field) == (4, "date")
    for words in expected:
        assert words in p.text()


def test_missing_title_is_an_error(make_tree: MakeTree) -> None:
    """A document without `title` gets an error on the title field."""
    p = only_error(check_beside_good(make_tree, "---\ntype: page\n---\nTexte.\n"))
    assert (p.line, p.field) == (1, "title")
    assert "'title' is required" in p.text()


def test_missing_type_is_an_error(make_tree: MakeTree) -> None:
    """A document without `type` gets an error on the type field."""
    p = only_error(check_beside_good(make_tree, "---\ntitle: Sans type\n---\nTexte.\n"))
    assert (p.line, p.field) == (1, "type")
    assert "'type' is required" in p.text()


@pytest.mark.parametrize("doc_type", ["decision", "circular", "instruction", "note"])
def test_dated_types_require_a_date(make_tree: MakeTree, doc_type: str) -> None:
    """Decisions, circulars, instructions and notes need a `date`; the error is on the type line."""
    text = f"---\ntitle: Sans date\nsummary: Résumé.\ntype: {doc_type}\n---\nTexte.\n"
    p = only_error(check_beside_good(make_tree, text))
    assert (p.line, p.field) == (4, "date")
    assert "'date' is required" in p.text()
    assert doc_type in p.text() and "YYYY-MM-DD" in p.text()


@pytest.mark.parametrize("doc_type", ["guide", "form", "page", "unit"])
def test_undated_types_do_not_require_a_date(taxonomy: Taxonomy, doc_type: str) -> None:
    """Types other than decision, circular, instruction and note are valid without a date."""
    parsed = parse(taxonomy, front_matter(type=doc_type))
    assert parsed.problems == []
    assert parsed.document is not None and parsed.document.date is None


def test_list_where_a_single_value_is_expected(make_tree: MakeTree) -> None:
    """`issuer: [DAJ]` is an error saying a single value was expected."""
    p = only_error(check_beside_good(make_tree, page("issuer: [DAJ]\n")))
    assert (p.line, p.field) == (4, "issuer")
    assert "expected a single value" in p.text() and "list" in p.text()


def test_mapping_where_a_list_is_expected(make_tree: MakeTree) -> None:
    """`institutes: {INSB: …}` is an error saying a list was expected."""
    p = only_error(check_beside_good(make_tree, page("institutes: {INSB: CNRS Biologie}\n")))
    assert (p.line, p.field) == (4, "institutes")
    assert "expected a list" in p.text() and "mapping" in p.text()


def test_single_string_is_accepted_as_a_list_of_one(taxonomy: Taxonomy) -> None:
    """`institutes: INSB` (and likewise regions, themes) reads as a list of one code."""
    parsed = parse(taxonomy, page("institutes: INSB\nregions: DR13\nthemes: telework\n"))
    assert parsed.problems == []
    doc = parsed.document
    assert doc is not None
    assert (doc.institutes, doc.regions, doc.themes) == (["INSB"], ["DR13"], ["telework"])


def test_duplicate_key_is_an_error_naming_both_lines(make_tree: MakeTree) -> None:
    """A field given twice is an error on the second occurrence naming the first line."""
    text = "---\ntitle: Premier\ntype: page\ntitle: Second\n---\nTexte.\n"
    p = only_error(check_beside_good(make_tree, text))
    assert (p.line, p.field) == (4, "title")
    assert "'title' is given twice" in p.text() and "line 2" in p.text()


def test_every_problem_of_a_file_is_reported(make_tree: MakeTree) -> None:
    """Several bad fields in one file each get their own problem, not only the first."""
    problems = check_beside_good(make_tree, page("lang: de\ninstitue: INSB\ncity: no\n"))
    assert [(p.line, p.field) for p in problems] == [(4, "lang"), (5, "institue"), (6, "city")]
    assert all(p.level == "error" for p in problems)


# --- repository-level problems -----------------------------------------------------------


def test_duplicate_reference_across_two_files(make_tree: MakeTree) -> None:
    """Two documents with the same reference: the second is an error naming the first."""
    content = make_tree(
        {
            "decisions/a.md": front_matter(type="decision", date="2024-01-02", reference="DEC1"),
            "decisions/b.md": front_matter(type="decision", date="2024-01-03", reference="DEC1"),
        }
    )
    p = only_error(check_content(content))
    assert (p.path, p.field) == ("decisions/b.md", "reference")
    assert p.line == 4  # type, date, reference, title: front_matter() puts title last
    assert "DEC1" in p.text() and "decisions/a.md" in p.text() and "unique" in p.text()


def test_duplicate_reference_ignores_case(make_tree: MakeTree) -> None:
    """References that differ only in case collide, since search finds them in any case."""
    content = make_tree(
        {
            "pages/a.md": front_matter(reference="DEC240001DAJ"),
            "pages/b.md": front_matter(reference="dec240001daj"),
        }
    )
    p = only_error(check_content(content))
    assert (p.path, p.field) == ("pages/b.md", "reference")


@pytest.mark.parametrize("relation", ["supersedes", "amends"])
def test_dangling_relation_is_an_error(make_tree: MakeTree, relation: str) -> None:
    """`supersedes`/`amends` naming no reference and no id is an error on that field's line."""
    content = make_tree(
        {
            "pages/a.md": front_matter(reference="REF-A"),
            "pages/b.md": front_matter(**{relation: ["REF-A", "REF-NOWHERE"]}),
        }
    )
    p = only_error(check_content(content))
    assert (p.path, p.field) == ("pages/b.md", relation)
    assert p.line == 2  # the relation comes first: front_matter() appends title and type
    assert "'REF-NOWHERE'" in p.text() and "names no document" in p.text()


def test_broken_md_link_is_a_warning_on_the_link_line(make_tree: MakeTree) -> None:
    """A link to a missing `.md` file is a warning (not an error) on the line of the link."""
    text = "---\ntitle: Page\ntype: page\n---\n\nIntroduction.\n\nVoir [la note](missing.md).\n"
    (p,) = check_beside_good(make_tree, text)
    assert (p.path, p.level, p.field) == (BAD_PATH, "warning", None)
    assert "pages/missing.md" in p.text() and "does not exist" in p.text()
    assert p.line == 8


def test_link_line_is_right_after_blank_lines_following_the_front_matter(
    taxonomy: Taxonomy,
) -> None:
    """Blank lines between the closing `---` and the text do not shift the recorded link line."""
    for blanks in range(0, 4):
        text = "---\ntitle: Page\ntype: page\n---\n" + "\n" * blanks + "[x](y.md)\n"
        parsed = parse(taxonomy, text)
        assert parsed.document is not None
        assert [link.line for link in parsed.document.links] == [5 + blanks], blanks


def test_blank_line_after_opening_rule_does_not_shift_field_lines(make_tree: MakeTree) -> None:
    """A blank line after the opening `---` still gives each field problem its own file line."""
    text = "---\n\ntitle: Page\ntype: page\ninstitue: INSB\n---\nTexte.\n"
    p = only_error(check_beside_good(make_tree, text))
    assert (p.line, p.field) == (5, "institue")


def test_valid_link_is_not_a_problem(make_tree: MakeTree) -> None:
    """A relative link to an existing document, with `..` and a fragment, gives no warning."""
    content = make_tree(
        {
            "notes/a.md": front_matter(body="Voir [b](../pages/b.md#article-2)."),
            "pages/b.md": front_matter(),
        }
    )
    assert check_content(content) == []


# --- the shape of the file ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n  \n"], ids=["zero-bytes", "blank"])
def test_empty_file(make_tree: MakeTree, text: str) -> None:
    """An empty (or blank) file is an error on line 1 saying a document needs front matter."""
    p = only_error(check_beside_good(make_tree, text))
    assert (p.line, p.field) == (1, None)
    assert "empty" in p.text() and "front matter" in p.text()


def test_front_matter_without_body(make_tree: MakeTree) -> None:
    """A file with front matter and no text after it is reported on the closing `---` line."""
    p = only_error(check_beside_good(make_tree, "---\ntitle: Page\ntype: page\n---\n\n"))
    assert p.line == 4
    assert "no text after its front matter" in p.text()


def test_front_matter_never_closed(make_tree: MakeTree) -> None:
    """Front matter with no closing `---` is an error on the opening line saying so."""
    p = only_error(check_beside_good(make_tree, "---\ntitle: Page\ntype: page\n\nTexte.\n"))
    assert p.line == 1
    assert "never closed" in p.text() and "---" in p.text()


@pytest.mark.parametrize(
    ("front", "found"),
    [("- title\n- type\n", "a list"), ("Juste une phrase\n", "'Juste une phrase'")],
    ids=["list", "scalar"],
)
def test_front_matter_that_is_not_a_mapping(make_tree: MakeTree, front: str, found: str) -> None:
    """Front matter that is a list or a scalar is an error saying fields were expected."""
    p = only_error(check_beside_good(make_tree, f"---\n{front}---\nTexte.\n"))
    assert p.line == 1
    assert found in p.text() and "not a mapping" in p.text()
    assert "title:" in p.text()


def test_invalid_yaml_is_an_error_on_its_line(make_tree: MakeTree) -> None:
    """Front matter that is not YAML is an error on the line YAML stumbles on, with a hint."""
    text = "---\ntitle: Page\ntype: page\nsummary: a: b\n---\nTexte.\n"
    p = only_error(check_beside_good(make_tree, text))
    assert p.line == 4
    assert "not valid YAML" in p.text() and "quote" in p.text()


def test_utf8_bom_parses_fine(make_tree: MakeTree, taxonomy: Taxonomy) -> None:
    """A file saved with a UTF-8 byte-order mark is a valid document, its title unpolluted."""
    data = "\ufeff---\ntitle: Été\ntype: page\n---\nTexte.\n".encode()
    assert check_beside_good(make_tree, data) == []
    doc = parse(taxonomy, data).document
    assert doc is not None and doc.title == "Été"


def test_non_utf8_bytes_are_reported_on_their_line(make_tree: MakeTree) -> None:
    """A Latin-1 byte is an error on the line it is on, telling to save the file as UTF-8."""
    data = b"---\ntitle: Note\ntype: page\n---\n\nLa d\xe9cision du directeur.\n"
    p = only_error(check_beside_good(make_tree, data))
    assert p.line == 6
    assert "UTF-8" in p.text() and "0xe9" in p.text()


def test_crlf_line_ends_parse_fine(make_tree: MakeTree, taxonomy: Taxonomy) -> None:
    """A file with Windows line ends is valid and its values and lines carry no `\\r`."""
    text = (
        "---\r\ntitle: Été\r\ntype: page\r\n---\r\nIntro.\r\n\r\n## Article 1\r\n\r\n[b](b.md)\r\n"
    )
    assert check_beside_good(make_tree, text) == [Problem.missing_link(BAD_PATH, 9, "pages/b.md")]
    doc = parse(taxonomy, text).document
    assert doc is not None
    assert doc.title == "Été"
    assert "\r" not in doc.text and "\r" not in doc.html
    assert doc.field_lines == {"title": 2, "type": 3}
    assert [(h.level, h.anchor) for h in doc.toc] == [(2, "article-1")]


def test_crlf_problems_have_the_right_lines(make_tree: MakeTree) -> None:
    """Problems in a CRLF file are on the same lines as in an LF file."""
    text = "---\r\ntitle: Page\r\ntype: page\r\n\r\ninstitue: INSB\r\n---\r\nTexte.\r\n"
    p = only_error(check_beside_good(make_tree, text))
    assert (p.line, p.field) == (5, "institue")


def test_yaml_anchor_is_rejected(make_tree: MakeTree) -> None:
    """A YAML anchor is an error on its line."""
    text = "---\ntitle: Page\ntype: page\nsummary: &s Résumé\n---\nTexte.\n"
    p = only_error(check_beside_good(make_tree, text))
    assert p.line == 4
    assert "anchors" in p.text() and "not allowed" in p.text()


def test_yaml_alias_is_rejected(make_tree: MakeTree) -> None:
    """A YAML alias is an error on its line, even when no anchor precedes it."""
    text = "---\ntitle: Page\ntype: page\nsummary: *s\n---\nTexte.\n"
    p = only_error(check_beside_good(make_tree, text))
    assert p.line == 4
    assert "aliases" in p.text() and "not allowed" in p.text()


def test_billion_laughs_is_rejected_quickly(make_tree: MakeTree) -> None:
    """An alias bomb is refused at its first anchor, without expanding (well under a second)."""
    lines = ["---", "title: Page", "type: page", 'a0: &a0 ["lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]")
    text = "\n".join(lines) + "\n---\nTexte.\n"
    start = time.perf_counter()
    problems = check_beside_good(make_tree, text)
    assert time.perf_counter() - start < 1.0
    p = only_error(problems)
    assert p.line == 4 and "anchors" in p.text()


def test_file_over_the_size_cap_is_refused(make_tree: MakeTree) -> None:
    """A file larger than MAX_FILE_SIZE is an error on line 1 giving the size and the limit."""
    data = page("", body="a" * MAX_FILE_SIZE).encode()
    assert len(data) > MAX_FILE_SIZE
    p = only_error(check_beside_good(make_tree, data))
    assert p.line == 1
    assert f"{MAX_FILE_SIZE:,}" in p.text() and "limit" in p.text() and "split" in p.text()


def test_file_at_the_size_cap_is_accepted(
    taxonomy: Taxonomy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap is inclusive: a file of exactly MAX_FILE_SIZE bytes is read, one more is not."""
    data = page("").encode()
    monkeypatch.setattr(documents, "MAX_FILE_SIZE", len(data))
    assert parse(taxonomy, data).valid
    monkeypatch.setattr(documents, "MAX_FILE_SIZE", len(data) - 1)
    assert not parse(taxonomy, data).valid


def test_horizontal_rule_in_a_file_without_front_matter(make_tree: MakeTree) -> None:
    """A `---` rule further down a file with no front matter gives a "no front matter" error."""
    text = "Un texte sans en-tête.\n\n---\n\nSuite du texte.\n"
    p = only_error(check_beside_good(make_tree, text))
    assert p.line == 1
    assert "no front matter" in p.text() and "title:" in p.text()


def test_horizontal_rule_on_the_first_line_is_explained(make_tree: MakeTree) -> None:
    """A file starting with a `---` rule (text, not fields) gets a message naming the rule."""
    text = "---\n\nUn texte sans en-tête.\n\n---\n\nSuite du texte.\n"
    p = only_error(check_beside_good(make_tree, text))
    assert p.line == 1
    assert "horizontal rule" in p.text()


# --- good paths --------------------------------------------------------------------------

FULL_DECISION = """\
---
title: "Décision portant délégation de signature : DAJ"
type: decision
lang: en
date: 2024-03-12
published: 2024-03-15
reference: DEC240187DAJ
institutes: [INSB, INC]
regions: [DR13]
issuer: DAJ
themes: [legal, human-resources]
status: in-force
supersedes: [DEC230001DAJ]
amends: [decisions/2023/dec230002daj]
access: [DRH, direction.juridique]
summary: Délégation de signature au directeur.
aliases: [decisions/old/dec240187]
code: UMR5554
director: Jeanne Martin
partners: [Université de Montpellier, IRD]
city: Montpellier
country: France
website: https://isem.example.org/
---

# Article premier

Délégation est donnée à **Jeanne Martin**.
"""


def test_full_valid_decision_parses_every_field(taxonomy: Taxonomy) -> None:
    """A decision using every field parses to a Document holding each value with its type."""
    parsed = parse(taxonomy, FULL_DECISION, "decisions/2024/dec240187daj.md")
    assert parsed.problems == []
    doc = parsed.document
    assert isinstance(doc, Document)
    assert doc.id == "decisions/2024/dec240187daj"
    assert doc.path == "decisions/2024/dec240187daj.md"
    assert doc.title == "Décision portant délégation de signature : DAJ"
    assert (doc.type, doc.lang, doc.status) == ("decision", "en", "in-force")
    assert doc.date == dt.date(2024, 3, 12)
    assert doc.published == dt.date(2024, 3, 15)
    assert doc.reference == "DEC240187DAJ"
    assert doc.institutes == ["INSB", "INC"]
    assert doc.regions == ["DR13"]
    assert doc.issuer == "DAJ"
    assert doc.themes == ["legal", "human-resources"]
    assert doc.supersedes == ["DEC230001DAJ"]
    assert doc.amends == ["decisions/2023/dec230002daj"]
    assert doc.access == ["DRH", "direction.juridique"]
    assert doc.summary == "Délégation de signature au directeur."
    assert doc.aliases == ["decisions/old/dec240187"]
    assert (doc.code, doc.director, doc.city, doc.country) == (
        "UMR5554",
        "Jeanne Martin",
        "Montpellier",
        "France",
    )
    assert doc.partners == ["Université de Montpellier", "IRD"]
    assert doc.website == "https://isem.example.org/"
    assert doc.field_lines["title"] == 2 and doc.field_lines["website"] == 23
    assert "<strong>Jeanne Martin</strong>" in doc.html
    assert "Délégation est donnée" in doc.text
    assert [(h.level, h.anchor, h.title) for h in doc.toc] == [
        (1, "article-premier", "Article premier")
    ]


def test_defaults_of_optional_fields(taxonomy: Taxonomy) -> None:
    """Without lang, status and access a document is French, in force and public."""
    doc = parse(taxonomy, front_matter()).document
    assert doc is not None
    assert (doc.lang, doc.status, doc.access) == ("fr", "in-force", ["public"])
    assert (doc.institutes, doc.supersedes, doc.aliases) == ([], [], [])


def test_dot_and_underscore_names_are_not_documents(make_tree: MakeTree) -> None:
    """Files and folders starting with `.` or `_` are skipped, however broken they are."""
    broken = "pas de front matter\n"
    content = make_tree(
        {
            "pages/ok.md": front_matter(),
            "pages/_brouillon.md": broken,
            "pages/.cache.md": broken,
            "_drafts/x.md": broken,
            ".git/y.md": broken,
            "pages/.hidden/z.md": broken,
            "pages/notes.txt": broken,
        }
    )
    assert check_content(content) == []
    assert list(scan(content).files) == ["pages/ok.md"]
    assert is_document_path("pages/ok.md")
    for path in ("pages/_x.md", "_drafts/x.md", ".git/y.md", "a/.b/c.md", "pages/x.txt"):
        assert not is_document_path(path), path


def test_id_is_the_path_without_md(make_tree: MakeTree, taxonomy: Taxonomy) -> None:
    """A document's id is its path under the content directory with `/` and without `.md`."""
    content = make_tree(
        {"decisions/2024/dec240187daj.md": front_matter(type="decision", date="2024-01-02")}
    )
    parsed = parse_file(content / "decisions/2024/dec240187daj.md", content, taxonomy)
    assert parsed.document is not None
    assert parsed.document.id == "decisions/2024/dec240187daj"
    assert parsed.path == "decisions/2024/dec240187daj.md"


@pytest.mark.parametrize(
    ("fields", "access"),
    [
        ("access: public\n", ["public"]),
        ("access: internal\n", ["internal"]),
        ("access: [DRH, labo-42, dir.juridique]\n", ["DRH", "labo-42", "dir.juridique"]),
        ("access:\n  - DRH\n  - DSI\n", ["DRH", "DSI"]),
    ],
    ids=["public", "internal", "groups", "block-list"],
)
def test_access_forms(taxonomy: Taxonomy, fields: str, access: list[str]) -> None:
    """`access` is public, internal, or a list of group names (flow or block style)."""
    parsed = parse(taxonomy, page(fields))
    assert parsed.problems == []
    assert parsed.document is not None and parsed.document.access == access


def test_access_bare_group_string_is_an_error(make_tree: MakeTree) -> None:
    """`access: DRH` is an error that suggests writing the group as a list, `[DRH]`."""
    p = only_error(check_beside_good(make_tree, page("access: DRH\n")))
    assert (p.line, p.field) == (4, "access")
    assert "public, internal" in p.text() and "[DRH]" in p.text()


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ("access: []\n", "empty"),
        ("access: [DRH, 'bad group']\n", "'bad group'"),
    ],
    ids=["empty-list", "bad-group-name"],
)
def test_access_bad_lists_are_errors(make_tree: MakeTree, fields: str, words: str) -> None:
    """An empty group list or a group name with spaces is an error on the access line."""
    p = only_error(check_beside_good(make_tree, page(fields)))
    assert (p.line, p.field) == (4, "access")
    assert words in p.text()


@pytest.mark.parametrize("url", ["https://lab.example.org", "http://lab.example.org/a?b=1"])
def test_website_accepts_http_and_https(taxonomy: Taxonomy, url: str) -> None:
    """An http or https address is a valid website."""
    doc = parse(taxonomy, page(f"website: {url}\n")).document
    assert doc is not None and doc.website == url


@pytest.mark.parametrize(
    "url", ["www.lab.example.org", "ftp://lab.example.org", "javascript:alert(1)", "https://"]
)
def test_website_rejects_other_addresses(make_tree: MakeTree, url: str) -> None:
    """A website that is not an http(s) address is an error saying what is expected."""
    p = only_error(check_beside_good(make_tree, page(f"website: '{url}'\n")))
    assert (p.line, p.field) == (4, "website")
    assert repr(url) in p.text() and "https://" in p.text()


# --- relations ---------------------------------------------------------------------------


def resolve_tree(content: Path) -> Relations:
    """Resolve the relations of a content tree as the indexer does, from manifest entries."""
    taxonomy, _ = load_taxonomy(content)
    entries = {
        path: entry_for(parse_file(content / path, content, taxonomy), stat, None)
        for path, stat in scan(content).files.items()
    }
    return resolve(entries)


def test_supersedes_derives_superseded_by_and_repealed(make_tree: MakeTree) -> None:
    """A text named in `supersedes` (by reference, any case) is repealed and superseded by it."""
    content = make_tree(
        {
            "decisions/old.md": front_matter(type="decision", date="2020-01-01", reference="DEC1"),
            "decisions/new.md": front_matter(
                type="decision", date="2024-01-01", supersedes=["dec1"]
            ),
        }
    )
    relations = resolve_tree(content)
    assert relations.problems == []
    old, new = relations.derived["decisions/old"], relations.derived["decisions/new"]
    assert old.status == "repealed"
    assert old.superseded_by == ("decisions/new",)
    assert new.supersedes == ("decisions/old",)
    assert new.status == "in-force" and new.superseded_by == ()


def test_amends_derives_amended_by_and_keeps_status(make_tree: MakeTree) -> None:
    """A text named in `amends` (by id) shows "amended by" and stays in force."""
    content = make_tree(
        {
            "decisions/base.md": front_matter(type="decision", date="2020-01-01"),
            "decisions/change.md": front_matter(
                type="decision", date="2024-01-01", amends=["decisions/base"]
            ),
        }
    )
    relations = resolve_tree(content)
    assert relations.problems == []
    base = relations.derived["decisions/base"]
    assert base.status == "in-force"
    assert base.amended_by == ("decisions/change",)
    assert relations.derived["decisions/change"].amends == ("decisions/base",)


def test_relation_through_an_alias(make_tree: MakeTree) -> None:
    """A relation may name a former id (alias) of the target."""
    content = make_tree(
        {
            "notes/renamed.md": front_matter(aliases=["notes/former"]),
            "notes/b.md": front_matter(amends=["notes/former"]),
        }
    )
    relations = resolve_tree(content)
    assert relations.problems == []
    assert relations.derived["notes/renamed"].amended_by == ("notes/b",)


def test_broken_file_beside_good_ones_keeps_them_valid(make_tree: MakeTree) -> None:
    """A tree with many good files and one broken one reports exactly the broken one."""
    files: dict[str, str | bytes] = {f"pages/p{n}.md": front_matter() for n in range(5)}
    files["pages/zz-broken.md"] = b"\xff\xfe"
    problems = check_content(make_tree(files))
    assert [p.path for p in problems] == ["pages/zz-broken.md"]


def test_a_text_too_slow_to_render_is_a_problem_of_its_file(make_tree: MakeTree) -> None:
    """A megabyte of headings (linear, yet seconds of work) is an error of that file with
    what to do, not a document that holds up indexing; 16,000 headings are fine."""
    slow = page("", body="# a\n" * 240_000)
    assert len(slow.encode()) < MAX_FILE_SIZE
    started = time.process_time()
    p = only_error(check_beside_good(make_tree, slow))
    assert time.process_time() - started < 1.0  # refused before it is rendered
    assert "240,000 headings" in p.text() and "split it into several documents" in p.text()
    assert check_beside_good(make_tree, page("", body="# a\n" * 16_000)) == []


def test_a_text_over_the_rendering_bound_is_an_error(
    taxonomy: Taxonomy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever makes rendering slow, a text past the bound of CPU time is refused with
    the time it took (the bound made tiny here, to be deterministic)."""
    monkeypatch.setattr(documents, "MAX_RENDER_SECONDS", -1.0)
    parsed = parse(taxonomy, page("").encode())
    assert parsed.document is None
    assert "to render (the limit is" in only_error(parsed.problems).text()


@pytest.mark.parametrize(
    ("fields", "line"),
    [("\ttheme: telework\n", 4), ("themes:\n  - telework\n\t- finance\n", 6)],
    ids=["indent", "list-item"],
)
def test_a_tab_in_the_front_matter_is_named(make_tree: MakeTree, fields: str, line: int) -> None:
    """A tab that breaks the front matter is an error on its line that says "tab"."""
    p = only_error(check_beside_good(make_tree, page(fields)))
    assert p.line == line
    assert "tab" in p.text() and "spaces" in p.text()


def test_a_label_where_a_code_is_expected_suggests_the_code(make_tree: MakeTree) -> None:
    """`institutes: [CNRS Biologie]` is an unknown code, and the message suggests INSB."""
    p = only_error(check_beside_good(make_tree, page("institutes: [CNRS Biologie]\n")))
    assert (p.line, p.field) == (4, "institutes")
    assert "'CNRS Biologie'" in p.text() and "did you mean INSB?" in p.text()
