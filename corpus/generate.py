"""A deterministic generator of realistic synthetic content trees for docrepo.

    python -m corpus.generate --docs 100000 --out benchmarks/corpora/c100k --seed 1

writes a content directory (``DIR/taxonomy.yml`` and the documents) that passes
``docrepo check``: every type of the taxonomy, French and about 20 % English texts,
references unique and well formed (``DEC240187DAJ``: prefix, year of the date, number,
issuer), dates 2010–2026, institutes, regions, themes and issuers from the taxonomy,
chains of ``supersedes`` / ``amends`` between texts of the same issuer, a few internal
or group-restricted texts and drafts, bodies of 150–600 words with headings, lists,
tables and relative links to other generated documents.

The same ``--docs`` and ``--seed`` always give the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import posixpath
import random
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import vocabulary as V

#: bumped whenever the output changes: a cached corpus of another version is regenerated
GENERATOR_VERSION = 1
MARKER = ".bench-corpus.json"
TAXONOMY_SOURCE = Path(__file__).resolve().parent.parent / "content" / "taxonomy.yml"

FIRST_YEAR, LAST_YEAR = 2010, 2026
#: the documents of each dated type: reference prefix and folder
DATED = {
    "decision": ("DEC", "decisions"),
    "circular": ("CIR", "circulars"),
    "instruction": ("INS", "instructions"),
    "note": ("NOT", "notes"),
}
#: share of the scaled documents per type (the fixed pages come on top)
SHARES = {
    "decision": 0.36,
    "circular": 0.12,
    "instruction": 0.07,
    "note": 0.14,
    "guide": 0.04,
    "form": 0.03,
    "report": 0.03,
    "unit": 0.19,
    "page": 0.02,
}
ISSUER_WEIGHTS = {
    "DRH": 18,
    "DAJ": 16,
    "DSFIM": 14,
    "DGDR": 8,
    "DGDS": 8,
    "DSI": 8,
    "DERCI": 7,
    "MPR": 6,
    "DAPP": 5,
    "DIRO": 5,
    "PDG": 5,
}
#: issuers → the themes they mostly write about
ISSUER_THEMES = {
    "DRH": ["human-resources", "telework", "safety", "missions"],
    "DAJ": ["legal", "signature-delegation", "data-protection", "partnerships"],
    "DSFIM": ["finance", "purchasing", "missions", "sustainable-development"],
    "DGDR": ["steering", "finance", "continuous-improvement", "laboratories"],
    "DGDS": ["laboratories", "research-funding", "open-science", "steering"],
    "DSI": ["information-systems", "data-protection", "continuous-improvement"],
    "DERCI": ["international", "europe", "missions", "research-funding"],
    "MPR": ["steering", "continuous-improvement", "laboratories"],
    "DAPP": ["partnerships", "laboratories", "research-funding"],
    "DIRO": ["innovation", "partnerships", "research-funding"],
    "PDG": ["steering", "signature-delegation", "legal", "open-science"],
}


@dataclass
class Doc:
    """One document to write: its path, front matter (in order) and language."""

    path: str
    type: str
    lang: str
    meta: dict[str, Any]
    themes: list[str]
    date: dt.date | None = None
    reference: str | None = None
    issuer: str | None = None
    draft: bool = False
    #: relative links to other documents: (label, target path)
    links: list[tuple[str, str]] = field(default_factory=list)
    supersedes: str | None = None
    amends: str | None = None


@dataclass
class Corpus:
    """What was generated (also written to the marker file for the harness)."""

    docs: int
    seed: int
    by_type: dict[str, int]
    english: int
    restricted: int
    drafts: int
    supersedes: int
    amends: int
    links: int
    words: int
    seconds: float
    sample_references: list[str]
    sample_paths: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"generator_version": GENERATOR_VERSION, **vars(self)}


# --------------------------------------------------------------------------- text


class _Slots(dict[str, str]):
    """Template slots filled at random on each use (format_map asks only for those used)."""

    def __init__(self, pools: dict[str, Callable[[], str]]) -> None:
        super().__init__()
        self.pools = pools

    def __missing__(self, key: str) -> str:
        pool = self.pools.get(key)
        if pool is not None:
            return pool()
        value = self.pools[key.lower()]()
        return value[:1].upper() + value[1:]


_CONTRACTIONS = (
    (" à le ", " au "),
    (" à les ", " aux "),
    (" de le ", " du "),
    (" de les ", " des "),
    ("De le ", "Du "),
    ("À le ", "Au "),
)


def _french(text: str) -> str:
    for wrong, right in _CONTRACTIONS:
        text = text.replace(wrong, right)
    return text


class Writer:
    """Builds the text of documents from the vocabulary, with one random generator."""

    def __init__(self, rng: random.Random, taxonomy: dict[str, dict[str, dict[str, str]]]) -> None:
        self.rng = rng
        self.tax = taxonomy
        self.region_codes = list(taxonomy["regions"])
        self.institute_codes = list(taxonomy["institutes"])
        self.theme_codes = list(taxonomy["themes"])
        self._term_pools: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        choice, randint = rng.choice, rng.randint
        self.unit_codes: list[str] = []

        def person_fr() -> str:
            return f"{choice(('M.', 'Mme'))} {choice(V.FR_FIRST)} {choice(V.LAST_NAMES)}"

        def person_en() -> str:
            return f"{choice(('Mr', 'Ms', 'Dr'))} {choice(V.FR_FIRST)} {choice(V.LAST_NAMES)}"

        def amount_fr() -> str:
            return f"{choice((90, 120, 500, 1500, 4000, 25000, 40000, 90000, 215000))} € HT"

        def amount_en() -> str:
            return f"€{choice((90, 120, 500, 1500, 4000, 25000, 40000, 90000, 215000)):,}"

        def date_fr() -> str:
            return f"{randint(1, 28)} {choice(V.FR_MONTHS)} {randint(FIRST_YEAR, LAST_YEAR)}"

        def date_en() -> str:
            return f"{randint(1, 28)} {choice(V.EN_MONTHS)} {randint(FIRST_YEAR, LAST_YEAR)}"

        def unit() -> str:
            return choice(self.unit_codes) if self.unit_codes else "UMR 5297"

        def region(lang: str) -> Callable[[], str]:
            return lambda: self.tax["regions"][choice(self.region_codes)][lang]

        def pick(items: Sequence[str]) -> Callable[[], str]:
            return lambda: choice(items)

        def number() -> str:
            return str(choice((2, 3, 5, 10, 15, 30, 45, 60, 90)))

        self.common = {
            "fr": {
                "n": pick(V.FR_NOUNS),
                "v": pick(V.FR_VERBS),
                "adv": pick(V.FR_ADVERBIALS),
                "adj": pick(V.FR_ADJECTIVES),
                "p": pick(V.CITIES),
                "who": person_fr,
                "u": unit,
                "m": amount_fr,
                "d": date_fr,
                "k": number,
                "org": pick(V.ORGANISATIONS),
                "dr": region("fr"),
            },
            "en": {
                "n": pick(V.EN_NOUNS),
                "v": pick(V.EN_VERBS),
                "adv": pick(V.EN_ADVERBIALS),
                "adj": pick(V.EN_ADJECTIVES),
                "p": pick(V.CITIES),
                "who": person_en,
                "u": unit,
                "m": amount_en,
                "d": date_en,
                "k": number,
                "org": pick(V.EN_ORGANISATIONS),
                "dr": region("en"),
            },
        }
        self.person = {"fr": person_fr, "en": person_en}

    def terms(self, lang: str, themes: list[str]) -> list[str]:
        key = (lang, tuple(themes))
        pool = self._term_pools.get(key)
        if pool is None:
            pool = [t for theme in themes for t in V.THEMES[theme][f"{lang}_terms"]]
            self._term_pools[key] = pool
        return pool

    def slots(self, lang: str, themes: list[str]) -> _Slots:
        pool = self.terms(lang, themes)
        general = V.FR_NOUNS if lang == "fr" else V.EN_NOUNS
        rng = self.rng

        def term() -> str:  # mostly the document's themes, sometimes anything
            return rng.choice(pool) if rng.random() < 0.8 else rng.choice(general)

        return _Slots({**self.common[lang], "t": term})

    def sentences(self, slots: _Slots, lang: str, count: int) -> list[str]:
        templates = V.FR_SENTENCES if lang == "fr" else V.EN_SENTENCES
        choice = self.rng.choice
        return [choice(templates).format_map(slots) for _ in range(count)]

    def paragraph(self, slots: _Slots, lang: str) -> str:
        return " ".join(self.sentences(slots, lang, self.rng.randint(2, 5)))

    def bullet_list(self, slots: _Slots, lang: str) -> str:
        items = []
        for _ in range(self.rng.randint(3, 6)):
            term = slots["t"]
            items.append(
                f"- **{term[:1].upper() + term[1:]}** : {self.sentences(slots, lang, 1)[0]}"
                if lang == "fr"
                else f"- **{term[:1].upper() + term[1:]}**: {self.sentences(slots, lang, 1)[0]}"
            )
        return "\n".join(items)

    def table(self, lang: str, year: int) -> str:
        rng = self.rng
        head = (
            ("Indicateur", "Valeur", "Cible") if lang == "fr" else ("Indicator", "Value", "Target")
        )
        rows = [f"| {head[0]} | {year - 1} | {year} | {head[2]} |", "|---|---:|---:|---:|"]
        nouns = V.FR_NOUNS if lang == "fr" else V.EN_NOUNS
        for _ in range(rng.randint(3, 6)):
            name = rng.choice(nouns)
            rows.append(
                f"| {name[:1].upper() + name[1:]} | {rng.randint(10, 999)} | "
                f"{rng.randint(10, 999)} | {rng.randint(10, 999)} |"
            )
        return "\n".join(rows)


# --------------------------------------------------------------------------- corpus plan


def _counts(total: int) -> dict[str, int]:
    scaled = max(0, total)
    counts = {t: int(scaled * share) for t, share in SHARES.items()}
    counts["decision"] += scaled - sum(counts.values())
    return counts


def _random_date(rng: random.Random, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> dt.date:
    # more recent years hold more texts; 2026 stops in June
    years = list(range(first, last + 1))
    year = rng.choices(years, weights=[1 + (y - first) * 0.15 for y in years])[0]
    end = dt.date(year, 6, 30) if year == LAST_YEAR else dt.date(year, 12, 31)
    start = dt.date(year, 1, 2)
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _pick_some(rng: random.Random, items: list[str], weights: list[float]) -> list[str]:
    """0–3 distinct items, with the given chances of having 1, 2 and 3."""
    r, n = rng.random(), 0
    for count, chance in zip((1, 2, 3), weights, strict=True):
        if r < chance:
            n = count
    return sorted(rng.sample(items, n)) if n else []


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _front_matter(meta: dict[str, Any]) -> str:
    lines = ["---"]
    for key, value in meta.items():
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(value)}]")
        elif isinstance(value, dt.date):
            lines.append(f"{key}: {value.isoformat()}")
        elif key in ("title", "summary", "code", "director", "city", "country"):
            lines.append(f"{key}: {_quote(str(value))}")
        else:
            lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines)


def _link(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source))


class Generator:
    """Plans the corpus (metadata, relations), then writes each document's text."""

    def __init__(self, docs: int, seed: int, taxonomy: dict[str, Any]) -> None:
        self.total = docs
        self.rng = random.Random(seed)
        self.tax = taxonomy
        self.writer = Writer(self.rng, taxonomy)
        self.regions = list(taxonomy["regions"])
        self.institutes = list(taxonomy["institutes"])
        self.themes = list(taxonomy["themes"])
        self.issuers = [i for i in ISSUER_WEIGHTS if i in taxonomy["issuers"]]
        self.issuer_weights = [ISSUER_WEIGHTS[i] for i in self.issuers]
        self.docs: list[Doc] = []

    # -- metadata

    def _lang(self, english: float = 0.2) -> str:
        return "en" if self.rng.random() < english else "fr"

    def _themes(self, issuer: str | None) -> list[str]:
        rng = self.rng
        if issuer and rng.random() < 0.75:
            first = rng.choice(ISSUER_THEMES[issuer])
        else:
            first = rng.choice(self.themes)
        extra = [t for t in rng.sample(self.themes, rng.choice((0, 0, 1, 1, 2))) if t != first]
        return [first, *extra]

    def _common(self, doc: Doc, restricted: bool = True) -> None:
        rng, meta = self.rng, doc.meta
        institutes = _pick_some(rng, self.institutes, [0.55, 0.2, 0.06])
        regions = _pick_some(rng, self.regions, [0.4, 0.1, 0.02])
        if institutes:
            meta["institutes"] = institutes
        if regions:
            meta["regions"] = regions
        if doc.issuer:
            meta["issuer"] = doc.issuer
        meta["themes"] = doc.themes
        if restricted:
            r = rng.random()
            if r < 0.03:
                meta["access"] = "internal"
            elif r < 0.04:
                meta["access"] = sorted(rng.sample(V.GROUPS, rng.randint(1, 2)))
        if (regions or institutes) and rng.random() < 0.5:
            code = (regions or [""])[0]
            if code:
                label = self.tax["regions"][code][doc.lang]
                doc.links.append((label, f"regions/{code.lower()}.md"))
            if institutes and rng.random() < 0.5:
                label = self.tax["institutes"][institutes[0]][doc.lang]
                doc.links.append((label, f"institutes/{institutes[0].lower()}.md"))

    def plan(self) -> None:
        counts = _counts(self.total - self._fixed_count())
        self._plan_fixed()
        self._plan_dated(counts)
        self._plan_undated(counts)

    def _fixed_count(self) -> int:
        return len(self.regions) + len(self.institutes) + len(self.issuers) + len(V.OFFICES_ABROAD)

    def _plan_fixed(self) -> None:
        rng, tax = self.rng, self.tax
        for code in self.regions:
            label = tax["regions"][code]["fr"]
            doc = Doc(f"regions/{code.lower()}.md", "regional-office", "fr", {}, self._themes(None))
            doc.meta.update(
                title=f"Délégation {label}",
                type="regional-office",
                code=code,
                director=f"{rng.choice(V.FR_FIRST)} {rng.choice(V.LAST_NAMES)}",
                city=rng.choice(V.CITIES[:53]),
                regions=[code],
                themes=doc.themes,
            )
            self.docs.append(doc)
        for code in self.institutes:
            doc = Doc(f"institutes/{code.lower()}.md", "institute", "fr", {}, self._themes(None))
            doc.meta.update(
                title=tax["institutes"][code]["fr"],
                type="institute",
                code=code,
                director=f"{rng.choice(V.FR_FIRST)} {rng.choice(V.LAST_NAMES)}",
                website=f"https://{code.lower()}.example.org",
                institutes=[code],
                themes=doc.themes,
            )
            self.docs.append(doc)
        for code in self.issuers:
            doc = Doc(f"departments/{code.lower()}.md", "department", "fr", {}, self._themes(code))
            doc.meta.update(
                title=tax["issuers"][code]["fr"],
                type="department",
                code=code,
                director=f"{rng.choice(V.FR_FIRST)} {rng.choice(V.LAST_NAMES)}",
                issuer=code,
                themes=doc.themes,
            )
            doc.issuer = code
            self.docs.append(doc)
        for slug, city, country in V.OFFICES_ABROAD:
            doc = Doc(f"offices-abroad/{slug}.md", "office-abroad", "fr", {}, ["international"])
            doc.meta.update(
                title=f"Bureau du CNRS à {city}",
                type="office-abroad",
                director=f"{rng.choice(V.FR_FIRST)} {rng.choice(V.LAST_NAMES)}",
                city=city,
                country=country,
                website=f"https://{slug}.example.org",
                themes=["international", "partnerships"],
            )
            doc.themes = ["international", "partnerships"]
            self.docs.append(doc)

    def _plan_dated(self, counts: dict[str, int]) -> None:
        rng = self.rng
        plan: list[tuple[dt.date, str, str]] = []
        for doc_type in DATED:
            for _ in range(counts[doc_type]):
                issuer = rng.choices(self.issuers, self.issuer_weights)[0]
                plan.append((_random_date(rng), doc_type, issuer))
        plan.sort()
        numbers: dict[tuple[str, int], int] = {}
        latest: dict[tuple[str, str, str], Doc] = {}  # (type, issuer, theme) → last in force
        recent: dict[str, list[Doc]] = {}  # issuer → recent texts (amends targets)
        for date, doc_type, issuer in plan:
            prefix, folder = DATED[doc_type]
            key = (prefix, date.year)
            numbers[key] = numbers.get(key, 0) + rng.randint(1, 3)
            if numbers[key] > 9999:
                raise SystemExit(f"too many {doc_type}s in {date.year} for 4-digit references")
            reference = f"{prefix}{date.year % 100:02d}{numbers[key]:04d}{issuer}"
            lang = self._lang()
            doc = Doc(
                f"{folder}/{date.year}/{reference.lower()}.md",
                doc_type,
                lang,
                {},
                self._themes(issuer),
                date,
                reference,
                issuer,
            )
            doc.meta.update(title=self._title(doc), type=doc_type)
            if lang == "en":
                doc.meta["lang"] = "en"
            doc.meta.update(reference=reference, date=date)
            if rng.random() < 0.6:
                doc.meta["published"] = date + dt.timedelta(days=rng.randint(0, 12))
            self._common(doc)
            r = rng.random()
            if r < 0.004:
                doc.draft = True
                doc.meta["status"] = "draft"
            elif r < 0.02:
                doc.meta["status"] = "repealed"
            chain = (doc_type, issuer, doc.themes[0])
            previous = latest.get(chain)
            if not doc.draft and previous is not None and rng.random() < 0.25:
                doc.supersedes = previous.reference
                doc.meta["supersedes"] = [previous.reference]
                doc.links.append((f"{previous.reference}", previous.path))
            pool = recent.setdefault(issuer, [])
            if not doc.draft and pool and rng.random() < 0.06:
                target = rng.choice(pool)
                if target.reference != doc.supersedes:
                    doc.amends = target.reference
                    doc.meta["amends"] = [target.reference]
                    doc.links.append((f"{target.reference}", target.path))
            if not doc.draft and pool and rng.random() < 0.05:
                seen = rng.choice(pool)
                doc.links.append((seen.meta["title"], seen.path))
            if rng.random() < 0.7:
                doc.meta["summary"] = ""  # filled with the text
            if not doc.draft:
                latest[chain] = doc
                pool.append(doc)
                if len(pool) > 60:
                    del pool[:20]
            self.docs.append(doc)

    def _plan_undated(self, counts: dict[str, int]) -> None:
        rng = self.rng
        pairs = rng.sample(range(len(V.UNIT_PREFIXES) * 9000), counts["unit"])
        for n in pairs:
            prefix, number = V.UNIT_PREFIXES[n // 9000], 1000 + n % 9000
            code = f"{prefix} {number}"
            self.writer.unit_codes.append(f"{prefix} {number}")
            lang = self._lang(0.12)
            doc = Doc(f"units/{prefix.lower()}{number}.md", "unit", lang, {}, self._themes(None))
            discipline = rng.choice(V.DISCIPLINES_FR if lang == "fr" else V.DISCIPLINES_EN)
            city = rng.choice(V.CITIES[:53])
            title = (
                f"Laboratoire de {discipline} de {city} ({code})"
                if lang == "fr"
                else f"Laboratory of {discipline}, {city} ({code})"
            )
            doc.meta.update(title=title, type="unit")
            if lang == "en":
                doc.meta["lang"] = "en"
            doc.meta.update(
                code=code,
                director=f"{rng.choice(V.FR_FIRST)} {rng.choice(V.LAST_NAMES)}",
                city=city,
                country="France",
                website=f"https://{prefix.lower()}{number}.example.org",
            )
            doc.meta["partners"] = [
                _quote(p[0].upper() + p[1:]) for p in rng.sample(V.ORGANISATIONS, rng.randint(1, 3))
            ]
            self._common(doc, restricted=False)
            doc.meta.setdefault("institutes", [rng.choice(self.institutes)])
            doc.meta.setdefault("regions", [rng.choice(self.regions)])
            doc.meta["summary"] = ""
            self.docs.append(doc)
        for doc_type in ("guide", "form", "report", "page"):
            for n in range(counts[doc_type]):
                issuer = rng.choices(self.issuers, self.issuer_weights)[0]
                lang = self._lang()
                folder = {"guide": "guides", "form": "forms", "report": "reports", "page": "pages"}[
                    doc_type
                ]
                date = _random_date(rng)
                doc = Doc(
                    f"{folder}/{date.year}/{doc_type}-{n + 1:05d}.md",
                    doc_type,
                    lang,
                    {},
                    self._themes(issuer),
                    None,
                    None,
                    issuer,
                )
                if doc_type != "page":
                    doc.date = date
                doc.meta.update(title=self._title(doc), type=doc_type)
                if lang == "en":
                    doc.meta["lang"] = "en"
                if doc.date:
                    doc.meta["date"] = date
                self._common(doc)
                if rng.random() < 0.8:
                    doc.meta["summary"] = ""
                self.docs.append(doc)

    def _title(self, doc: Doc) -> str:
        rng, lang = self.rng, doc.lang
        topic = rng.choice(V.THEMES[doc.themes[0]][f"{lang}_topics"])
        year = doc.date.year if doc.date else 2024
        if doc.type == "decision" and "signature-delegation" in doc.themes[:1]:
            region = self.tax["regions"][rng.choice(self.regions)][lang]
            person = self.writer.person[lang]()
            return (
                f"Délégation de signature à {person}, délégation {region}"
                if lang == "fr"
                else f"Delegation of signature to {person}, {region} regional office"
            )
        qualifier = rng.choice(
            [
                "",
                "",
                "",
                f" — campagne {year}" if lang == "fr" else f" — {year} campaign",
                " dans les unités mixtes" if lang == "fr" else " in joint research units",
                f" ({rng.choice(V.CITIES[:53])})",
            ]
        )
        if lang == "fr":
            lead = {
                "decision": "Décision relative",
                "circular": "Circulaire relative",
                "instruction": "Instruction relative",
                "note": "Note relative",
                "guide": "Guide relatif",
                "form": "Formulaire relatif",
                "report": f"Rapport {year} relatif",
                "page": "Informations relatives",
            }[doc.type]
            return _french(f"{lead} {topic}{qualifier}")
        lead = {
            "decision": "Decision on",
            "circular": "Circular on",
            "instruction": "Instruction on",
            "note": "Note on",
            "guide": "Guide to",
            "form": "Form for",
            "report": f"{year} report on",
            "page": "Information on",
        }[doc.type]
        return f"{lead} {topic}{qualifier}"

    # -- text

    def body(self, doc: Doc) -> tuple[str, int]:
        """The Markdown text of a document, and its number of words."""
        rng, w, lang = self.rng, self.writer, doc.lang
        slots = w.slots(lang, doc.themes)
        target = rng.randint(150, 600)
        parts: list[str] = []
        words = 0

        def add(text: str) -> None:
            nonlocal words
            parts.append(text)
            words += text.count(" ") + 1

        for label, target_path in doc.links[:1]:
            relative = _link(doc.path, target_path)
            if doc.supersedes and label == doc.supersedes:
                add(
                    f"Le présent texte remplace le texte [{label}]({relative})."
                    if lang == "fr"
                    else f"This text replaces [{label}]({relative})."
                )
            elif doc.amends and label == doc.amends:
                add(
                    f"Le présent texte modifie le texte [{label}]({relative})."
                    if lang == "fr"
                    else f"This text amends [{label}]({relative})."
                )
            else:
                add(
                    f"Voir [{label}]({relative})."
                    if lang == "fr"
                    else f"See [{label}]({relative})."
                )
        if doc.type == "decision":
            preamble = V.FR_PREAMBLE if lang == "fr" else V.EN_PREAMBLE
            add("Le président-directeur général," if lang == "fr" else "The Chair and CEO,")
            add(" ; ".join(rng.sample(preamble, rng.randint(1, 3))) + ",")
            add("**Décide :**" if lang == "fr" else "**Decides:**")
            article = 0
            while words < target:
                article += 1
                add(f"## Article {article}")
                add(w.paragraph(slots, lang))
                if rng.random() < 0.15:
                    add(w.bullet_list(slots, lang))
        elif doc.type in ("unit", "regional-office", "institute", "department", "office-abroad"):
            sections = (
                [
                    "Recherche",
                    "Équipes",
                    "Plateformes",
                    "Partenariats",
                    "Formation",
                    "Vie de l'unité",
                ]
                if lang == "fr"
                else [
                    "Research",
                    "Teams",
                    "Facilities",
                    "Partnerships",
                    "Training",
                    "Life of the unit",
                ]
            )
            add(w.paragraph(slots, lang))
            for section in sections:
                if words >= target:
                    break
                add(f"## {section}")
                add(w.bullet_list(slots, lang) if rng.random() < 0.4 else w.paragraph(slots, lang))
        else:
            headings = V.FR_SECTIONS if lang == "fr" else V.EN_SECTIONS
            add(w.paragraph(slots, lang))
            number = 0
            for heading in rng.sample(headings, len(headings)):
                if words >= target:
                    break
                number += 1
                add(f"## {number}. {heading}")
                add(w.paragraph(slots, lang))
                r = rng.random()
                if r < 0.25:
                    add(w.bullet_list(slots, lang))
                elif r < 0.3 or (doc.type == "report" and r < 0.6):
                    add(w.table(lang, doc.date.year if doc.date else 2024))
                if rng.random() < 0.2:
                    add(f"### {rng.choice(headings)}")
                    add(w.paragraph(slots, lang))
        for label, target_path in doc.links[1:]:
            relative = _link(doc.path, target_path)
            add(
                f"Voir aussi [{label}]({relative})."
                if lang == "fr"
                else f"See also [{label}]({relative})."
            )
        if doc.type == "decision":
            date = doc.date or dt.date(2024, 1, 1)
            add(
                f"*Fait à Paris, le {date.day} {V.FR_MONTHS[date.month - 1]} {date.year}.*"
                if lang == "fr"
                else f"*Done in Paris on {date.day} {V.EN_MONTHS[date.month - 1]} {date.year}.*"
            )
        text = "\n\n".join(parts)
        return (_french(text) if lang == "fr" else text), words

    def summary(self, doc: Doc) -> str:
        slots = self.writer.slots(doc.lang, doc.themes)
        sentence = self.writer.sentences(slots, doc.lang, 1)[0]
        return _french(sentence) if doc.lang == "fr" else sentence


def load_taxonomy_file(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise SystemExit(f"{path}: not a taxonomy")
    return data


def generate(
    out: Path, docs: int, seed: int = 1, taxonomy: Path = TAXONOMY_SOURCE, quiet: bool = False
) -> Corpus:
    """Write a corpus of `docs` documents into the content directory `out`."""
    started = time.perf_counter()
    tax = load_taxonomy_file(taxonomy)
    gen = Generator(docs, seed, tax)
    if docs < gen._fixed_count() + 20:
        raise SystemExit(f"--docs must be at least {gen._fixed_count() + 20}")
    if out.exists():
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise SystemExit(f"{out} is not empty and is not a generated corpus; not touching it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copyfile(taxonomy, out / "taxonomy.yml")
    gen.plan()
    made: set[str] = set()
    words = 0
    by_type: dict[str, int] = {}
    for n, doc in enumerate(gen.docs, 1):
        text, count = gen.body(doc)
        words += count
        if "summary" in doc.meta:
            doc.meta["summary"] = gen.summary(doc)
        folder = posixpath.dirname(doc.path)
        if folder not in made:
            (out / folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        with open(out / doc.path, "w", encoding="utf-8") as handle:
            handle.write(f"{_front_matter(doc.meta)}\n\n{text}\n")
        by_type[doc.type] = by_type.get(doc.type, 0) + 1
        if not quiet and n % 20000 == 0:
            print(f"  generated {n:,} / {len(gen.docs):,} documents", file=sys.stderr)
    sampler = random.Random(seed + 1)
    referenced = [d for d in gen.docs if d.reference and not d.draft]
    corpus = Corpus(
        docs=len(gen.docs),
        seed=seed,
        by_type=by_type,
        english=sum(d.lang == "en" for d in gen.docs),
        restricted=sum("access" in d.meta for d in gen.docs),
        drafts=sum(d.draft for d in gen.docs),
        supersedes=sum(d.supersedes is not None for d in gen.docs),
        amends=sum(d.amends is not None for d in gen.docs),
        links=sum(len(d.links) for d in gen.docs),
        words=words,
        seconds=time.perf_counter() - started,
        sample_references=[d.reference or "" for d in sampler.sample(referenced, 100)],
        sample_paths=[d.path for d in sampler.sample(gen.docs, 100)],
    )
    (out / MARKER).write_text(json.dumps(corpus.to_json(), indent=1), encoding="utf-8")
    return corpus


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="number of documents")
    parser.add_argument("--out", type=Path, required=True, help="content directory to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--taxonomy", type=Path, default=TAXONOMY_SOURCE)
    args = parser.parse_args(argv)
    corpus = generate(args.out, args.docs, args.seed, args.taxonomy)
    print(
        f"{corpus.docs:,} documents ({corpus.english:,} in English, {corpus.words:,} words, "
        f"{corpus.supersedes:,} supersedes, {corpus.amends:,} amends, {corpus.links:,} links, "
        f"{corpus.restricted:,} restricted, {corpus.drafts:,} drafts) in {args.out} "
        f"in {corpus.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
