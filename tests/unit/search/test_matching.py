"""Search that finds what staff mean: questions, typos, half-typed words, synonyms and
labels, references as people type them, the text in force first, where it matched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from docrepo.access import EVERYONE
from docrepo.indexing.pipeline import update_index
from docrepo.search import searching
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from docrepo.search.result import SearchResult
from docrepo.store.writing import IndexStore
from support.trees import MakeTree, doc

Build = Callable[[dict[str, str | bytes]], Library]


@pytest.fixture
def build(make_tree: MakeTree, tmp_path: Path) -> Build:
    """Write the files, index them, and return a Library reading the index (and the
    tree's synonyms)."""

    def build(files: dict[str, str | bytes]) -> Library:
        content = make_tree(files)
        summary = update_index(content, IndexStore(tmp_path / "index"))
        assert summary.invalid == 0, summary.problems
        return Library(tmp_path / "index", content)

    return build


def search(library: Library, q: str, **params: str) -> SearchResult:
    raw = {"q": [q], **{k: [v] for k, v in params.items()}}
    return library.search(SearchRequest.from_params(raw), EVERYONE)


def ids(result: SearchResult) -> list[str]:
    return [h.record["id"] for h in result.hits]


def dated(title: str, body: str, reference: str, day: str, **fields: object) -> str:
    return doc(
        title, body, type="circular", reference=reference, date=dt.date.fromisoformat(day), **fields
    )


TELEWORK = {
    "guide.md": doc("Guide du télétravail", "Comment demander le télétravail à son unité."),
    "circ.md": doc("Circulaire télétravail", "Le télétravail est ouvert aux agents."),
    "autre.md": doc("Budget", "Le budget des unités."),
}


def test_question_words_never_make_a_query_fail(build: Build) -> None:
    """`comment demander le télétravail ?`: the guide holds every word, the circular
    lacks `demander`: both come, the guide first, the circular saying what it lacks."""
    lib = build(TELEWORK)
    result = search(lib, "comment demander le télétravail ?")
    assert ids(result) == ["guide", "circ"]
    assert result.relaxed
    assert [h.missing for h in result.hits] == [(), ("demander",)]


def test_documents_holding_every_word_come_first_then_the_others_say_what_they_lack(
    build: Build,
) -> None:
    """Ten documents hold both words: they come first; the one holding the rarer word
    alone follows, says it lacks `demander`, and the response says some results lack words."""
    files = {f"d{i}.md": doc(f"Télétravail {i}", "Demander le télétravail.") for i in range(10)}
    lib = build({**files, "seul.md": doc("Télétravail", "Seulement ce mot.")})
    result = search(lib, "demander télétravail", per_page="20")
    assert result.relaxed and result.total == 11 and ids(result)[10] == "seul"
    assert [h.missing for h in result.hits] == [()] * 10 + [("demander",)]
    assert not search(lib, "télétravail", per_page="20").relaxed


def test_a_widened_search_needs_the_most_significant_words(build: Build) -> None:
    """Documents holding fewer than half of the parts some document holds stay out."""
    lib = build(
        {
            "a.md": doc("Astreintes", "Astreintes des agents et interventions."),
            "b.md": doc("Agents", "Les agents."),
            "c.md": doc("Rien", "Autre chose."),
        }
    )
    result = search(lib, "astreintes interventions nuit week-end")
    assert ids(result) == ["a"]
    assert result.hits[0].missing == ("nuit", "week-end")


def test_a_typo_is_corrected_and_spell_off_searches_as_typed(build: Build) -> None:
    """`teletravial` gives the results of `télétravail`, the correction named, the query
    kept as typed; `spell=off` searches exactly what was typed."""
    lib = build(TELEWORK)
    result = search(lib, "teletravial")
    assert result.corrected == "télétravail"
    assert result.request.q == "teletravial"
    assert set(ids(result)) == {"guide", "circ"}
    exact = search(lib, "teletravial", spell="off")
    assert exact.total == 0 and exact.corrected is None and exact.suggestion is None


def test_the_word_being_typed_matches_the_words_it_begins(build: Build) -> None:
    """With `prefix=last`, `télétrav` and `frais de miss` find their documents; without,
    they do not; a query ending with a space completes nothing."""
    lib = build(
        {
            **TELEWORK,
            "frais.md": doc("Frais de mission", "Les frais de mission des agents."),
            "mise.md": doc("Mise en place", "La mise en place des frais."),
        }
    )
    assert search(lib, "télétrav").total == 0
    assert set(ids(search(lib, "télétrav", prefix="last"))) == {"guide", "circ"}
    assert ids(search(lib, "frais de miss", prefix="last"))[0] == "frais"
    assert search(lib, "télétrav ", prefix="last").total == 0


def test_a_one_letter_prefix_is_bounded(build: Build) -> None:
    """`a` stands for at most the most frequent words it begins, not for all of them."""
    words = " ".join(f"a{chr(98 + i % 20)}{chr(98 + i // 20)}mot" for i in range(300))
    lib = build({"mots.md": doc("Mots", words)})
    snapshot = lib.reader().snapshot
    completions = snapshot.columns.completions("spell", "a", searching.COMPLETIONS)
    assert len(completions) == searching.COMPLETIONS
    assert search(lib, "a", prefix="last").total == 1


def test_synonyms_apply_at_query_time_and_follow_the_file(build: Build, tmp_path: Path) -> None:
    """`GDPR` finds the French text that says `RGPD`, and `personal data` too; editing
    synonyms.yml changes the next search without a reindex."""
    lib = build(
        {
            "synonyms.yml": "- [RGPD, GDPR, données personnelles, personal data]\n",
            "rgpd.md": doc("Guide RGPD", "Le RGPD dans les laboratoires."),
            "achats.md": doc("Commande publique", "Les achats des unités."),
        }
    )
    assert ids(search(lib, "GDPR")) == ["rgpd"]
    assert ids(search(lib, "personal data")) == ["rgpd"]
    assert search(lib, "marchés publics").total == 0
    (tmp_path / "content" / "synonyms.yml").write_text(
        "- [RGPD, GDPR]\n- [marchés publics, commande publique]\n", encoding="utf-8"
    )
    assert ids(search(lib, "marchés publics")) == ["achats"]
    assert search(lib, "personal data").total == 0


def test_taxonomy_labels_are_searchable_in_both_languages(build: Build) -> None:
    """What is tagged with a theme or an institute is found by its label, in French or
    English (`telework`, `CNRS Biologie`), and so is a type (`circulaire`)."""
    lib = build(
        {
            "tagged.md": doc("Organisation du travail", "Texte.", themes=["telework"]),
            "insb.md": doc("Plateformes", "Texte.", institutes=["INSB"]),
            "other.md": doc("Autre", "Texte."),
        }
    )
    assert ids(search(lib, "telework")) == ["tagged"]
    assert ids(search(lib, "CNRS Biologie")) == ["insb"]
    assert ids(search(lib, "CNRS Biology")) == ["insb"]


@pytest.mark.parametrize(
    "typed", ["DEC240187DAJ", "dec 240187 daj", "DEC-240187-DAJ", "Dec.240187.Daj", "DEC240187"]
)
def test_references_as_people_type_them(build: Build, typed: str) -> None:
    """A reference in any case, with spaces, dots or hyphens, or without its issuer
    suffix, puts its document first (above a text that only cites it)."""
    lib = build(
        {
            "dec.md": doc(
                "Délégation",
                "Texte.",
                type="decision",
                reference="DEC240187DAJ",
                date=dt.date(2024, 3, 12),
            ),  # fmt: skip
            "cite.md": doc("Note", "Voir la décision DEC240187DAJ et DEC 240187 DAJ."),
        }
    )
    assert ids(search(lib, typed))[0] == "dec"


def test_the_text_in_force_ranks_above_the_texts_it_replaced(build: Build) -> None:
    """A repealed text that matches better still ranks below the text in force that
    replaced it, down a chain; its own reference or title still finds it first."""
    lib = build(
        {
            "old.md": dated(
                "Frais de mission des agents",
                "Frais de mission, frais de mission.",
                "CIR150001DSFIM",
                "2015-01-01",
            ),
            "middle.md": dated(
                "Missions",
                "Les frais de mission.",
                "CIR190001DSFIM",
                "2019-01-01",
                supersedes=["CIR150001DSFIM"],
            ),
            "new.md": dated(
                "Déplacements",
                "Remboursement des frais de mission.",
                "CIR230001DSFIM",
                "2023-01-01",
                supersedes=["CIR190001DSFIM"],
            ),
        }  # fmt: skip
    )
    ranked = ids(search(lib, "frais de mission"))
    assert ranked[0] == "new"
    assert ranked.index("new") < ranked.index("old")
    assert ids(search(lib, "CIR150001DSFIM"))[0] == "old"
    assert ids(search(lib, "frais de mission des agents"))[0] == "old"


def test_every_link_of_a_chain_ranks_below_the_text_that_replaced_it(build: Build) -> None:
    """Three circulars on travel expenses, 2019 replaced by 2021, replaced by 2023: all
    match, and each ranks below the one that replaced it, though the 2019 text matches
    the words best and the 2021 one worst (SPEC §4)."""
    lib = build(
        {
            "c2019.md": dated(
                "Frais de mission en France",
                "Les frais de mission des agents. Frais de mission en France.",
                "CIR190001DSFIM",
                "2019-01-01",
            ),
            "c2021.md": dated(
                "Déplacements temporaires des personnels",
                "Ce texte règle les déplacements temporaires des personnels, leurs "
                "autorisations, leurs assurances et leurs moyens de transport ; il "
                "règle aussi le remboursement des frais de mission.",
                "CIR210001DSFIM",
                "2021-01-01",
                supersedes=["CIR190001DSFIM"],
            ),
            "c2023.md": dated(
                "Frais de déplacement",
                "Le remboursement des frais de mission des agents.",
                "CIR230001DSFIM",
                "2023-01-01",
                supersedes=["CIR210001DSFIM"],
            ),
        }  # fmt: skip
    )
    assert ids(search(lib, "frais de mission")) == ["c2023", "c2021", "c2019"]


def test_a_result_names_the_section_where_it_matched(build: Build) -> None:
    """The snippet's section is the nearest heading above the match, with its anchor."""
    body = "## 1. Objet\n\nLe cadre général.\n\n## 3. Procédure\n\nLa demande est visée."
    body += " Le directeur la signe."
    lib = build({"p.md": doc("Une circulaire", body)})
    hit = search(lib, "visée directeur").hits[0]
    assert hit.section is not None
    assert (hit.section.title, hit.section.anchor) == ("3. Procédure", "3-procedure")
    assert search(lib, "circulaire").hits[0].section is None  # found in the title only
