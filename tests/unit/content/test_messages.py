"""Every problem a broken content directory gets can be shown in French: its message is in
the catalog, and its values fill the translation."""

from __future__ import annotations

import string

from docrepo.content.check import check_content
from docrepo.errors import Problem
from support.trees import MakeTree

BROKEN_TAXONOMY = (
    "types:\n"
    "  page: {fr: Page, en: Page}\n"
    "  note: {fr: Note, simple, en: Note}\n"
    "  guide: Guide\n"
    "institutes: {INSB: {fr: CNRS Biologie, en: CNRS Biology, de: Biologie}}\n"
    "regions: {DR13: {fr: Occitanie Est}}\n"
    "issuers: []\n"
    "themse: {}\n"
)
FILES = {
    "taxonomy.yml": BROKEN_TAXONOMY,
    "synonyms.yml": "- [RGPD]\n- [a, a]\n",
    "pages/tab.md": "---\ntitle: A\n\ttype: page\n---\nTexte.\n",
    "pages/fields.md": (
        "---\ntitle: A\ntype: pag\ninstitue: x\ncode: 0123\nlang: de\ndate: 2024-13-01\n"
        "website: ftp://x\ntitle: B\nregions: [[DR13]]\n---\n"
    ),
    "pages/empty.md": "",
    "pages/none.md": "Texte sans en-tête.\n",
    "pages/list.md": "---\n- a\n---\nTexte.\n",
    "pages/bytes.md": b"---\ntitle: \xff\ntype: page\n---\nT.\n",
}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_problem_is_shown_in_french(make_tree: MakeTree) -> None:
    problems: list[Problem] = check_content(make_tree(FILES))
    assert len(problems) > 15
    for problem in problems:
        french, english = problem.text("fr"), problem.text("en")
        assert french != english, problem
        assert "{" not in french.replace("{fr:", ""), french
        assert _placeholders(problem.message) <= {name for name, _ in problem.values}, problem
