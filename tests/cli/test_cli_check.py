"""`docrepo check` and `docrepo new` through click's CliRunner: exit codes, output, files."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from docrepo.cli import main
from docrepo.content.documents import FIELDS
from docrepo.content.taxonomy import load_taxonomy
from support.trees import MakeTree, front_matter

LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<level>error|warning): (?P<message>.+)$")


@pytest.fixture(autouse=True)
def _work_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every command from tmp_path, so no docrepo.toml of the checkout is read."""
    monkeypatch.chdir(tmp_path)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_no_traceback(r: Result) -> None:
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception


def problem_lines(stderr: str) -> list[tuple[str, int, str, str]]:
    found = []
    for line in stderr.splitlines():
        m = LINE.match(line)
        if m:
            found.append((m["path"], int(m["line"]), m["level"], m["message"]))
    return found


def test_check_clean_tree_exits_0(make_tree: MakeTree) -> None:
    """`check` on a valid tree exits 0 and prints no problem line."""
    content = make_tree(
        {
            "decisions/2024/dec1.md": front_matter(
                type="decision", date="2024-01-02", reference="DEC1"
            ),
            "pages/a.md": front_matter(body="Voir [la décision](../decisions/2024/dec1.md)."),
        }
    )
    r = run("check", "--content", content)
    assert r.exit_code == 0, r.output
    assert problem_lines(r.stderr) == []
    assert "0 errors, 0 warnings" in r.stderr


def test_check_warnings_alone_exit_0(make_tree: MakeTree) -> None:
    """Warnings (a broken link) are printed on stderr but do not fail the check."""
    content = make_tree({"pages/a.md": "---\ntitle: A\ntype: page\n---\n[x](missing.md)\n"})
    r = run("check", "--content", content)
    assert r.exit_code == 0, r.output
    [(path, line, level, message)] = problem_lines(r.stderr)
    assert path.endswith("pages/a.md") and line == 5 and level == "warning"
    assert "missing.md" in message


def test_check_reports_every_problem_and_exits_1(make_tree: MakeTree) -> None:
    """Errors exit 1 and every problem of every file is printed as PATH:LINE: error: MESSAGE."""
    content = make_tree(
        {
            "pages/good.md": front_matter(),
            "pages/bad1.md": "---\ntitle: A\ntype: page\ninstitue: INSB\nlang: de\n---\nTexte.\n",
            "pages/bad2.md": "pas de front matter\n",
        }
    )
    r = run("check", "--content", content)
    assert r.exit_code == 1, r.output
    assert_no_traceback(r)
    found = problem_lines(r.stderr)
    assert [(line, level) for _, line, level, _ in found] == [
        (4, "error"),
        (5, "error"),
        (1, "error"),
    ]
    assert [Path(path).name for path, _, _, _ in found] == ["bad1.md", "bad1.md", "bad2.md"]
    assert all(path.endswith(("pages/bad1.md", "pages/bad2.md")) for path, _, _, _ in found)
    assert "institutes" in found[0][3]
    assert "fr, en" in found[1][3]
    assert "3 errors" in r.stderr
    assert problem_lines(r.stdout) == []


def test_check_json_format(make_tree: MakeTree) -> None:
    """`--format json` prints on stdout a list of {path, line, level, field, message}."""
    content = make_tree(
        {
            "pages/bad.md": "---\ntitle: A\ntype: page\ncity: no\n---\n[x](missing.md)\n",
            "pages/worse.md": "---\ntitle: B\n---\nTexte.\n",
        }
    )
    r = run("check", "--content", content, "--format", "json")
    assert r.exit_code == 1, r.output
    problems = json.loads(r.stdout)
    assert isinstance(problems, list)
    for problem in problems:
        assert set(problem) == {"path", "line", "level", "field", "message"}
    assert [(p["path"], p["line"], p["level"], p["field"]) for p in problems] == [
        ("pages/bad.md", 4, "error", "city"),
        ("pages/worse.md", 1, "error", "type"),
    ]
    assert "quote" in problems[0]["message"]


def test_check_json_on_clean_tree_is_an_empty_list(make_tree: MakeTree) -> None:
    """`--format json` on a clean tree prints `[]` and exits 0."""
    content = make_tree({"pages/a.md": front_matter()})
    r = run("check", "--content", content, "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == []


def test_check_reports_taxonomy_problems(make_tree: MakeTree) -> None:
    """A broken taxonomy is reported by `check` with its line, and exits 1."""
    taxonomy = "types:\n  page: {fr: Page}\ninstitutes: {INSB: {fr: Bio, en: Bio}}\n"
    content = make_tree({"taxonomy.yml": taxonomy, "pages/a.md": front_matter()})
    r = run("check", "--content", content)
    assert r.exit_code == 1, r.output
    found = problem_lines(r.stderr)
    assert ("taxonomy.yml", 2, "error") in [(Path(p).name, n, lvl) for p, n, lvl, _ in found]


def test_unknown_option_is_a_usage_error() -> None:
    """An unknown option exits 2 with a message naming it and no traceback."""
    r = run("check", "--bogus")
    assert r.exit_code == 2, r.output
    assert "--bogus" in r.stderr
    assert_no_traceback(r)


def test_missing_content_directory_is_a_usage_error(tmp_path: Path) -> None:
    """A content directory that does not exist exits 2 with a message naming it."""
    missing = tmp_path / "nowhere"
    r = run("check", "--content", missing)
    assert r.exit_code == 2, r.output
    assert str(missing) in r.stderr and "does not exist" in r.stderr
    assert_no_traceback(r)


def test_bad_setting_is_a_usage_error(tmp_path: Path, make_tree: MakeTree) -> None:
    """A bad docrepo.toml stops `check` with exit 2 and a message naming the bad key."""
    content = make_tree({"pages/a.md": front_matter()})
    (tmp_path / "docrepo.toml").write_text('contnet = "x"\n', encoding="utf-8")
    r = run("check", "--content", content)
    assert r.exit_code == 2, r.output
    assert "'contnet'" in r.stderr
    assert_no_traceback(r)


# --- docrepo new -------------------------------------------------------------------------


def read_front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front, _, body = text[4:].partition("\n---\n")
    assert body.strip(), "the new file has text to replace"
    fields = yaml.safe_load(front)
    assert isinstance(fields, dict)
    return fields


def test_new_decision_has_the_front_matter_its_type_needs(make_tree: MakeTree) -> None:
    """`new decision PATH` writes title, type, today's date and a reference from the file name."""
    content = make_tree({})
    before = dt.date.today()
    r = run("new", "--content", content, "decision", "decisions/2025/dec250001daj")
    after = dt.date.today()
    assert r.exit_code == 0, r.output
    assert "decisions/2025/dec250001daj" in r.stdout
    path = content / "decisions/2025/dec250001daj.md"
    fields = read_front_matter(path)
    assert fields["type"] == "decision"
    assert isinstance(fields["title"], str) and fields["title"]
    assert fields["date"] in (before, after)
    assert fields["reference"] == "DEC250001DAJ"
    assert "issuer" in fields


def test_new_decision_passes_check_but_for_fields_left_to_fill(make_tree: MakeTree) -> None:
    """A new decision's only problems, if any, are on the issuer the editor must still choose."""
    content = make_tree({})
    assert (
        run("new", "--content", content, "decision", "decisions/2025/dec250001daj").exit_code == 0
    )
    r = run("check", "--content", content, "--format", "json")
    problems = json.loads(r.stdout)
    assert all(p["field"] == "issuer" for p in problems), problems


@pytest.mark.parametrize(
    ("doc_type", "path"),
    [("page", "pages/a-propos"), ("unit", "units/umr5554.md"), ("guide", "guides/missions")],
)
def test_new_undated_document_passes_check(make_tree: MakeTree, doc_type: str, path: str) -> None:
    """A new page, unit or guide is valid as written, with `.md` added when missing."""
    content = make_tree({})
    r = run("new", "--content", content, doc_type, path)
    assert r.exit_code == 0, r.output
    written = content / (path if path.endswith(".md") else path + ".md")
    assert read_front_matter(written)["type"] == doc_type
    r = run("check", "--content", content)
    assert r.exit_code == 0, r.output
    assert problem_lines(r.stderr) == []


def template_fields(path: Path) -> tuple[list[str], list[str]]:
    """(the fields a new file gives, those it offers commented out) in its front matter."""
    front = path.read_text(encoding="utf-8").split("---\n")[1]
    given = [line.split(":")[0] for line in front.splitlines() if not line.startswith("#")]
    offered = [line[2:].split(":")[0] for line in front.splitlines() if line.startswith("# ")]
    return given, offered


@pytest.mark.parametrize(
    ("doc_type", "path", "given", "offered"),
    [
        (
            "decision",
            "decisions/2025/dec250001daj",
            ["title", "type", "status", "date", "reference", "issuer"],
            ["institutes", "regions", "themes", "summary"],
        ),
        (
            "unit",
            "units/umr5554",
            ["title", "type", "status"],
            ["institutes", "regions", "themes", "summary", "code", "director", "partners",
             "city", "country", "website"],
        ),
    ],
)  # fmt: skip
def test_new_writes_the_fields_of_its_type(
    make_tree: MakeTree, doc_type: str, path: str, given: list[str], offered: list[str]
) -> None:
    """A decision named after its reference gives its date, reference and issuer; a unit
    offers the facts of a unit's page; lists are offered as []."""
    content = make_tree({})
    assert run("new", "--content", content, doc_type, path).exit_code == 0
    written = content / f"{path}.md"
    assert template_fields(written) == (given, offered)
    text = written.read_text(encoding="utf-8")
    assert "# institutes: []\n" in text and "# summary: …\n" in text


def test_new_writes_for_each_type_the_fields_the_table_says(make_tree: MakeTree) -> None:
    """For every type, `new` writes exactly the fields the table of fields requires or
    offers for it (a file not named after a reference offers its reference and issuer)."""
    content = make_tree({})
    types = load_taxonomy(content)[0].codes("types")
    assert len(types) >= 10
    for doc_type in types:
        assert run("new", "--content", content, doc_type, f"new/{doc_type}").exit_code == 0
        given, offered = template_fields(content / f"new/{doc_type}.md")
        table = {
            name for name, spec in FIELDS.items()
            if doc_type in spec.required or doc_type in spec.offered
        }  # fmt: skip
        assert sorted(given + offered) == sorted(table), doc_type
        assert set(given) == {"title", "type", "status"} | ({"date"} & table), doc_type


def test_new_refuses_to_overwrite(make_tree: MakeTree) -> None:
    """`new` on an existing file is a usage error (exit 2) that says so, and leaves the
    file as it was."""
    original = front_matter(title="Déjà là")
    content = make_tree({"pages/a.md": original})
    r = run("new", "--content", content, "page", "pages/a")
    assert r.exit_code == 2, r.output
    assert "already exists" in r.stderr
    assert (content / "pages/a.md").read_text(encoding="utf-8") == original
    assert_no_traceback(r)


def test_new_unknown_type_suggests_and_exits_2(make_tree: MakeTree) -> None:
    """`new` with an unknown type exits 2, suggests the close type, and writes nothing."""
    content = make_tree({})
    r = run("new", "--content", content, "decsion", "decisions/2025/x")
    assert r.exit_code == 2, r.output
    assert "'decsion'" in r.stderr and "did you mean decision" in r.stderr
    assert not (content / "decisions").exists()
    assert_no_traceback(r)


@pytest.mark.parametrize("path", ["_drafts/x", "../outside", "pages/.hidden"])
def test_new_refuses_paths_that_are_not_documents(make_tree: MakeTree, path: str) -> None:
    """`new` refuses a path that would not be a document or would leave the content directory."""
    content = make_tree({})
    r = run("new", "--content", content, "page", path)
    assert r.exit_code == 2, r.output
    assert "not a document path" in r.stderr
    assert not (content.parent / "outside.md").exists()
    assert sorted(p.name for p in content.iterdir()) == ["taxonomy.yml"]


@pytest.mark.parametrize(
    ("path", "written"),
    [
        ("contentieux/guide-litiges", "content/contentieux/guide-litiges.md"),
        ("content/pages/a-propos", "content/pages/a-propos.md"),
    ],
    ids=["folder-starting-like-content", "path-through-content-dir"],
)
def test_new_path_is_under_the_content_directory(
    make_tree: MakeTree, tmp_path: Path, path: str, written: str
) -> None:
    """`new` puts PATH under the content directory, stripping only a leading content-dir part."""
    make_tree({})
    r = run("new", "page", path)
    assert r.exit_code == 0, r.output
    assert (tmp_path / written).is_file(), sorted(
        p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md")
    )


def test_new_help_lists_the_types(make_tree: MakeTree) -> None:
    """`new --help` lists the types of the taxonomy of the content directory."""
    make_tree({})
    r = run("new", "--help")
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())
    assert "TYPE is one of: decision, circular, instruction," in text
    assert "regional-office" in text and "page." in text


def test_check_reports_a_label_split_at_its_commas(make_tree: MakeTree) -> None:
    """A taxonomy label that YAML cut at its commas is a PATH:LINE: error of check."""
    taxonomy = (Path(__file__).parents[2] / "content/taxonomy.yml").read_text(encoding="utf-8")
    broken = taxonomy.replace("{fr: Finances, en: Finance}", "{fr: Finances, budget, en: Finance}")
    assert broken != taxonomy
    content = make_tree({"taxonomy.yml": broken, "pages/a.md": front_matter()})
    r = run("check", "--content", content)
    assert r.exit_code == 1, r.output
    [(path, line, level, message)] = problem_lines(r.stderr)
    assert Path(path).name == "taxonomy.yml" and level == "error"
    assert broken.splitlines()[line - 1].strip().startswith("finance:")
    assert "'budget'" in message and "quote" in message


# --- the locale --------------------------------------------------------------------------


BROKEN = "---\ntitle: A\ntype: page\ninstitue: INSB\ninstitutes: [CNRS Biologie]\n---\nTexte.\n"


@pytest.mark.parametrize(
    ("environ", "said", "counts"),
    [
        ({}, "unknown field 'institue' (did you mean 'institutes'?)", "2 errors, 0 warnings"),
        ({"LANG": "fr_FR.UTF-8"}, "champ 'institue' inconnu (vouliez-vous dire 'institutes' ?)",
         "2 erreurs, 0 avertissement"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, "champ 'institue' inconnu",
         "2 erreurs"),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "unknown field 'institue'", "2 errors"),
    ],
    ids=["default-english", "LANG-fr", "LC_MESSAGES-fr", "LC_ALL-C"],
)  # fmt: skip
def test_check_speaks_the_language_of_the_locale(
    make_tree: MakeTree, environ: dict[str, str], said: str, counts: str
) -> None:
    """`check` follows LC_ALL, LC_MESSAGES and LANG (English by default); paths, lines and
    levels stay as editors' tools read them."""
    content = make_tree({"pages/bad.md": BROKEN})
    r = CliRunner().invoke(main, ["check", "--content", str(content)], env=environ)
    assert r.exit_code == 1, r.output
    found = problem_lines(r.stderr)
    assert [(Path(p).name, n, level) for p, n, level, _ in found] == [
        ("bad.md", 4, "error"),
        ("bad.md", 5, "error"),
    ]
    assert said in found[0][3]
    assert "INSB" in found[1][3]
    assert counts in r.stderr


def test_check_json_is_in_the_language_of_the_locale(make_tree: MakeTree) -> None:
    content = make_tree({"pages/bad.md": BROKEN})
    r = CliRunner().invoke(
        main, ["check", "--content", str(content), "--format", "json"], env={"LANG": "fr_FR"}
    )
    messages = [p["message"] for p in json.loads(r.stdout)]
    assert messages[1] == (
        "champ 'institutes' : code 'CNRS Biologie' inconnu du vocabulaire 'institutes' ; "
        "vouliez-vous dire INSB ?"
    )


def test_usage_errors_follow_the_locale(make_tree: MakeTree) -> None:
    """The command line's own messages are translated too."""
    content = make_tree({"pages/a.md": front_matter()})
    r = CliRunner().invoke(
        main, ["new", "--content", str(content), "page", "pages/a"], env={"LANG": "fr_FR.UTF-8"}
    )
    assert r.exit_code == 2
    assert "existe déjà ; choisissez un autre chemin" in r.stderr


def test_check_warns_of_a_text_in_force_citing_a_repealed_one(make_tree: MakeTree) -> None:
    """A text in force that cites a repealed text it neither supersedes nor amends gets a
    warning naming the repealing text and its date (in the locale's language); the text
    that repeals it, citing it too, does not."""
    content = make_tree(
        {
            "dec/old.md": front_matter(
                type="decision", date="2020-09-01", reference="DEC201155DAJ"
            ),
            "dec/new.md": front_matter(
                "La décision DEC201155DAJ est abrogée.",
                type="decision", date="2024-03-12", reference="DEC240187DAJ",
                supersedes=["DEC201155DAJ"],
            ),
            "pages/a.md": "---\ntitle: A\ntype: page\n---\nSelon la décision dec 201155 daj.\n",
        }
    )  # fmt: skip
    r = run("check", "--content", content)
    assert r.exit_code == 0, r.output
    assert problem_lines(r.stderr) == [
        (
            "pages/a.md",
            5,
            "warning",
            "cites DEC201155DAJ, repealed by DEC240187DAJ since 2024-03-12",
        )
    ]
    r = run("check", "--content", content, "--format", "json")
    [problem] = json.loads(r.stdout)
    assert (problem["level"], problem["line"], problem["field"]) == ("warning", 5, None)
    assert problem["message"] == "cites DEC201155DAJ, repealed by DEC240187DAJ since 2024-03-12"
    french = CliRunner().invoke(
        main, ["check", "--content", str(content)], env={"LANG": "fr_FR.UTF-8"}
    )
    assert "cite DEC201155DAJ, abrogé par DEC240187DAJ depuis le 2024-03-12" in french.stderr


@pytest.mark.parametrize(
    ("broken_line", "line", "field"),
    [
        ("date: 2024-06-31", 5, "date"),  # no such day
        ("date: 2024-06-10\ntype: circulaire", 6, "type"),  # given twice, and unknown
        ("date: 2024-06-10\nsummary: [unclosed", 7, None),  # YAML that does not parse
    ],
)
def test_one_invalid_file_is_the_only_file_with_a_problem(
    make_tree: MakeTree, broken_line: str, line: int, field: str | None
) -> None:
    """A file with one bad field is still there: the texts that amend it (by reference)
    or supersede it (by id) and link to it get no problem from it; its own error is
    reported on it alone."""
    circular = (
        "---\ntitle: Télétravail\ntype: circular\nreference: CIR240006DRH\n"
        f"{broken_line}\n---\n\nLe cadre du télétravail.\n"
    )
    content = make_tree(
        {
            "circulars/cir240006drh.md": circular,
            "circulars/cir250011drh.md": front_matter(
                "Modifie la [circulaire](cir240006drh.md) CIR240006DRH.",
                type="circular", date="2025-03-01", reference="CIR250011DRH",
                amends=["CIR240006DRH"],
            ),
            "circulars/cir260001drh.md": front_matter(
                type="circular", date="2026-01-05", reference="CIR260001DRH",
                supersedes=["circulars/cir240006drh"],
            ),
            "guides/a.md": front_matter("Voir [la circulaire](../circulars/cir240006drh.md)."),
        }
    )  # fmt: skip
    r = run("check", "--content", content, "--format", "json")
    assert r.exit_code == 1, r.output
    found = [(p["path"], p["line"], p["level"], p["field"]) for p in json.loads(r.stdout)]
    assert found == [("circulars/cir240006drh.md", line, "error", field)]


@pytest.mark.parametrize(
    ("field", "value", "english", "french"),
    [
        ("date", "2024-02-30", "February 2024 has 29 days", "février 2024 compte 29 jours"),
        ("published", "2023-02-29", "February 2023 has 28 days", "février 2023 compte 28 jours"),
        ("effective", "2024-04-31", "April 2024 has 30 days", "avril 2024 compte 30 jours"),
        ("ends", "2025-09-31", "September 2025 has 30 days", "septembre 2025 compte 30 jours"),
        (
            "date", "2024-13-01", "there is no month 13; months are 01 to 12",
            "il n'y a pas de mois 13 ; les mois vont de 01 à 12",
        ),
        (
            "ends", "2025-00-10", "there is no month 00; months are 01 to 12",
            "il n'y a pas de mois 00 ; les mois vont de 01 à 12",
        ),
        (
            "date", "2024-06-00", "days are numbered from 01",
            "les jours sont numérotés à partir de 01",
        ),
    ],
)  # fmt: skip
def test_an_impossible_date_says_why_in_both_languages(
    make_tree: MakeTree, field: str, value: str, english: str, french: str
) -> None:
    """A date written YYYY-MM-DD that no calendar has is an error saying why (the days of
    its month, or that the month or day does not exist), in English and in French."""
    dates = {"date": "2024-01-10", field: value}
    fields = "".join(f"{name}: {date}\n" for name, date in dates.items())
    content = make_tree({"notes/n.md": f"---\ntitle: Note\ntype: note\n{fields}---\nTexte.\n"})
    line = 4 + list(dates).index(field)
    r = run("check", "--content", content, "--format", "json")
    assert r.exit_code == 1, r.output
    [problem] = json.loads(r.stdout)
    assert (problem["line"], problem["field"]) == (line, field)
    assert problem["message"] == f"field '{field}': {value} is not a date: {english}"
    french_run = CliRunner().invoke(
        main, ["check", "--content", str(content), "--format", "json"], env={"LANG": "fr_FR.UTF-8"}
    )
    [problem] = json.loads(french_run.stdout)
    assert problem["message"] == f"champ '{field}' : {value} n'est pas une date : {french}"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("decret", "decision"),  # begins with DEC, the prefix of decisions' references
        ("Décret", "decision"),
        ("DEC", "decision"),
        ("décision", "decision"),  # a label, accents and case aside
        ("CIRCULAIRE", "circular"),
        ("CIR", "circular"),
        ("circulaire", "circular"),
        ("Formulaire", "form"),
        ("Délégation régionale", "regional-office"),
    ],
)
def test_an_unknown_type_suggests_by_label_and_reference_prefix(
    make_tree: MakeTree, typed: str, meant: str
) -> None:
    """An unknown type, for `new` as in a file's `type:`, suggests the type whose label
    (French or English) or reference prefix it is, whatever its case and accents, and
    that type alone."""
    content = make_tree({"notes/n.md": front_matter(type=typed, date="2024-01-10")})
    r = run("new", "--content", content, typed, "decisions/2025/dec250001daj")
    assert r.exit_code == 2, r.output
    assert f"unknown type '{typed}'; did you mean {meant}? (types: " in r.stderr
    assert not (content / "decisions").exists()
    r = run("check", "--content", content, "--format", "json")
    [problem] = json.loads(r.stdout)
    assert problem["message"] == (
        f"field 'type': unknown code '{typed}' in vocabulary 'types'; did you mean {meant}?"
    )


def test_check_reports_translations_that_cannot_be_one_text(make_tree: MakeTree) -> None:
    """`docrepo check` names each translation problem with its file, line and what to
    write; a translation carrying its original's reference is not a duplicate."""
    circular = {"type": "circular", "date": "2025-03-12"}
    content = make_tree(
        {
            "cir.md": front_matter(title="Télétravail", reference="CIR250011DRH", **circular),
            "cir-en.md": front_matter(
                title="Telework", lang="en", reference="CIR250011DRH",
                translation_of="CIR250011DRH", **circular,
            ),
            "cir-en2.md": front_matter(title="Remote work", lang="en", translation_of="cir",
                                       status="repealed", **circular),
            "cir-fr.md": front_matter(title="Télétravail bis", translation_of="cir", **circular),
            "of-en.md": front_matter(title="Telework (de)", lang="en",
                                     translation_of="cir-en", **circular),
            "lost.md": front_matter(title="Lost", lang="en", translation_of="CIR990001DRH"),
        }
    )  # fmt: skip
    r = run("check", "--content", content)
    assert r.exit_code == 1, r.output
    assert problem_lines(r.stderr) == [
        ("cir-en2.md", 4, "error", "field 'translation_of': cir already has a translation in "
         "'en': cir-en; a text has one version per language"),
        ("cir-en2.md", 5, "error", "field 'status': 'repealed' says otherwise than the "
         "original text cir (in-force); a translation takes its original's: remove this line"),
        ("cir-fr.md", 3, "error", "field 'translation_of': cir is in 'fr' too; a translation "
         "is in another language: give this text its own 'lang:'"),
        ("lost.md", 4, "error", "field 'translation_of': 'CIR990001DRH' names no document "
         "(neither a reference nor an id)"),
        ("of-en.md", 4, "error", "field 'translation_of': cir-en is itself a translation (of "
         "CIR250011DRH); name the original text: translation_of: CIR250011DRH"),
    ]  # fmt: skip
