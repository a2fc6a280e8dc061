"""`docrepo insights`: the report of the insights file in text, JSON and CSV, and the
synonyms proposed as lines of synonyms.yml."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from docrepo.cli import main as cli
from docrepo.insights import storage
from docrepo.insights.events import Opened, Search


def _file(tmp_path: Path) -> Path:
    """An insights file of today: 'ndf' failed thrice, each followed by 'frais de
    mission' opened at position 2; 'congés' searched twice, never opened."""
    path = tmp_path / "insights.sqlite"
    today = dt.date.today()
    db = storage.open_for_writing(path)
    searches = [Search(today, q, "page", n) for q, n in
                [("ndf", 0), ("frais de mission", 4)] * 3 + [("conges", 5)] * 2]  # fmt: skip
    opened = [(Opened(today, "frais de mission", "circ/mission", 2, "page", "ndf"), False)] * 3
    storage.write(db, searches, opened)
    db.close()
    return path


def test_text_json_csv_and_synonyms(tmp_path: Path) -> None:
    """Each format says the same figures; --synonyms prints the line to paste."""
    path = _file(tmp_path)
    run = CliRunner().invoke
    base = ["insights", "--insights", str(path), "--content", str(tmp_path)]
    data = json.loads(run(cli, [*base, "--format", "json"]).output)
    assert data["searches"] == 8 and data["no_results_rate"] == 0.375
    assert data["average_position"] == 2
    assert [r["query"] for r in data["unopened"]] == ["conges"]
    text = run(cli, base, env={"LANG": "fr_FR.UTF-8"})
    assert text.exit_code == 0, text.output
    assert "Requêtes qui n'ont rien trouvé" in text.output and "ndf" in text.output
    rows = run(cli, [*base, "--format", "csv"]).output.splitlines()
    assert "no_results,ndf,3,3,0" in rows and "document,circ/mission,,,3" in rows
    synonyms = run(cli, [*base, "--synonyms"])
    assert synonyms.output == "- [ndf, frais de mission]\n"


def test_bad_file_and_days_are_one_line(tmp_path: Path) -> None:
    """A damaged file, insights off, too many days: one line, no traceback."""
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"garbage " * 1000)
    run = CliRunner().invoke
    r = run(cli, ["insights", "--insights", str(damaged)])
    assert r.exit_code == 1 and "cannot be read" in r.output and "Traceback" not in r.output
    r = run(cli, ["insights", "--insights", "off"])
    assert r.exit_code == 2 and "off" in r.output
    r = run(cli, ["insights", "--insights", str(damaged), "--days", "400"])
    assert r.exit_code == 2 and "395" in r.output
    with sqlite3.connect(tmp_path / "empty.sqlite"):
        pass
    r = run(cli, ["insights", "--insights", str(tmp_path / "none.sqlite"), "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.output)["searches"] == 0
