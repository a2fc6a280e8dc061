"""A relation graph updated change by change equals the graph built anew, always.

Random repositories where names collide on purpose (references in several cases,
aliases that are someone's id, relations to drafts and to nothing), changed one or a
few files at a time: after each change, what the updated graph says (derived
relations, problems, aliases) must be exactly what a full resolution says.
"""

from __future__ import annotations

import random

import pytest

from docrepo.content.entries import Entry
from docrepo.content.relations import RelationGraph, Relations, resolve

IDS = [f"d/{n}" for n in range(14)]
REFERENCES = ["DEC1", "dec1", "DEC2", "NOTE3", None, None, None]


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
    assert kinds >= {"reference", "aliases", "supersedes", "amends", "link", "repealed", "alias"}
