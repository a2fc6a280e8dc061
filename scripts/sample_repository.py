"""Build the sample content as a git repository of its own, with its editors' story.

    python scripts/sample_repository.py sample && docrepo serve --content sample

`content/` is the sample as it is today, kept in docrepo's own repository, where the
project's development commits touch it too. Served from there, its history would show
them. This script writes the sample into DEST, a new repository whose commits are the
sample's editors' only: each text published on its `published` day (else its `date`;
the undated pages, vocabularies and synonyms in a first commit), by the editor of its
issuer, and the edits of `scripts/sample_story/story.yml` in their place. The last
commit's files are `content/`'s, byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pygit2
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
STORY = ROOT / "scripts" / "sample_story"
PARIS = ZoneInfo("Europe/Paris")
#: who publishes the texts of each issuer (the others: the documentation unit's editor)
EDITORS = {"DAJ": "Karim Benali", "DRH": "Julien Moreau", "DSFIM": "Claire Martin"}
DOCUMENTALIST = "Sophie Lefèvre"
KINDS = {
    "decision": "la décision",
    "circular": "la circulaire",
    "instruction": "l'instruction",
    "note": "la note",
}


@dataclass(frozen=True)
class Step:
    """One commit of the story: when, who, the message, the files it writes (path →
    bytes)."""

    when: dt.datetime
    who: str
    message: str
    files: dict[str, bytes]


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8-sig")
    found = (
        yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---"))
        if text.startswith("---")
        else None
    )
    return found if isinstance(found, dict) else {}


def publication(path: str, fields: dict[str, object]) -> tuple[dt.date | None, str, str]:
    """The day a document was published, by whom, and what they wrote."""
    day = fields.get("published") or fields.get("date")
    who = EDITORS.get(str(fields.get("issuer")), DOCUMENTALIST)
    reference, title = fields.get("reference"), fields.get("title", path)
    if fields.get("status") == "draft":
        message = f"Version de travail : {title}"
    elif fields.get("translation_of"):
        language = "anglaise" if fields.get("lang") == "en" else "française"
        message = f"Version {language} : {title}"
    elif reference:
        message = f"Publication de {KINDS.get(str(fields.get('type')), 'la')} {reference}"
    else:
        message = f"Publication : {title}"
    return (day if isinstance(day, dt.date) else None), who, message


def steps() -> list[Step]:
    """The commits of the sample's story, oldest first."""
    story = yaml.safe_load((STORY / "story.yml").read_text(encoding="utf-8"))
    told = {name for step in story for name in step["files"]}
    edits = [
        Step(
            step["when"],
            step["who"],
            step["message"],
            {
                name: (STORY / step["when"].date().isoformat() / name).read_bytes()
                if (STORY / step["when"].date().isoformat() / name).is_file()
                else (CONTENT / name).read_bytes()
                for name in step["files"]
            },
        )
        for step in story
    ]
    undated: dict[str, bytes] = {}
    published: list[Step] = []
    files = sorted(p for p in CONTENT.rglob("*") if p.is_file())
    attached = attachments(files)
    for path in files:
        name = path.relative_to(CONTENT).as_posix()
        if name in told or (name in attached and attached[name] not in told):
            continue  # told by the story, or published with the document it is attached to
        day, who, message = (
            publication(name, front_matter(path)) if path.suffix == ".md" else (None, "", "")
        )
        with_it = {a: (CONTENT / a).read_bytes() for a, doc in attached.items() if doc == name}
        if day is None:
            undated |= {name: path.read_bytes(), **with_it}
        else:
            when = dt.datetime.combine(day, dt.time(10), PARIS)
            published.append(Step(when, who, message, {name: path.read_bytes(), **with_it}))
    ordered = sorted([*published, *edits], key=lambda step: step.when)
    first = ordered[0].when - dt.timedelta(days=1)
    setup = "Mise en place du référentiel : vocabulaires, synonymes et pages de l'organisation"
    return [Step(first, DOCUMENTALIST, setup, undated), *ordered]


def attachments(files: list[Path]) -> dict[str, str]:
    """The files attached to documents (scripts/sample_attachments.py makes them): their
    path → the path of the document that declares them."""
    found: dict[str, str] = {}
    for path in files:
        if path.suffix == ".md":
            for entry in front_matter(path).get("attachments") or []:
                file = entry["file"] if isinstance(entry, dict) else entry
                attached = (path.parent / str(file)).relative_to(CONTENT).as_posix()
                found[attached] = path.relative_to(CONTENT).as_posix()
    return found


def email(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", ".") + "@example.org"


def build(dest: Path) -> int:
    """Write the sample's repository into `dest` (a new directory); how many commits."""
    repo = pygit2.init_repository(str(dest), initial_head="main")
    parents: list[pygit2.Oid] = []
    story = steps()
    for step in story:
        for name, data in step.files.items():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_bytes(data)
            repo.index.add(name)
        repo.index.write()
        offset = step.when.utcoffset() or dt.timedelta()
        who = pygit2.Signature(
            step.who, email(step.who), int(step.when.timestamp()), int(offset.total_seconds() // 60)
        )
        tree = repo.index.write_tree()
        parents = [repo.create_commit("HEAD", who, who, step.message, tree, parents)]
    return len(story)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path, help="the directory to create (e.g. sample)")
    parser.add_argument(
        "--force", action="store_true", help="replace DEST when it exists (its files are lost)"
    )
    args = parser.parse_args()
    dest: Path = args.dest
    if not args.force and (dest / ".git").is_dir() and (dest / "taxonomy.yml").is_file():
        # run again (the Quick start's line, a second time): the sample and the commits
        # made in it since are kept
        print(f"{dest}: a content repository already, kept as it is (--force builds it again)")
        return 0
    if dest.exists() and any(dest.iterdir()):
        if not args.force:
            print(
                f"{dest} already exists and is not empty; choose another directory, or add "
                "--force to build it again (its files are lost)",
                file=sys.stderr,
            )
            return 2
        shutil.rmtree(dest)
    dest.mkdir(parents=True, exist_ok=True)
    count = build(dest)
    print(f"{dest}: the sample content, {count} commits by its editors")
    print(f"serve it with: docrepo serve --content {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
