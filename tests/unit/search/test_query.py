"""A parsed query compiles into docrepo's own query tree, which the engine evaluates."""

from __future__ import annotations

from docrepo.search.query import (
    REFERENCE_BOOST,
    And,
    DisMax,
    Or,
    Phrase,
    Prefix,
    Term,
    compile_query,
    parse,
)


def test_a_reference_prefix_is_a_prefix_of_the_reference_column() -> None:
    assert compile_query(parse("DEC24*")).required == Prefix("reference", "dec24")


def test_a_phrase_is_its_words_side_by_side_in_each_text_field() -> None:
    """The phrase "ordre de mission": French keeps both words as they are and drops
    "de"; English stems "ordre" (ordr) and keeps "de" (not an English stop word); the
    plain fields fold without stemming."""
    required = compile_query(parse('"ordre de mission"')).required
    assert isinstance(required, Or)
    by_field = {part.field: part.slots for part in required.parts if isinstance(part, Phrase)}
    assert by_field["title_fr"] == (("ordre",), ("mission",))
    assert by_field["body_en"] == (("ordr",), ("de",), ("mission",))
    assert by_field["meta"] == (("ordre",), ("de",), ("mission",))


def test_spellings_of_one_word_score_their_best_and_a_word_may_be_a_reference() -> None:
    """The word "sécurité": Snowball stems it and its folded spelling apart (sécur,
    securit): both spellings at one position; the word typed whole also looks up the
    reference."""
    required = compile_query(parse("sécurité")).required
    assert isinstance(required, Or)
    fields, reference = required.parts
    assert reference == Term("reference", "sécurité", boost=REFERENCE_BOOST)
    assert isinstance(fields, Or)
    assert DisMax((Term("body_fr", "secur"), Term("body_fr", "securit"))) in fields.parts


def test_required_groups_are_anded_and_excluded_clauses_kept_apart() -> None:
    compiled = compile_query(parse("frais -mission"))
    assert isinstance(compiled.required, Or)  # one required group: its own query
    assert len(compiled.parts) == 1 and compiled.typed == ["frais"]
    assert isinstance(compiled.excluded, Or)
    assert isinstance(compile_query(parse("frais mission")).required, And)
