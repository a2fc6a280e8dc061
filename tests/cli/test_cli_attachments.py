"""`docrepo check` on documents with attachments: every problem of a file attached is one
line on the document's `attachments` line, in English and in French; the rest of the
document stays as it is (no other problem)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docrepo.cli import main
from support import attachment_files as files
from support.trees import MakeTree, front_matter

#: a note whose `attachments:` field is on line 4 (after ---, title, type)
LINE = 4


@pytest.fixture(autouse=True)
def _work_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def check(content: Path, *options: str, lang: str = "en") -> Result:
    env = {"LANG": "fr_FR.UTF-8"} if lang == "fr" else {}
    return CliRunner().invoke(main, ["check", "--content", str(content), *options], env=env)


def note(attachments: str) -> str:
    return f"---\ntitle: Note\ntype: page\nattachments: {attachments}\n---\n\nTexte de la note.\n"


def problems(r: Result) -> list[str]:
    return [line for line in r.stderr.splitlines() if line.startswith("notes/")]


GOOD_PDF = files.pdf("Barème des nuitées", "Deuxième page", table=[["Ville", "Nuitée"]])

CASES = {
    "shape": (
        {"notes/n.md": note("[{title: Annexe}]")},
        "error: field 'attachments': an attachment without 'file'; expected e.g. "
        "{file: annexe-1.pdf, title: Annexe 1}",
        "error: champ 'attachments' : une pièce jointe sans 'file' ; attendu par exemple "
        "{file: annexe-1.pdf, title: Annexe 1}",
    ),
    "unknown-key": (
        {"notes/n.md": note("[{fille: a.pdf}]")},
        "error: field 'attachments': 'fille' is not a key of an attachment (did you mean "
        "'file'?); expected file, title and lang",
        "error: champ 'attachments' : 'fille' n'est pas une clé de pièce jointe (vouliez-vous "
        "dire 'file' ?) ; attendu file, title et lang",
    ),
    "missing": (
        {"notes/n.md": note("[anexe.pdf]"), "notes/annexe.pdf": GOOD_PDF},
        "error: attachment 'anexe.pdf': there is no such file beside the document (did you "
        "mean 'annexe.pdf'?)",
        "error: pièce jointe 'anexe.pdf' : ce fichier n'existe pas à côté du document "
        "(vouliez-vous dire 'annexe.pdf' ?)",
    ),
    "parent": (
        {"notes/n.md": note("[../../secret.pdf]")},
        "error: attachment '../../secret.pdf': the path leaves the content directory; attach "
        "a file inside it, e.g. beside the document",
        "error: pièce jointe '../../secret.pdf' : le chemin sort du dossier du contenu ; "
        "joignez un fichier qui s'y trouve, par exemple à côté du document",
    ),
    "absolute": (
        {"notes/n.md": note("[/etc/hostname]")},
        "error: attachment '/etc/hostname': an absolute path leaves the content directory; "
        "write the path from the document's folder, e.g. 'hostname' for a file beside it",
        "error: pièce jointe '/etc/hostname' : un chemin absolu sort du dossier du contenu ; "
        "écrivez le chemin depuis le dossier du document, par exemple 'hostname' pour un "
        "fichier à côté de lui",
    ),
    "duplicate": (
        {
            "notes/n.md": note("[annexe.pdf, autres/annexe.pdf]"),
            "notes/annexe.pdf": GOOD_PDF,
            "notes/autres/annexe.pdf": GOOD_PDF,
        },
        "error: attachment 'annexe.pdf': another attachment has the same file name "
        "(annexe.pdf); each is served as /doc/…/files/annexe.pdf: rename one of them",
        "error: pièce jointe 'annexe.pdf' : une autre pièce jointe porte le même nom de fichier "
        "(annexe.pdf) ; chacune est servie à /doc/…/files/annexe.pdf : renommez l'une d'elles",
    ),
    "encrypted": (
        {"notes/n.md": note("[signe.pdf]"), "notes/signe.pdf": files.encrypted(GOOD_PDF)},
        "error: attachment 'signe.pdf': the PDF is protected by a password, so its text "
        "cannot be read; attach a copy without a password",
        "error: pièce jointe 'signe.pdf' : le PDF est protégé par un mot de passe, son texte "
        "ne peut donc pas être lu ; joignez-en une copie sans mot de passe",
    ),
    "truncated": (
        {
            "notes/n.md": note("[annexe.docx]"),
            "notes/annexe.docx": files.word("Titre", ["Texte"], [["a", "b"]], "Fin")[:3000],
        },
        "error: attachment 'annexe.docx': the file is damaged or is not a DOCX file (File is "
        "not a zip file); export or save it again",
        "error: pièce jointe 'annexe.docx' : le fichier est endommagé ou n'est pas un fichier "
        "DOCX (File is not a zip file) ; exportez-le ou enregistrez-le à nouveau",
    ),  # fmt: skip
    "scan": (
        {"notes/n.md": note("[scan.pdf]"), "notes/scan.pdf": files.scan()},
        "warning: attachment 'scan.pdf': the PDF has no text layer (a scan?): it is served "
        "but its text is not searchable; attach a PDF with text, e.g. after character "
        "recognition (OCR)",
        "warning: pièce jointe 'scan.pdf' : le PDF n'a pas de couche de texte (un scan ?) : "
        "il est servi mais son texte n'est pas cherchable ; joignez un PDF avec du texte, par "
        "exemple après reconnaissance de caractères (OCR)",
    ),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("case", list(CASES))
def test_each_problem_is_one_line_on_the_attachments_line(
    make_tree: MakeTree, case: str, lang: str
) -> None:
    """Each problem of an attachment is said once, on the `attachments` line, in the
    locale's language, and nothing else of the document is a problem."""
    tree, english, french = CASES[case]
    content = make_tree(tree)
    r = check(content, lang=lang)
    expected = english if lang == "en" else french
    assert problems(r) == [f"notes/n.md:{LINE}: {expected}"], r.stderr
    assert r.exit_code == (0 if expected.startswith("warning") else 1), r.output


def test_the_line_is_that_of_the_field_in_a_block_list(make_tree: MakeTree) -> None:
    """In a block list, a problem of its third item is still on the `attachments:` line."""
    text = front_matter(title="Note", type="page").replace(
        "type: page\n", "type: page\nsummary: Résumé.\nattachments:\n  - a.pdf\n  - b.pdf\n"
        "  - tableau.xlsx\n"
    )  # fmt: skip
    content = make_tree({"notes/n.md": text, "notes/a.pdf": GOOD_PDF, "notes/b.pdf": GOOD_PDF})
    r = check(content)
    assert problems(r) == [
        "notes/n.md:5: error: attachment 'tableau.xlsx': there is no such file beside the document"
    ]


def test_a_symbolic_link_out_of_the_content_directory_is_refused(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """A link inside the content directory to a file outside it is not served."""
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(GOOD_PDF)
    content = make_tree({"notes/n.md": note("[annexe.pdf]")})
    os.symlink(outside, content / "notes" / "annexe.pdf")
    r = check(content)
    assert problems(r) == [
        "notes/n.md:4: error: attachment 'annexe.pdf': a symbolic link to a file outside the "
        "content directory; copy the file into the content directory instead"
    ]


def test_a_file_over_attachment_max_mb(make_tree: MakeTree) -> None:
    """A file over the setting (here 1 MB, by option) is refused, with its size."""
    big = files.pdf("Annexe") + b"%" + bytes(1_600_000)  # a comment after %%EOF
    content = make_tree({"notes/n.md": note("[annexe.pdf]"), "notes/annexe.pdf": big})
    r = check(content, "--attachment-max-mb", "1")
    assert problems(r) == [
        "notes/n.md:4: error: attachment 'annexe.pdf': the file is 1.5 MB, over the limit of "
        "1 MB (setting attachment_max_mb); make it smaller, or raise the setting"
    ]
    assert check(content, "--attachment-max-mb", "2").exit_code == 0


def test_good_attachments_make_no_problem(make_tree: MakeTree) -> None:
    """A PDF, a DOCX, an ODT and a file of another kind, with titles and a language."""
    content = make_tree(
        {
            "notes/n.md": note(
                "[annexe.pdf, {file: formulaire.docx, title: Formulaire}, "
                "{file: forms/form.odt, title: Form, lang: en}, tableau.csv]"
            ),
            "notes/annexe.pdf": GOOD_PDF,
            "notes/formulaire.docx": files.word("Demande", ["Nom"], [["a", "b"]], "Fin"),
            "notes/forms/form.odt": files.odt("Request", ["Name"], [["a", "b"]], "End"),
            "notes/tableau.csv": "ville;nuitée\nParis;110\n",
        }
    )
    r = check(content)
    assert r.exit_code == 0, r.output
    assert problems(r) == []
    assert "0 errors, 0 warnings" in r.stderr


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_zip_bomb_is_refused_with_its_figures(make_tree: MakeTree, lang: str) -> None:
    """An ODT holding 100 MB of zeros packed small is refused before it is parsed; the
    message gives what it would unpack to, and how many times its size that is."""
    bomb = files.zip_bomb(files.odt("T", ["P"], [["a"]], "F"), megabytes=100)
    content = make_tree({"notes/n.md": note("[formulaire.odt]"), "notes/formulaire.odt": bomb})
    ratio = round(100 * 1024 * 1024 / len(bomb))  # the ODT's own members are a few KB
    assert ratio > 100
    expected = {
        "en": f"error: attachment 'formulaire.odt': the file would unpack to 100 MB, {ratio} "
        "times its size: refused as a zip bomb; save it again from its editor",
        "fr": f"error: pièce jointe 'formulaire.odt' : le fichier se décompresserait en 100 Mo, "
        f"{ratio} fois sa taille : refusé comme bombe de décompression ; enregistrez-le à "
        "nouveau depuis son éditeur",
    }[lang]
    assert problems(check(content, lang=lang)) == [f"notes/n.md:{LINE}: {expected}"]


def test_attachment_max_mb_must_be_a_number_of_megabytes(make_tree: MakeTree) -> None:
    """A wrong setting is a usage error naming it, the value and what is expected."""
    content = make_tree({"notes/n.md": note("[]")})
    r = check(content, "--attachment-max-mb", "beaucoup")
    assert r.exit_code == 2, r.output
    assert (
        "setting 'attachment_max_mb': 'beaucoup' is not a size in MB; expected a whole number "
        "of at least 1, e.g. 50" in r.stderr
    )


def test_the_sample_checks_clean_with_its_attachments() -> None:
    """The sample declares seven attachments (PDF, DOCX, ODT, one in English) and checks
    with no problem at all."""
    from support.trees import SAMPLE_CONTENT

    declared = [p for p in SAMPLE_CONTENT.rglob("*.md") if "\nattachments:" in p.read_text("utf-8")]
    assert len(declared) == 7
    r = check(SAMPLE_CONTENT)
    assert r.exit_code == 0, r.output
    assert r.stderr.strip().splitlines()[-1] == "0 errors, 0 warnings"


def test_the_sample_attachments_are_what_their_generator_writes(tmp_path: Path) -> None:
    """Every attached file of the sample is the generator's output, byte for byte: their
    origin is scripts/sample_attachments.py."""
    import subprocess
    import sys

    from support.trees import REPO, SAMPLE_CONTENT

    script = REPO / "scripts" / "sample_attachments.py"
    subprocess.run([sys.executable, str(script), "--dest", str(tmp_path / "made")],
                   check=True, capture_output=True)  # fmt: skip
    made = {p.relative_to(tmp_path / "made"): p.read_bytes()
            for p in (tmp_path / "made").rglob("*") if p.is_file()}  # fmt: skip
    attached = {
        p.relative_to(SAMPLE_CONTENT): p.read_bytes()
        for p in SAMPLE_CONTENT.rglob("*")
        if p.suffix in (".pdf", ".docx", ".odt")
    }
    assert len(made) == 7
    assert made == attached


def test_index_and_search_say_the_attached_file_and_its_page(make_tree: MakeTree) -> None:
    """`docrepo index` reads the attached files (a problem of one is printed, the document
    not counted invalid); `docrepo search` says the file and page its snippet is from."""
    content = make_tree({
        "notes/n.md": note('[{file: annexe.pdf, title: "Annexe 2 — formulaire"}, absent.pdf]'),
        "notes/annexe.pdf": files.pdf("Première page.", "Le pamplemousse est rose."),
    })  # fmt: skip
    runner = CliRunner()
    where = ["--content", str(content), "--index", "index"]
    indexed = runner.invoke(main, ["index", *where, "--attachment-max-mb", "5"])
    assert indexed.exit_code == 1, indexed.output  # a problem: absent.pdf
    assert f"notes/n.md:{LINE}: error: attachment 'absent.pdf'" in indexed.stderr
    assert "1 added, 0 updated, 0 deleted, 0 invalid" in indexed.stdout
    found = runner.invoke(main, ["search", "pamplemousse", *where])
    assert found.exit_code == 0, found.output
    assert (
        "attached file: Annexe 2 — formulaire, p. 2 — /doc/notes/n/files/annexe.pdf#page=2"
        in found.stdout
    )
    french = runner.invoke(main, ["search", "pamplemousse", *where], env={"LANG": "fr_FR.UTF-8"})
    assert "pièce jointe : Annexe 2 — formulaire, p. 2" in french.stdout
