"""A relation graph updated change by change equals the graph built anew, always.

Random repositories where names collide on purpose (references in several cases,
aliases that are someone's id, relations to drafts and to nothing, texts citing
references that come and go), changed one or a few files at a time: after each
change, what the updated graph says (derived relations, problems, aliases) must be
exactly what a full resolution says.
"""

from __future__ import annotations

import random

import pytest

from docrepo.content.entries import Entry
from docrepo.content.relations import Derived, RelationGraph, Relations, resolve

IDS = [f"d/{n}" for n in range(14)]
REFERENCES = ["DEC1", "dec1", "DEC2", "NOTE3", None, None, None]
#: references as a text's citations hold them (joined, upper-cased); NOTE9 names nothing
CITED = ["DEC1", "DEC2", "NOTE3", "NOTE9"]


def random_entry(rng: random.Random, path: str) -> Entry:
    doc_id = path[: -len(".md")]
    names = IDS + ["former/a", "former/b", "nowhere"] + [r for r in REFERENCES if r]
    entry = Entry(path, rng.randrange(10**9), rng.randrange(10**4), f"h{rng.random()}")
    if rng.random() < 0.1:  # never valid: not indexed, answers to nothing
        return entry
    entry.id = doc_id
    entry.reference = rng.choice(REFERENCES)
    entry.status = rng.choice(["in-force", "in-force", "in-force", "draft", "repealed"])
    entry.aliases = rng.sample(["former/a", "former/b", *IDS[:3]], rng.choice([0, 0, 0, 1, 2]))
    entry.supersedes = rng.sample(names, rng.choice([0, 0, 1, 2]))
    entry.amends = rng.sample(names, rng.choice([0, 0, 0, 1]))
    entry.links = [(rng.choice(names), n + 5) for n in range(rng.choice([0, 0, 1, 2]))]
    entry.lines = {"reference": 2, "aliases": 3, "supersedes": 4, "amends": 5}
    entry.citations = [(r, n + 10) for n, r in enumerate(rng.sample(CITED, rng.choice([0, 1, 2])))]
    entry.effective = rng.choice([None, "2020-01-01", "2021-06-15", "2024-03-12"])
    entry.ends = rng.choice([None, None, "2022-12-31"])
    entry.lang = rng.choice(["fr", "fr", "en"])
    if rng.random() < 0.3:  # a translation, maybe of a translation, maybe in its language
        entry.translation_of = rng.choice(names)
        entry.lines["translation_of"] = 6
        entry.lines.update({name: 7 for name in rng.sample(["status", "ends", "effective"], 2)})
    return entry


def same(updated: Relations, fresh: Relations) -> None:
    assert updated.derived == fresh.derived
    assert sorted(updated.problems) == sorted(fresh.problems)


@pytest.mark.parametrize("seed", range(60))
def test_updated_graph_equals_a_fresh_resolution(seed: int) -> None:
    rng = random.Random(seed)
    entries = {f"{i}.md": random_entry(rng, f"{i}.md") for i in rng.sample(IDS, 9)}
    graph = RelationGraph(dict(entries))
    for _ in range(40):
        entries = dict(entries)
        changed = set()
        for path in rng.sample([f"{i}.md" for i in IDS], rng.choice([1, 1, 1, 2, 3])):
            changed.add(path)
            if path in entries and rng.random() < 0.3:
                del entries[path]
            else:
                entries[path] = random_entry(rng, path)
        graph.update(entries, changed)
        same(graph.relations(), resolve(entries))


def test_the_sample_repository_gives_relations_and_problems_worth_testing() -> None:
    """The random repositories do exercise what the comparison is about."""
    rng = random.Random(1)
    kinds: set[str] = set()
    for _ in range(50):
        entries = {f"{i}.md": random_entry(rng, f"{i}.md") for i in rng.sample(IDS, 9)}
        relations = resolve(entries)
        kinds.update(p.field or "link" for p in relations.problems)
        if any(d.status == "repealed" and d.superseded_by for d in relations.derived.values()):
            kinds.add("repealed")
        if any(e.aliases and e.indexed for e in entries.values()):
            kinds.add("alias")
        if any(d.cites for d in relations.derived.values()):
            kinds.add("cites")
        if any(p.message.startswith("cites ") for p in relations.problems):
            kinds.add("stale citation")
        if any(d.original for d in relations.derived.values()):
            kinds.add("translation")
    assert kinds >= {
        "reference", "aliases", "supersedes", "amends", "link", "repealed", "alias", "cites",
        "stale citation", "translation_of", "translation", "status", "ends",
    }  # fmt: skip


def entry(path: str, reference: str | None = None, **facts: object) -> Entry:
    """A valid entry at `path` with these facts."""
    found = Entry(path, 0, 0, "h", id=path[: -len(".md")], reference=reference)
    for name, value in facts.items():
        setattr(found, name, value)
    return found


def test_a_reference_written_in_a_text_cites_its_document_both_ways() -> None:
    """A text cites the documents its references name: not itself, not what names nothing,
    not a draft; the cited one says who cites it."""
    entries = {
        "old.md": entry("old.md", "DEC201155DAJ"),
        "draft.md": entry("draft.md", "DEC230001DAJ", status="draft"),
        "note.md": entry(
            "note.md",
            "NOT240002DRH",
            citations=[("DEC201155DAJ", 7), ("NOT240002DRH", 8), ("DEC230001DAJ", 9), ("X", 9)],
        ),
    }
    derived = resolve(entries).derived
    assert derived["note"].cites == (("DEC201155DAJ", "old"),)
    assert derived["note"].cited == ("old",)
    assert derived["old"].cited_by == ("note",)
    assert derived["note"].cited_by == ()


def test_a_text_in_force_citing_a_repealed_one_is_warned_of() -> None:
    """The warning names the cited reference, the text repealing it and since when; none
    when the citing text supersedes or amends it, or is repealed itself."""
    entries = {
        "old.md": entry("old.md", "DEC201155DAJ"),
        "new.md": entry("new.md", "DEC240187DAJ", supersedes=["old"], effective="2024-03-12"),
        "later.md": entry("later.md", "DEC250001DAJ", supersedes=["old"], effective="2025-01-01"),
        "cites.md": entry("cites.md", citations=[("DEC201155DAJ", 12)]),
        "amends.md": entry("amends.md", amends=["old"], citations=[("DEC201155DAJ", 5)]),
        "gone.md": entry("gone.md", status="repealed", citations=[("DEC201155DAJ", 5)]),
        "self.md": entry("self.md", "NOT1", status="repealed"),
        "cites-self.md": entry("cites-self.md", citations=[("NOT1", 3)]),
    }
    problems = resolve(entries).problems
    assert [str(p) for p in problems if p.message.startswith("cites")] == [
        "cites-self.md:3: warning: cites NOT1, which is repealed",
        "cites.md:12: warning: cites DEC201155DAJ, repealed by DEC240187DAJ since 2024-03-12",
    ]
    # each warning is for who may see the cited text and the one that repealed it
    assert {tuple(p.related_documents) for p in problems} == {("self",), ("old", "new")}
    [repealed] = [p for p in problems if p.path == "cites.md"]
    assert repealed.text("fr") == "cite DEC201155DAJ, abrogé par DEC240187DAJ depuis le 2024-03-12"


def test_the_warning_follows_the_repealing_text() -> None:
    """Adding, changing and deleting the text that repeals a cited one redoes the warning
    of the text citing it, which did not change."""
    entries = {
        "old.md": entry("old.md", "DEC201155DAJ"),
        "cites.md": entry("cites.md", citations=[("DEC201155DAJ", 4)]),
    }
    graph = RelationGraph(dict(entries))

    def warnings() -> list[str]:
        return [p.text() for p in graph.relations().problems]

    assert warnings() == []
    repealing = [
        (entry("new.md", "DEC240187DAJ", supersedes=["old"], effective="2024-03-12"),
         ["cites DEC201155DAJ, repealed by DEC240187DAJ since 2024-03-12"]),
        (entry("new.md", "DEC240190DAJ", supersedes=["old"], effective="2024-04-01"),
         ["cites DEC201155DAJ, repealed by DEC240190DAJ since 2024-04-01"]),
    ]  # fmt: skip
    for new, expected in repealing:
        entries = {**entries, "new.md": new}
        graph.update(entries, {"new.md"})
        assert warnings() == expected
    del entries["new.md"]
    graph.update(entries, {"new.md"})
    assert warnings() == []
    assert graph.derived["cites"] == Derived("in-force", cites=(("DEC201155DAJ", "old"),))


def test_a_translation_takes_its_originals_relations_and_period() -> None:
    """The English version of a superseded, amended and cited circular is repealed like
    it, from the same day, with the same relations; it adds none of its own, and the
    original lists it among its versions."""
    entries = {
        "cir.md": entry("cir.md", "CIR190001DRH", effective="2019-01-01"),
        "cir-en.md": entry(
            "cir-en.md",
            "CIR190001DRH",
            lang="en",
            translation_of="CIR190001DRH",
            citations=[("DEC1", 4)],
        ),
        "dec.md": entry("dec.md", "DEC1"),
        "new.md": entry("new.md", supersedes=["CIR190001DRH"], effective="2023-05-02"),
        "fix.md": entry("fix.md", amends=["cir"]),
        "cites.md": entry("cites.md", citations=[("CIR190001DRH", 3)]),
    }
    relations = resolve(entries)
    original, translation = relations.derived["cir"], relations.derived["cir-en"]
    assert [p.level for p in relations.problems] == ["warning"]  # cites.md cites it
    assert original.translations == ("cir-en",) and original.original is None
    assert translation == Derived(
        "repealed", superseded_by=("new",), amended_by=("fix",), cited_by=("cites",),
        cites=(("DEC1", "dec"),), valid_from=20190101, valid_until=20230501,
        original="cir", translations=("cir",),
    )  # fmt: skip
    # its citation links its text, but the cited text is cited by the original alone
    assert relations.derived["dec"].cited_by == ()


def test_translation_problems_name_the_line_and_what_to_write() -> None:
    """A name that names nothing, a translation of a translation, one in its original's
    language, a second one in a language, and relation fields that say otherwise."""
    entries = {
        "cir.md": entry("cir.md", "CIR1", status="in-force", ends="2030-12-31"),
        "en.md": entry("en.md", "CIR1", lang="en", translation_of="cir",
                       lines={"translation_of": 3}),
        "en2.md": entry("en2.md", lang="en", translation_of="CIR1", ends="2029-12-31",
                        status="repealed", supersedes=["nowhere"],
                        lines={"translation_of": 3, "ends": 4, "status": 5, "supersedes": 6}),
        "de.md": entry("de.md", lang="fr", translation_of="en", lines={"translation_of": 2}),
        "fr.md": entry("fr.md", lang="fr", translation_of="cir", lines={"translation_of": 2}),
        "none.md": entry("none.md", lang="en", translation_of="CIR9", lines={"translation_of": 2}),
    }  # fmt: skip
    assert sorted(str(p) for p in resolve(entries).problems) == [
        "de.md:2: error: field 'translation_of': en is itself a translation (of cir); name "
        "the original text: translation_of: cir",
        "en2.md:3: error: field 'translation_of': cir already has a translation in 'en': en; "
        "a text has one version per language",
        "en2.md:4: error: field 'ends': '2029-12-31' says otherwise than the original text cir "
        "(2030-12-31); a translation takes its original's: remove this line",
        "en2.md:5: error: field 'status': 'repealed' says otherwise than the original text cir "
        "(in-force); a translation takes its original's: remove this line",
        "en2.md:6: error: field 'supersedes': 'nowhere' says otherwise than the original text "
        "cir ([]); a translation takes its original's: remove this line",
        "fr.md:2: error: field 'translation_of': cir is in 'fr' too; a translation is in "
        "another language: give this text its own 'lang:'",
        "none.md:2: error: field 'translation_of': 'CIR9' names no document (neither a "
        "reference nor an id)",
    ]
