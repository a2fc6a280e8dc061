"""The command line starts with what its command uses: `docrepo --help` imports neither the
web stack, git, NumPy nor Whoosh, and `docrepo check` nothing of the web or the index
(docs/performance.md, "The command line starts at once"). Checked in a fresh interpreter,
from `sys.modules`."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support.trees import MakeTree, doc

RUN = """
import sys
from docrepo.cli import main

HEAVY = ("starlette", "uvicorn", "jinja2", "docrepo.webapp", "pygit2", "numpy", "whoosh")
try:
    main(sys.argv[1:], prog_name="docrepo")
except SystemExit as exit:
    print("exit", exit.code, file=sys.stderr)
loaded = sorted(m for m in HEAVY if m in sys.modules)
print(" ".join(loaded) or "-")
"""


def heavy_modules_loaded(*args: str, cwd: Path) -> tuple[list[str], str]:
    """The heavy packages a fresh `docrepo ARGS` has imported once it is done, and its
    standard error."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(RUN), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )
    assert "Traceback" not in result.stderr, result.stderr
    last = result.stdout.splitlines()[-1]
    return ([] if last == "-" else last.split()), result.stderr


def test_help_imports_neither_the_web_git_numpy_nor_whoosh(tmp_path: Path) -> None:
    loaded, stderr = heavy_modules_loaded("--help", cwd=tmp_path)
    assert "exit 0" in stderr
    assert loaded == []


@pytest.mark.parametrize("command", ["check", "index", "search", "serve", "watch", "new"])
def test_each_commands_help_imports_neither_the_web_git_numpy_nor_whoosh(
    tmp_path: Path, command: str
) -> None:
    loaded, stderr = heavy_modules_loaded(command, "--help", cwd=tmp_path)
    assert "exit 0" in stderr
    assert loaded == []


def test_check_imports_nothing_of_the_web(tmp_path: Path, make_tree: MakeTree) -> None:
    content = make_tree({"notes/a.md": doc("Une note", "Le télétravail des agents.")})
    loaded, stderr = heavy_modules_loaded("check", "--content", str(content), cwd=tmp_path)
    assert "0 errors, 0 warnings" in stderr and "exit 0" in stderr
    assert not {"starlette", "uvicorn", "jinja2", "docrepo.webapp"} & set(loaded)
    assert not {"numpy", "whoosh"} & set(loaded)  # nor the index
