"""The `docrepo index` and `docrepo search` commands (SPEC §3), through click's CliRunner."""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from docrepo.cli import main
from docrepo.schema import FACET_NAMES
from docrepo.store.writing import IndexStore
from support.trees import REPO, MakeTree, front_matter

SUMMARY = re.compile(
    r"^(?P<added>\d+) added, (?P<updated>\d+) updated, (?P<deleted>\d+) deleted, "
    r"(?P<invalid>\d+) invalid in \d+(\.\d+)? s( \(index rebuilt\))?$"
)
PROBLEM = re.compile(r"^[^\s:][^:]*:\d+: (error|warning): \S.*$")


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No docrepo.toml of the checkout applies: commands run from an empty directory."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def summary_of(result: Result) -> dict[str, int]:
    """The counts of the one-line summary, which must be all of standard output."""
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    match = SUMMARY.match(lines[0])
    assert match, lines[0]
    return {k: int(v) for k, v in match.groupdict().items() if v and v.isdigit()}


def assert_clean_failure(result: Result, code: int | None = None) -> str:
    """Failed with an exit code, no traceback, and one error line; return that line."""
    assert result.exit_code != 0, result.output
    if code is not None:
        assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"uncaught {result.exception!r}"
    )
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if re.match(r"^Error: \S", line)]
    assert len(errors) == 1, result.stderr
    return errors[0]


# --------------------------------------------------------------------------- a corpus

DOCS: dict[str, dict[str, Any]] = {
    "decisions/2024/dec240001daj.md": dict(
        title="Délégation de signature en Occitanie",
        type="decision",
        reference="DEC240001DAJ",
        date="2024-03-12",
        issuer="DAJ",
        institutes=["INSB"],
        regions=["DR13"],
        themes=["legal"],
        supersedes=["DEC200004DAJ"],
    ),
    "decisions/2020/dec200004daj.md": dict(
        title="Ancienne délégation de signature",
        type="decision",
        reference="DEC200004DAJ",
        date="2020-06-30",
        issuer="DAJ",
        regions=["DR13"],
        themes=["legal"],
    ),
    "circulars/2023/cir230002drh.md": dict(
        title="Circulaire sur le télétravail",
        type="circular",
        reference="CIR230002DRH",
        date="2023-05-02",
        issuer="DRH",
        institutes=["INSB", "INC"],
        regions=["DR01"],
        themes=["telework", "human-resources"],
    ),
    "notes/2022/not220003dsi.md": dict(
        title="Remote work tools",
        type="note",
        lang="en",
        reference="NOT220003DSI",
        date="2022-01-10",
        issuer="DSI",
        institutes=["INC"],
        regions=["DR13"],
        themes=["information-systems"],
    ),
    "guides/achats.md": dict(title="Guide des achats", type="guide", themes=["purchasing"]),
}
DEC24, DEC20 = "decisions/2024/dec240001daj", "decisions/2020/dec200004daj"
CIR23, NOT22, GUIDE = "circulars/2023/cir230002drh", "notes/2022/not220003dsi", "guides/achats"
ALL = {DEC24, DEC20, CIR23, NOT22, GUIDE}


@pytest.fixture
def corpus(make_tree: MakeTree) -> Path:
    """Five documents, each with the word 'budget' in its text."""
    return make_tree(
        {path: front_matter(f"Le budget de {f['title']}.", **f) for path, f in DOCS.items()}
    )


@pytest.fixture
def indexed(corpus: Path, tmp_path: Path) -> tuple[Path, Path]:
    index = tmp_path / "index"
    result = run("index", "--content", corpus, "--index", index)
    assert result.exit_code == 0, result.output
    return corpus, index


def search_json(content: Path, index: Path, *args: str) -> dict[str, Any]:
    result = run("search", *args, "--json", "--content", content, "--index", index)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def ids(data: dict[str, Any]) -> list[str]:
    return [r["id"] for r in data["results"]]


# --------------------------------------------------------------------------- docrepo index


def test_index_prints_a_one_line_summary(corpus: Path, tmp_path: Path) -> None:
    """`docrepo index` exits 0 and prints only 'N added, N updated, N deleted, N invalid in X s'."""
    index = tmp_path / "index"
    first = run("index", "--content", corpus, "--index", index)
    assert first.exit_code == 0, first.output
    assert summary_of(first) == {"added": 5, "updated": 0, "deleted": 0, "invalid": 0}
    assert first.stderr == ""

    (corpus / "guides" / "achats.md").unlink()
    second = run("index", "--content", corpus, "--index", index)
    assert second.exit_code == 0, second.output
    assert summary_of(second) == {"added": 0, "updated": 0, "deleted": 1, "invalid": 0}
    assert "(index rebuilt)" not in second.stdout


def test_index_exits_1_on_content_errors_but_indexes_the_valid_files(
    corpus: Path, tmp_path: Path
) -> None:
    """Errors print as PATH:LINE: error: … on stderr, exit 1, and valid files are indexed."""
    bad = front_matter("Texte.", title="Mauvais", type="page", institue="INSB")
    (corpus / "pages").mkdir()
    (corpus / "pages" / "bad.md").write_text(bad, "utf-8")
    line = bad.splitlines().index("institue: INSB") + 1
    index = tmp_path / "index"
    result = run("index", "--content", corpus, "--index", index)
    assert result.exit_code == 1, result.output
    assert summary_of(result) == {"added": 5, "updated": 0, "deleted": 0, "invalid": 1}
    assert result.stderr.splitlines() == [  # out of git: from the content folder
        f"pages/bad.md:{line}: error: unknown field 'institue' (did you mean 'institutes'?)"
    ]
    data = search_json(corpus, index, "budget")
    assert set(ids(data)) == ALL


def test_index_warnings_alone_exit_0(corpus: Path, tmp_path: Path) -> None:
    """A warning (link to a missing file) is printed as PATH:LINE: warning: … and exits 0."""
    (corpus / "pages").mkdir()
    (corpus / "pages" / "liens.md").write_text(
        front_matter("Voir [le guide](absent.md).", title="Liens"), "utf-8"
    )
    result = run("index", "--content", corpus, "--index", tmp_path / "index")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines and all(PROBLEM.match(line) for line in lines), lines
    assert any(line.startswith("pages/liens.md:") and ": warning: " in line for line in lines), (
        lines
    )


def test_index_rebuild_builds_a_new_generation(indexed: tuple[Path, Path]) -> None:
    """`--rebuild` re-adds every document into a new generation and says so."""
    content, index = indexed
    before = IndexStore(index).current()
    result = run("index", "--content", content, "--index", index, "--rebuild")
    assert result.exit_code == 0, result.output
    assert summary_of(result) == {"added": 5, "updated": 0, "deleted": 0, "invalid": 0}
    assert result.stdout.rstrip().endswith("(index rebuilt)")
    after = IndexStore(index).current()
    assert after is not None and after != before
    assert set(ids(search_json(content, index, "budget"))) == ALL


# --------------------------------------------------------------------------- docrepo search


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], ALL),
        (["--type", "decision"], {DEC24, DEC20}),
        (["--type", "decision", "--type", "circular"], {DEC24, DEC20, CIR23}),
        (["--institute", "INSB"], {DEC24, CIR23}),
        (["--institute", "INC"], {CIR23, NOT22}),
        (["--region", "DR13"], {DEC24, DEC20, NOT22}),
        (["--issuer", "DRH"], {CIR23}),
        (["--theme", "telework"], {CIR23}),
        (["--theme", "legal", "--region", "DR13"], {DEC24, DEC20}),
        (["--status", "in-force"], ALL - {DEC20}),
        (["--status", "repealed"], {DEC20}),
        (["--lang", "en"], {NOT22}),
        (["--lang", "fr"], ALL - {NOT22}),
        (["--year", "2023"], {CIR23}),
        (["--year", "2020", "--year", "2022"], {DEC20, NOT22}),
        (["--from", "2023-01-01"], {DEC24, CIR23}),
        (["--to", "2022-01-10"], {DEC20, NOT22}),
        (["--from", "2022-01-10", "--to", "2023-05-02"], {NOT22, CIR23}),
        (["--type", "unknown-type"], set()),
        (["--year", "abc"], set()),
    ],
)
def test_search_filters_narrow_the_results(
    indexed: tuple[Path, Path], options: list[str], expected: set[str]
) -> None:
    """Each filter option keeps only the matching documents (ORed within, ANDed across)."""
    content, index = indexed
    data = search_json(content, index, "budget", *options)
    assert set(ids(data)) == expected
    assert data["total"] == len(expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", [DEC24, CIR23, NOT22, DEC20, GUIDE]),
        ("oldest", [DEC20, NOT22, CIR23, DEC24, GUIDE]),
        (
            "title",
            [DEC20, CIR23, DEC24, GUIDE, NOT22],
        ),
    ],
)
def test_search_sort_orders_the_results(
    indexed: tuple[Path, Path], sort: str, expected: list[str]
) -> None:
    """`--sort` orders by date (undated last) or by title."""
    content, index = indexed
    assert ids(search_json(content, index, "budget", "--sort", sort)) == expected


def test_search_without_query_lists_newest_first(indexed: tuple[Path, Path]) -> None:
    """No query lists every document that matches the filters, newest first."""
    content, index = indexed
    assert ids(search_json(content, index, "--type", "decision")) == [DEC24, DEC20]


def test_search_relevance_puts_in_force_and_reference_first(indexed: tuple[Path, Path]) -> None:
    """A reference in the query puts its document first; relevance is the default sort."""
    content, index = indexed
    data = search_json(content, index, "dec200004daj")
    assert ids(data)[0] == DEC20
    data = search_json(content, index, "délégation", "signature")
    assert ids(data) == [DEC24, DEC20]
    assert all(isinstance(r["score"], float) for r in data["results"])


def test_search_limit_caps_the_page_but_not_the_total(indexed: tuple[Path, Path]) -> None:
    """`--limit` is the page size: fewer results shown, the total unchanged."""
    content, index = indexed
    data = search_json(content, index, "budget", "--limit", "2", "--sort", "newest")
    assert data["per_page"] == 2
    assert data["total"] == 5
    assert ids(data) == [DEC24, CIR23]
    result = run("search", "budget", "--limit", "2", "--content", content, "--index", index)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("5 documents")
    assert len(re.findall(r"^\d+\. ", result.stdout, re.MULTILINE)) == 2


def test_search_json_has_the_api_keys(indexed: tuple[Path, Path]) -> None:
    """`--json` prints the API's JSON: every key of §5 and every facet of §4."""
    content, index = indexed
    data = search_json(content, index, "budget", "--type", "decision")
    assert set(data) == {
        "query", "total", "page", "per_page", "suggestion", "corrected", "relaxed", "results",
        "facets",
    }  # fmt: skip
    assert data["query"] == "budget"
    assert data["page"] == 1
    assert data["suggestion"] is None
    assert data["results"]
    for hit in data["results"]:
        assert set(hit) == {
            "id", "url", "title", "type", "reference", "date", "status", "effective", "ends",
            "lang", "institutes", "regions", "snippet", "section", "missing", "score",
            "attachment", "translations",
        }  # fmt: skip
        assert hit["url"] == f"/doc/{hit['id']}"
        assert "<mark>budget</mark>" in hit["snippet"]
    dec24 = next(h for h in data["results"] if h["id"] == DEC24)
    assert dec24 | {"snippet": None, "score": None} == {
        "id": DEC24,
        "url": f"/doc/{DEC24}",
        "title": "Délégation de signature en Occitanie",
        "type": "decision",
        "reference": "DEC240001DAJ",
        "date": "2024-03-12",
        "status": "in-force",
        "effective": "2024-03-12",
        "ends": None,
        "lang": "fr",
        "institutes": ["INSB"],
        "regions": ["DR13"],
        "snippet": None,
        "section": None,
        "missing": [],
        "score": None,
        "attachment": None,
        "translations": [],
    }
    assert set(data["facets"]) == set(FACET_NAMES)
    for values in data["facets"].values():
        for value in values:
            assert set(value) == {"value", "label", "count", "selected"}
    # multi-select: the type facet is counted without its own filter
    types = {v["value"]: v for v in data["facets"]["type"]}
    assert types["decision"] == {
        "value": "decision",
        "label": "Decision",
        "count": 2,
        "selected": True,
    }
    assert types["circular"]["count"] == 1 and not types["circular"]["selected"]
    years = {v["value"]: v["count"] for v in data["facets"]["year"]}
    assert years == {"2024": 1, "2020": 1}
    statuses = {v["value"]: v["label"] for v in data["facets"]["status"]}
    assert statuses == {"in-force": "In force", "repealed": "Repealed"}


@pytest.mark.parametrize(
    ("environ", "labels", "damaged"),
    [
        ({}, ("Decision", "In force"), "is damaged"),
        ({"LANG": "fr_FR.UTF-8"}, ("Décision", "En vigueur"), "est endommagé"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, ("Décision", "En vigueur"),
         "est endommagé"),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, ("Decision", "In force"), "is damaged"),
    ],
    ids=["default-english", "LANG-fr", "LC_MESSAGES-fr", "LC_ALL-C"],
)  # fmt: skip
def test_search_speaks_the_language_of_the_locale(
    indexed: tuple[Path, Path], environ: dict[str, str], labels: tuple[str, str], damaged: str
) -> None:
    """`search --json` labels facets in the locale's language, as `check` speaks it, and
    an index found damaged is said in that language too."""
    content, index = indexed
    where = ["--content", str(content), "--index", str(index)]
    r = CliRunner().invoke(main, ["search", "budget", "--json", *where], env=environ)
    assert r.exit_code == 0, r.output
    facets = json.loads(r.stdout)["facets"]
    decision = next(v for v in facets["type"] if v["value"] == "decision")
    in_force = next(v for v in facets["status"] if v["value"] == "in-force")
    assert (decision["label"], in_force["label"]) == labels
    generation = IndexStore(index).current()
    assert generation is not None
    segment = max(generation.path.glob("MAIN_*"), key=lambda p: p.stat().st_size)
    segment.write_bytes(bytes(len(segment.read_bytes())))  # same size, all zeros
    r = CliRunner().invoke(main, ["search", "budget", *where], env=environ)
    line = assert_clean_failure(r, 1)
    assert damaged in line and str(generation.path) in line


@pytest.mark.parametrize("option", ["--from", "--to"])
@pytest.mark.parametrize("value", ["2024-13-01", "hier", "12/03/2024"])
def test_search_bad_date_is_a_usage_error_naming_the_parameter(
    indexed: tuple[Path, Path], option: str, value: str
) -> None:
    """A malformed --from/--to exits 2 with one error line naming the parameter."""
    content, index = indexed
    result = run("search", "budget", option, value, "--content", content, "--index", index)
    line = assert_clean_failure(result, 2)
    assert f"'{option[2:]}'" in line and value in line


def test_search_on_a_missing_index_builds_it_first(corpus: Path) -> None:
    """Searching with no index yet (and no --index) indexes the content, then answers."""
    result = run("search", "télétravail", "--json", "--content", corpus)
    assert result.exit_code == 0, result.output
    # the English note on remote work answers too, below the French text (bilingual terms)
    assert ids(json.loads(result.stdout)) == [CIR23, NOT22]
    assert IndexStore(Path("index")).current() is not None


@pytest.mark.parametrize("kind", ["missing", "a folder of other files"])
def test_search_index_option_that_holds_no_index_says_so(
    corpus: Path, tmp_path: Path, kind: str
) -> None:
    """`--index DIR` where DIR holds no index is a usage error naming DIR and how to build
    one; nothing is written there."""
    folder = tmp_path / "elsewhere"
    if kind != "missing":
        folder.mkdir()
        (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("search", "télétravail", "--content", corpus, "--index", folder)
    line = assert_clean_failure(result, 2)
    assert f"{folder} holds no index" in line and "docrepo index --index" in line
    if kind == "missing":
        assert not folder.exists()
    else:
        assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_search_with_an_unknown_facet_code_warns_with_the_closest(
    indexed: tuple[Path, Path],
) -> None:
    """`--type circulaire` (a label, not a code) warns on stderr with the code meant, and
    the search still answers; a code with nothing close lists the known codes."""
    content, index = indexed
    where = ("--content", content, "--index", index)
    result = run("search", "--type", "circulaire", "--type", "circular", *where, "--json")
    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert "--type 'circulaire'" in warning and "did you mean circular?" in warning
    assert json.loads(result.stdout)["results"], "the known code still finds its documents"
    [warning] = run("search", "--theme", "zzz", *where).stderr.splitlines()
    assert warning.startswith("warning: --theme 'zzz'") and "telework" in warning
    assert run("search", "--type", "circular", *where).stderr == ""


@pytest.mark.parametrize(
    "query",
    [
        "*",
        "*a*",
        "abc~5",
        "body:[a TO z]",
        '"unclosed phrase',
        "- -- OR OR",
        "DEC24*",
        "x" * 5000,
        "\x00\u202e",
    ],
)
def test_search_never_fails_on_odd_queries(indexed: tuple[Path, Path], query: str) -> None:
    """Any query text gives an answer (exit 0), never a traceback."""
    content, index = indexed
    result = run("search", "--json", "--content", content, "--index", index, "--", query)
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert isinstance(json.loads(result.stdout)["total"], int)


# --------------------------------------------------------------------------- bad inputs


def test_missing_content_directory_is_a_one_line_usage_error(tmp_path: Path) -> None:
    """A content directory that does not exist exits 2 with one error naming it."""
    missing = tmp_path / "nope"
    for command in ("index", "search"):
        result = run(command, "--content", missing, "--index", tmp_path / "index")
        assert str(missing) in assert_clean_failure(result, 2)


def test_content_directory_that_is_a_file_fails_cleanly(tmp_path: Path) -> None:
    """A content path that is a file exits non-zero with one error line."""
    a_file = tmp_path / "content.txt"
    a_file.write_text("not a directory", "utf-8")
    result = run("index", "--content", a_file, "--index", tmp_path / "index")
    assert str(a_file) in assert_clean_failure(result)


@pytest.mark.parametrize("command", ["index", "search"])
def test_index_directory_that_is_a_file_fails_cleanly(
    corpus: Path, tmp_path: Path, command: str
) -> None:
    """An index path that is a file exits non-zero with one error line, no traceback."""
    a_file = tmp_path / "index.txt"
    a_file.write_text("not a directory", "utf-8")
    result = run(command, "--content", corpus, "--index", a_file)
    assert str(a_file) in assert_clean_failure(result)


def test_unreadable_content_directory_fails_and_keeps_the_index(
    indexed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A content directory that cannot be listed is an error, not 'every document deleted'."""
    content, index = indexed
    real_scandir = os.scandir

    def denied(path: Any = ".") -> Any:
        if Path(path) == content:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    # as root, chmod 000 does not stop reading: make the listing fail instead
    monkeypatch.setattr(os, "scandir", denied)
    result = run("index", "--content", content, "--index", index)
    monkeypatch.undo()
    assert_clean_failure(result)
    assert set(ids(search_json(content, index, "budget"))) == ALL


def test_broken_taxonomy_problems_are_one_per_line(corpus: Path, tmp_path: Path) -> None:
    """Every line on stderr is one PATH:LINE: level: message, even for a YAML error."""
    (corpus / "taxonomy.yml").write_text("types: [\n  decision: {fr: x\n", "utf-8")
    result = run("index", "--content", corpus, "--index", tmp_path / "index")
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert any(line.startswith("taxonomy.yml:") for line in lines), lines
    assert all(PROBLEM.match(line) for line in lines), lines


def test_search_on_a_damaged_index_does_not_print_a_traceback(
    indexed: tuple[Path, Path],
) -> None:
    """A damaged index either answers or fails with one error line; no traceback escapes."""
    content, index = indexed
    generation = IndexStore(index).current()
    assert generation is not None
    for segment in generation.path.glob("*.drp"):
        segment.write_bytes(segment.read_bytes()[:10])
    # Whoosh leaves the truncated file open when it fails to read it; the garbage
    # collector closes it and warns: only that warning, about that generation, is let go.
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", f"unclosed file .*{re.escape(str(generation.path))}", ResourceWarning
        )
        result = run("search", "budget", "--content", content, "--index", index)
        code, stdout, stderr = result.exit_code, result.stdout, result.stderr
        uncaught = None if isinstance(result.exception, SystemExit) else repr(result.exception)
        del result
        gc.collect()
    assert uncaught in (None, "None"), f"uncaught {uncaught}"
    assert "Traceback" not in stdout + stderr
    if code == 0:
        assert stdout.startswith("5 documents")
    else:
        assert len([ln for ln in stderr.splitlines() if ln.startswith("Error: ")]) == 1, stderr


def _docrepo(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "docrepo"), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=REPO)


def test_the_real_command_never_prints_a_traceback(corpus: Path, tmp_path: Path) -> None:
    """Run as a process, bad inputs give non-zero exits and one-line errors, no traceback."""
    a_file = tmp_path / "index.txt"
    a_file.write_text("x", "utf-8")
    cases: list[Sequence[str | Path]] = [
        ("index", "--content", tmp_path / "nope", "--index", tmp_path / "i1"),
        ("index", "--content", corpus, "--index", a_file),
        ("search", "x", "--from", "demain", "--content", corpus, "--index", tmp_path / "i2"),
    ]
    for args in cases:
        done = _docrepo(*args)
        assert done.returncode != 0, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, (args, done.stderr)
        assert len([ln for ln in done.stderr.splitlines() if "rror" in ln]) == 1, done.stderr


def test_search_says_what_it_corrected_widened_and_completed(indexed: tuple[Path, Path]) -> None:
    """The terminal names the correction (and `--no-spell` searches as typed), says when
    the search widened and what each result lacks, and `--prefix last` completes."""
    content, index = indexed
    corrected = run("search", "bugdet", "--content", content, "--index", index)
    assert corrected.exit_code == 0, corrected.output
    assert corrected.stdout.startswith("5 documents for budget")
    exact = run("search", "bugdet", "--no-spell", "--content", content, "--index", index)
    assert exact.stdout.startswith("0 documents")
    widened = run("search", "budget", "zzzwordzzz", "--content", content, "--index", index)
    assert "few documents hold every word" in widened.stdout
    assert "missing: zzzwordzzz" in widened.stdout
    assert search_json(content, index, "budg", "--prefix", "last")["total"] == 5
    assert search_json(content, index, "budg")["total"] == 0


def test_a_file_name_that_is_not_utf8_is_a_problem_of_that_path(
    corpus: Path, tmp_path: Path
) -> None:
    """`check` and `index` name the file with its bytes escaped, exit 1, and index every
    other document; a search still works."""
    (corpus / "pages").mkdir(exist_ok=True)
    bad = os.fsencode(corpus / "pages") + b"/bad\xff.md"
    with open(bad, "wb") as f:
        f.write(b"---\ntitle: x\ntype: page\n---\n\nx\n")
    check = run("check", "--content", corpus)
    assert check.exit_code == 1
    assert "pages/bad\\xff.md:1: error: the file name is not valid UTF-8" in check.stderr
    assert "Traceback" not in check.output
    index = tmp_path / "index"
    result = run("index", "--content", corpus, "--index", index)
    assert result.exit_code == 1, result.output
    assert "pages/bad\\xff.md:1: error:" in result.stderr
    assert set(ids(search_json(corpus, index, "budget"))) == ALL
    again = run("index", "--content", corpus, "--index", index)  # reported every time
    assert "pages/bad\\xff.md:1: error:" in again.stderr


def test_an_unreadable_folder_is_a_problem_and_keeps_its_documents(
    indexed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder that cannot be listed is an error of that folder; the others are indexed
    and the documents under it stay as they were last indexed."""
    content, index = indexed
    folder = next(p.parent for p in sorted(content.rglob("*.md")) if p.parent != content)
    under = {p.relative_to(content).with_suffix("").as_posix() for p in folder.glob("*.md")}
    (content / "nouveau.md").write_text(front_matter("Un budget de plus."), "utf-8")
    real_scandir = os.scandir

    def denied(path: Any = ".") -> Any:
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", denied)
    result = run("index", "--content", content, "--index", index)
    checked = run("check", "--content", content)
    monkeypatch.undo()
    relative = folder.relative_to(content).as_posix()
    assert result.exit_code == 1, result.output
    assert f"{relative}/:1: error: cannot read the folder (Permission denied)" in result.stderr
    assert f"{relative}/:1: error: cannot read the folder" in checked.stderr
    found = set(ids(search_json(content, index, "budget")))
    assert found >= under | {"nouveau"}
