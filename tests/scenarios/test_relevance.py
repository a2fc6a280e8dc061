"""Relevance set over the bundled sample corpus (content/): what staff expect at the top.

Each row of RELEVANCE is a query a staff member would type, the document(s) they
expect at the top (all of them within the first `within` results, 1 or 3), and
documents that must not be returned at all (for exclusions and drafts). The
expectations come from reading the corpus, not from what the engine returns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docrepo.access import EVERYONE
from docrepo.content.taxonomy import load_taxonomy
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from support.trees import SAMPLE_CONTENT

TOP1, TOP3 = 1, 3

# (query, expected ids at the top, within, ids that must be absent from all results)
RELEVANCE = [
    # --- references: exact, any case, alone or inside a longer query ---
    ("DEC240187DAJ", ["decisions/2024/dec240187daj"], TOP1, []),
    ("dec240187daj", ["decisions/2024/dec240187daj"], TOP1, []),
    ("cir240006drh", ["circulars/2024/cir240006drh"], TOP1, []),
    ("Cir170004Drh", ["circulars/2017/cir170004drh"], TOP1, []),
    # repealed, and mentioned in the body of its successor: still first
    ("DEC201155DAJ", ["decisions/2020/dec201155daj"], TOP1, []),
    ("délégation DEC201155DAJ", ["decisions/2020/dec201155daj"], TOP1, []),
    ("circulaire CIR210009DRH télétravail", ["circulars/2021/cir210009drh"], TOP1, []),
    ("INS230002DSI", ["instructions/2023/ins230002dsi"], TOP1, []),
    # --- accents omitted or added, case ---
    ("télétravail", ["circulars/2024/cir240006drh"], TOP1, []),
    ("teletravail", ["circulars/2024/cir240006drh"], TOP1, []),
    ("TÉLÉTRAVAIL", ["circulars/2024/cir240006drh"], TOP1, []),
    ("securite systemes information", ["instructions/2023/ins230002dsi"], TOP1, []),
    ("SÉCURITÉ DES AGENTS EN MISSION", ["circulars/2018/cir180021derci"], TOP1, []),
    ("Délégation Occitanie Est", ["regions/dr13"], TOP1, []),
    ("delegation occitanie est", ["regions/dr13"], TOP1, []),
    # "Est" is the east here: Occitanie Ouest is not what was asked for
    ("Occitanie Est", ["regions/dr13", "decisions/2024/dec240187daj"], TOP3, []),
    ("ile de france villejuif", ["regions/dr01"], TOP1, []),
    ("Pekin", ["offices-abroad/beijing"], TOP1, []),
    ("Montreal", ["units/irl3457"], TOP1, []),
    ("mise en oeuvre télétravail", ["circulars/2017/cir170004drh"], TOP1, []),
    (
        "referents developpement durable",
        ["guides/guide-referents-developpement-durable"],
        TOP3,
        [],
    ),
    # --- plural and conjugated forms ---
    (
        "circulaires télétravail",
        ["circulars/2024/cir240006drh", "circulars/2025/cir250011drh"],
        TOP3,
        [],
    ),
    ("désignés coordinateurs amélioration continue", ["decisions/2021/dec210455mpr"], TOP1, []),
    ("renouvelle unités Occitanie", ["decisions/2025/dec250140dgds"], TOP1, []),
    ("approuvée convention site Bordeaux", ["decisions/2017/dec170560dapp"], TOP1, []),
    ("indemnisés astreintes", ["decisions/2021/dec210702drh"], TOP1, []),
    ("modifie délégation de signature Bretagne", ["decisions/2023/dec231402daj"], TOP1, []),
    ("décidé délégation signature Alsace", ["decisions/2022/dec220719daj"], TOP1, []),
    (
        "comptes épargne-temps",
        ["decisions/2020/dec200551drh", "decisions/2023/dec230204drh"],
        TOP3,
        [],
    ),
    ("formulaire ordres de missions", ["forms/ordre-de-mission"], TOP1, []),
    # --- elisions, with ' and with the typographic ’ ---
    ("science ouverte de l'établissement", ["circulars/2019/cir190030dgds"], TOP1, []),
    ("délégation de signature directeurs d’unité", ["decisions/2019/dec190322daj"], TOP1, []),
    ("l’usage des cahiers de laboratoire", ["instructions/2020/ins200014dsi"], TOP1, []),
    ("qu’est-ce qu’un accident de service", ["instructions/2017/ins170019drh"], TOP1, []),
    # --- English ---
    ("missions abroad", ["guides/missions-abroad-practical-guide"], TOP3, []),
    ("security review form", ["forms/mission-abroad-security-form"], TOP1, []),
    ("hosting foreign researchers", ["circulars/2022/cir220037derci"], TOP1, []),
    ("ERC applicant guide", ["guides/erc-applicant-guide"], TOP1, []),
    ("electronic laboratory notebooks", ["guides/electronic-lab-notebook-guide"], TOP1, []),
    ("travel expenses", ["forms/travel-expense-claim"], TOP1, []),
    ("data management plans", ["notes/2024/not240036dgds"], TOP1, []),
    ("establishes laboratories Singapore", ["decisions/2024/dec240962dgds"], TOP1, []),
    ("amending instruction missions abroad", ["instructions/2024/ins240008derci"], TOP1, []),
    # the Tokyo office's page is in English and in French: a French reader gets the French
    ("office in Tokyo", ["offices-abroad/tokyo-fr"], TOP1, ["offices-abroad/tokyo"]),
    ("the HRS4R action plan", ["notes/2025/not250021drh"], TOP1, []),
    # --- unit codes, director names, cities (metadata) ---
    ("UMR 5203", ["units/umr5203"], TOP1, []),
    ("umr 7257", ["units/umr7257"], TOP1, []),
    ("UMR5203", ["units/umr5203"], TOP1, []),
    ("IRL 3757", ["units/irl3757"], TOP1, []),
    ("DR13", ["regions/dr13"], TOP1, []),
    ("IN2P3", ["institutes/in2p3"], TOP1, []),
    ("Sabine Rouquette", ["regions/dr13"], TOP1, []),
    ("helene marchetti", ["institutes/insb"], TOP1, []),
    ("Bressac", ["decisions/2024/dec240187daj"], TOP1, []),
    ("Lefevre-Nkosi", ["offices-abroad/pretoria"], TOP1, []),
    ("orleans", ["regions/dr08"], TOP1, []),
    ("Besancon", ["units/umr6176"], TOP1, []),
    ("Plouzané", ["units/umr6525"], TOP1, []),
    ("Strasbourg", ["units/umr7177", "regions/dr10"], TOP3, []),
    # the three pages located in Montpellier, before texts that mention the city
    ("Montpellier", ["regions/dr13", "units/umr5203", "units/umr5181"], TOP3, []),
    # --- phrases ---
    ('"carte achat"', ["circulars/2015/cir150007dsfim"], TOP1, []),
    ('"protection des données personnelles"', ["circulars/2023/cir230019daj"], TOP1, []),
    ('"délégué à la protection des données"', ["decisions/2023/dec230777daj"], TOP1, []),
    ('"mise en oeuvre du teletravail"', ["circulars/2017/cir170004drh"], TOP1, []),
    ('"frais de déplacement"', ["circulars/2023/cir230008dsfim"], TOP3, []),
    # --- exclusion ---
    (
        "bureau CNRS -Pékin",
        [  # the offices whose pages are in French (Tokyo's in its French version)
            "offices-abroad/pretoria",
            "offices-abroad/rio-de-janeiro",
            "offices-abroad/brussels",
            "offices-abroad/tokyo-fr",
        ],
        4,
        ["offices-abroad/beijing"],
    ),
    (
        "missions abroad -form",
        ["instructions/2019/ins190003derci"],
        TOP1,
        [
            "forms/mission-abroad-security-form",
            "forms/travel-expense-claim",
            "guides/missions-abroad-practical-guide",
        ],
    ),
    (
        "délégation de signature Provence -abrogée",
        ["decisions/2018/dec180634daj"],
        TOP1,
        ["decisions/2022/dec220298daj"],
    ),
    (
        "télétravail -circulaire",
        [],
        TOP3,
        [
            "circulars/2024/cir240006drh",
            "circulars/2025/cir250011drh",
            "circulars/2021/cir210009drh",
            "circulars/2017/cir170004drh",
            "forms/demande-teletravail",
            "guides/guide-teletravail",
        ],
    ),
    # --- OR ---
    ("Pékin OR Pretoria", ["offices-abroad/beijing", "offices-abroad/pretoria"], TOP3, []),
    (
        "Bruxelles OR Washington",
        ["offices-abroad/brussels", "offices-abroad/washington"],
        TOP3,
        [],
    ),
    (
        "covid OR sanitaire",
        ["notes/2020/not200041drh", "circulars/2021/cir210009drh"],
        TOP3,
        [],
    ),
    # --- titles above body mentions ---
    ("glossaire", ["pages/glossaire"], TOP1, []),
    ("RGPD", ["guides/guide-rgpd-laboratoires"], TOP1, []),
    ("Idex", ["notes/2023/not230051dapp"], TOP1, []),
    (
        "USER FIRST",
        ["reports/bilan-user-first-2020-2023", "decisions/2020/dec200312mpr"],
        TOP3,
        [],
    ),
    ("risques psychosociaux", ["circulars/2021/cir210041drh"], TOP1, []),
    ("Direction des ressources humaines", ["departments/drh"], TOP1, []),
    # the exact title of the circular in force
    ("circulaire relative au télétravail", ["circulars/2024/cir240006drh"], TOP1, []),
    # --- in force above repealed ---
    ("délégation de signature Provence et Corse", ["decisions/2022/dec220298daj"], TOP1, []),
    ("délégation de signature Rhône Auvergne", ["decisions/2023/dec230541daj"], TOP1, []),
    ("délégation de signature Gif-sur-Yvette", ["decisions/2021/dec210118daj"], TOP1, []),
    ("fonction achat", ["decisions/2022/dec220945dsfim"], TOP1, []),
    ("protection des données circulaire", ["circulars/2023/cir230019daj"], TOP1, []),
    # --- drafts are never found ---
    ("NOT260015MPR", [], TOP3, ["notes/2026/not260015mpr"]),
    ("empreinte carbone des missions", [], TOP3, ["decisions/2026/dec260098dgds"]),
]

TELEWORK_IN_FORCE = ("circulars/2024/cir240006drh", "circulars/2025/cir250011drh")
TELEWORK_REPEALED = ("circulars/2021/cir210009drh", "circulars/2017/cir170004drh")

# (typo, suggestion expected, a document the suggestion finds)
TYPOS = [
    ("teletravial", "télétravail", "circulars/2024/cir240006drh"),
    ("Teletravial", "télétravail", "circulars/2024/cir240006drh"),
    ("astrientes", "astreintes", "decisions/2021/dec210702drh"),
    ("securté", "sécurité", "instructions/2023/ins230002dsi"),
    ("delegaton de signature", "délégation de signature", "decisions/2024/dec240187daj"),
    ("marchés publcs", "marchés publics", "guides/guide-marches-publics-unites"),
    ("psychosociax", "psychosociaux", "circulars/2021/cir210041drh"),
    ("secuirty review form", "security review form", "forms/mission-abroad-security-form"),
]


@pytest.fixture(scope="module")
def library(sample_index: Path) -> Library:
    taxonomy, _ = load_taxonomy(SAMPLE_CONTENT)
    return Library(sample_index)


def all_ids(library: Library, query: str) -> list[str]:
    """Every result of a query, in rank order (all pages)."""
    found: list[str] = []
    page = 1
    while True:
        result = library.search(SearchRequest(q=query, per_page=100, page=page), EVERYONE)
        found += [h.record["id"] for h in result.hits]
        if len(found) >= result.total or not result.hits:
            return found
        page += 1


@pytest.mark.parametrize(
    ("query", "expected", "within", "absent"),
    [pytest.param(*row, id=row[0]) for row in RELEVANCE],
)
def test_relevance(
    library: Library, query: str, expected: list[str], within: int, absent: list[str]
) -> None:
    """Each query of the set puts its expected documents within its top 1 or 3, never the absent."""
    ranked = all_ids(library, query)
    top = ranked[:within]
    missing = [doc for doc in expected if doc not in top]
    assert not missing, f"{query!r}: expected {missing} within top {within}, got {ranked[:5]}"
    leaked = [doc for doc in absent if doc in ranked]
    assert not leaked, f"{query!r}: {leaked} must not be returned, got {ranked[:5]}"


def test_relevance_set_is_large_enough() -> None:
    """The relevance set keeps at least 45 queries."""
    assert len(RELEVANCE) >= 45


@pytest.mark.parametrize("query", ["DEC24*", "dec24*"])
def test_reference_prefix_returns_only_2024_decisions(library: Library, query: str) -> None:
    """DEC24* (any case) returns exactly the decisions whose reference starts with DEC24."""
    assert set(all_ids(library, query)) == {
        "decisions/2024/dec240187daj",
        "decisions/2024/dec240318mpr",
        "decisions/2024/dec240933drh",
        "decisions/2024/dec240962dgds",
    }


def test_reference_prefix_of_circulars(library: Library) -> None:
    """CIR17* returns exactly the two 2017 circulars, repealed or not."""
    assert set(all_ids(library, "CIR17*")) == {
        "circulars/2017/cir170004drh",
        "circulars/2017/cir170033drh",
    }


@pytest.mark.parametrize("query", ["télétravail", "circulaire télétravail", "teletravail"])
def test_telework_chain_in_force_before_repealed(library: Library, query: str) -> None:
    """In the chain CIR170004DRH → CIR210009DRH → CIR240006DRH the texts in force come first."""
    ranked = all_ids(library, query)
    last_in_force = max(ranked.index(doc) for doc in TELEWORK_IN_FORCE)
    first_repealed = min(ranked.index(doc) for doc in TELEWORK_REPEALED)
    assert last_in_force < first_repealed, ranked[:8]


@pytest.mark.parametrize(("typo", "suggestion", "finds"), TYPOS, ids=[t[0] for t in TYPOS])
def test_typo_gets_suggestion_with_accents(
    library: Library, typo: str, suggestion: str, finds: str
) -> None:
    """A typo that finds nothing gets a suggestion, accents restored, that finds the text."""
    result = library.search(SearchRequest(q=typo), EVERYONE)
    assert result.suggestion == suggestion
    assert finds in all_ids(library, result.suggestion)


@pytest.mark.parametrize("query", ["télétravail", "DEC240187DAJ", "délégation de signature"])
def test_no_suggestion_when_the_query_finds_plenty(library: Library, query: str) -> None:
    """A correctly spelled query that finds its documents carries no suggestion."""
    assert library.search(SearchRequest(q=query), EVERYONE).suggestion is None
