"""The one definition of a reference (`docrepo.text`) recognises every reference the
judged set and the sample use, as people write them, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from corpus.judged import load_judged
from docrepo.text import (
    REFERENCE,
    REFERENCE_BEGUN,
    REFERENCE_PREFIXES,
    REFERENCE_STEM,
    TYPED_REFERENCE,
    joined_reference,
)
from support.trees import SAMPLE_CONTENT

#: the judged queries that a reader judged to be a reference typed alone, beyond the
#: kind `references` (the in_force kind asks for some texts by their reference)
TYPED_ALONE_IN_FORCE = {"CIR210009DRH", "DEC150088DRH", "CIR 180010 DAJ", "dec170412daj"}


def _typed_references() -> list[tuple[str, str]]:
    """(query, the id of the document it asks for) of every judged reference query."""
    return [
        (judged.query, next(doc for doc, grade in judged.relevant.items() if grade == 3))
        for judged in load_judged()
        if judged.kind == "references" or judged.query in TYPED_ALONE_IN_FORCE
    ]


def test_the_judged_set_has_the_queries_this_test_reads() -> None:
    queries = _typed_references()
    assert len(queries) >= 35
    assert TYPED_ALONE_IN_FORCE <= {query for query, _ in queries}


@pytest.mark.parametrize(("query", "doc_id"), _typed_references())
def test_every_judged_reference_is_recognised_whole(query: str, doc_id: str) -> None:
    """`DEC 240187 DAJ`, `cir.240006.drh`, `DEC210702`: the whole query is one reference,
    the one (or the beginning of the one) of the document judged to be looked for."""
    found = TYPED_REFERENCE.fullmatch(query)
    assert found, query
    expected = Path(doc_id).name.upper()  # decisions/2024/dec240187daj → DEC240187DAJ
    assert expected.startswith(joined_reference(found)), (query, expected)
    assert len(joined_reference(found)) in (9, len(expected))  # the stem, or all of it


def _declared() -> list[tuple[str, str, str]]:
    """(path, type, reference) of every document of the sample that declares one."""
    found = []
    for path in sorted(SAMPLE_CONTENT.rglob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0][4:])
        if "reference" in front:
            found.append((path.relative_to(SAMPLE_CONTENT).as_posix(), front["type"],
                          front["reference"]))  # fmt: skip
    return found


def test_every_reference_the_sample_declares_is_recognised() -> None:
    declared = _declared()
    assert len(declared) > 80
    for path, doc_type, reference in declared:
        whole = REFERENCE.fullmatch(reference)
        assert whole, (path, reference)
        assert whole.group(1) == REFERENCE_PREFIXES[doc_type], (path, reference)
        # the file is named after it (a translation, which carries its original's
        # reference, after it and its language: cir240006drh-en)
        assert Path(path).stem in (reference.lower(), f"{reference.lower()}-en",
                                   f"{reference.lower()}-fr"), (path, reference)  # fmt: skip
        typed = TYPED_REFERENCE.fullmatch(reference)
        assert typed and joined_reference(typed) == reference


def test_every_reference_written_in_the_sample_texts_is_found() -> None:
    """Each reference a text of the sample writes whole (the house's form, `DEC201155DAJ`,
    read here by a pattern of the test's own) is one the citations find."""
    import re

    house_form = re.compile(r"\b[A-Z]{3}\d{6}[A-Z]{2,5}\b")
    count = 0
    for path in sorted(SAMPLE_CONTENT.rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---", 1)[1]
        written = set(house_form.findall(body))
        found = {joined_reference(m) for m in TYPED_REFERENCE.finditer(body)}
        assert written <= found, (path, written - found)
        count += len(written)
    assert count > 50


@pytest.mark.parametrize(
    "text",
    [
        "DEC24",  # a reference begun, not one
        "DEC2401870DAJ",  # seven digits
        "DE240187DAJ",  # two letters of type
        "DEC240187DAJXYZW",  # an issuer of seven letters
        "UMR5554",
        "covid-19",
        "2024-0187",
        "télétravail",
        "xDEC240187DAJ",  # inside a word
        "ref-DEC240187DAJ",  # inside a hyphenated word
    ],
)
def test_what_is_not_a_reference(text: str) -> None:
    assert TYPED_REFERENCE.search(text) is None
    assert REFERENCE.fullmatch(text) is None


def test_a_reference_begun_and_a_stem() -> None:
    """`DEC24*` is a reference begun (`circ*` a word begun); `DEC210702` a stem."""
    assert all(REFERENCE_BEGUN.fullmatch(t) for t in ("DEC24", "dec240187", "DEC240187D"))
    assert not any(REFERENCE_BEGUN.fullmatch(t) for t in ("circ", "télé", "DEC", "24DEC"))
    assert REFERENCE_STEM.fullmatch("DEC210702")
    assert not any(REFERENCE_STEM.fullmatch(t) for t in ("DEC21070", "DEC210702DRH"))


def test_each_type_prefix_begins_a_reference() -> None:
    assert sorted(REFERENCE_PREFIXES) == ["circular", "decision", "instruction", "note"]
    for prefix in REFERENCE_PREFIXES.values():
        assert REFERENCE.fullmatch(f"{prefix}240187DAJ")
