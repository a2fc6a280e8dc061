"""A generated git repository for the history benchmark: a corpus of documents in a
folder `content/` of a repository, then many commits that edit (and now and then rename)
one document each, as editors do over years.

    python -m benchmarks.history_repo --docs 10000 --commits 50000 --out /tmp/hist

The commits are written with `git fast-import` (one stream: 50,000 commits in about a
minute), then the work tree is checked out. The same arguments give the same history.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from corpus.generate import generate

EDITORS = [
    ("Claire Martin", "claire.martin@example.org"),
    ("Julien Moreau", "julien.moreau@example.org"),
    ("Sophie Lefèvre", "sophie.lefevre@example.org"),
    ("Karim Benali", "karim.benali@example.org"),
    ("Anne Dubois", "anne.dubois@example.org"),
]
MESSAGES = [
    "Correction d'une coquille",
    "Mise à jour des montants",
    "Précision sur le périmètre",
    "Ajout d'un paragraphe sur les modalités",
    "Reformulation après relecture juridique",
]
#: one commit in this many renames a document instead of editing it
RENAME_EVERY = 1000
FIRST_DATE = 1_420_070_400  # 2015-01-01
STEP_SECONDS = 3_600


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


def _commit(n: int, message: str, changes: list[bytes]) -> bytes:
    name, email = EDITORS[n % len(EDITORS)]
    when = FIRST_DATE + n * STEP_SECONDS
    head = (
        b"commit refs/heads/main\n"
        + f"author {name} <{email}> {when} +0100\n".encode()
        + f"committer {name} <{email}> {when} +0100\n".encode()
        + _data(message)
    )
    return head + b"".join(changes) + b"\n"


def generate_repository(out: Path, docs: int, commits: int, seed: int = 1) -> Path:
    """Write the repository into `out` (replaced); return its content directory."""
    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    generated = out.with_name(out.name + ".corpus")
    generate(generated, docs, seed, quiet=True)
    files = {
        "content/" + p.relative_to(generated).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(generated.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }
    shutil.rmtree(generated)
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    rng = random.Random(seed)
    documents = sorted(p for p in files if p.endswith(".md"))
    stream = [
        _commit(
            0,
            "Import initial des textes",
            [b"M 100644 inline " + p.encode() + b"\n" + _data(t) for p, t in files.items()],
        )
    ]
    for n in range(1, commits):
        index = rng.randrange(len(documents))
        path = documents[index]
        if n % RENAME_EVERY == 0:
            new = path[:-3] + f"-v{n}.md"
            documents[index] = new
            files[new] = files.pop(path)
            change = f"R {path} {new}\n".encode()
            stream.append(_commit(n, f"Renommage de {path}", [change]))
            continue
        files[path] += f"\nMise à jour n° {n} : {rng.choice(MESSAGES).lower()}.\n"
        change = b"M 100644 inline " + path.encode() + b"\n" + _data(files[path])
        stream.append(_commit(n, rng.choice(MESSAGES), [change]))
    subprocess.run(["git", "fast-import", "--quiet"], input=b"".join(stream), cwd=out, check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=out, check=True)
    print(
        f"{len(documents):,} documents, {commits:,} commits in {out} "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return out / "content"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    generate_repository(args.out, args.docs, args.commits, args.seed)


if __name__ == "__main__":
    main()
