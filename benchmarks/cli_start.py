"""How fast the command line starts (issue 29, point 5): `docrepo --help`, `docrepo check`
of a content folder holding one document, and a one-result `docrepo search` on the
sample's index, each a whole process timed from outside.

    .venv/bin/python -m benchmarks.cli_start [--runs N]

The targets are medians of 10 runs on a quiet machine: --help <= 150 ms, check and
search <= 300 ms. `python -X importtime -m docrepo ARGS` shows where a start goes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "content"
ONE_DOCUMENT = "decisions/2024/dec240187daj.md"


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The wall and CPU seconds (user + system) of one `docrepo ARGS` process."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "docrepo", *args], env=env, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each (default 10)")
    args = parser.parse_args()
    # bytecode as an installed docrepo has it (a shell may say not to write it)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one"
        (one / Path(ONE_DOCUMENT).parent).mkdir(parents=True)
        shutil.copy(SAMPLE / "taxonomy.yml", one / "taxonomy.yml")
        shutil.copy(SAMPLE / ONE_DOCUMENT, one / ONE_DOCUMENT)
        index = Path(tmp) / "index"
        place = ["--content", str(SAMPLE), "--index", str(index)]
        subprocess.run([sys.executable, "-m", "docrepo", "index", *place], env=env,
                       check=True, capture_output=True)  # fmt: skip
        commands = {
            "docrepo --help": ["--help"],
            "docrepo check (one document)": ["check", "--content", str(one)],
            "docrepo search --limit 1": ["search", *place, "--limit", "1", "télétravail"],
        }
        print("| command | wall, median (min–max) | CPU, median | target |")
        print("|---|---|---|---|")
        targets = {"docrepo --help": "≤ 150 ms"}
        for name, command in commands.items():
            run(command, env)  # warm-up: bytecode written, files in the page cache
            timed = [run(command, env) for _ in range(args.runs)]
            walls = [w * 1000 for w, _ in timed]
            cpus = [c * 1000 for _, c in timed]
            print(f"| {name} | {statistics.median(walls):.0f} ms ({min(walls):.0f}–"
                  f"{max(walls):.0f}) | {statistics.median(cpus):.0f} ms | "
                  f"{targets.get(name, '≤ 300 ms')} |")  # fmt: skip


if __name__ == "__main__":
    main()
