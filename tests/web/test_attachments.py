"""Attached files through HTTP: found as their document, said where (`attachment` of a
result), listed by /api/doc and the page, served at /doc/{id}/files/{name} with the
document's access (issue 26)."""

from __future__ import annotations

import hashlib
from email.utils import parsedate_to_datetime

import pytest

from support.attachment_files import pdf, word
from support.dom import parse_html
from support.trees import SAMPLE_CONTENT, front_matter
from support.web import MakeClient, TestClient

pytest_plugins = ["support.web"]

ANNEX = "cir230008dsfim-annexe-1-baremes.pdf"
ANNEX_PATH = SAMPLE_CONTENT / "circulars/2023" / ANNEX
CIRCULAR = "/doc/circulars/2023/cir230008dsfim"


def test_a_word_only_in_an_annex_finds_its_document_at_the_page(client: TestClient) -> None:
    """'péage' is written on page 3 of the annex of rates of CIR230008DSFIM only (read in
    the PDF): the result is the circular, its snippet from the annex, opened at page 3."""
    found = client.get("/api/search", params={"q": "reçus de péage"}).json()
    first = found["results"][0]
    assert first["id"] == "circulars/2023/cir230008dsfim"
    assert first["attachment"] == {
        "name": ANNEX,
        "title": "Annexe 1 — barèmes des frais de déplacement",
        "url": f"{CIRCULAR}/files/{ANNEX}#page=3",
        "page": 3,
    }
    assert "<mark>péage</mark>" in first["snippet"]
    assert first["section"] is None


def test_a_result_found_in_its_own_text_says_no_attachment(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "politique voyages"}).json()
    first = found["results"][0]
    assert first["id"] == "circulars/2023/cir230008dsfim"
    assert first["attachment"] is None


def test_the_api_and_the_page_list_a_documents_attachments(client: TestClient) -> None:
    data = client.get(f"/api{CIRCULAR}").json()
    assert data["attachments"] == [{
        "name": ANNEX,
        "title": "Annexe 1 — barèmes des frais de déplacement",
        "url": f"{CIRCULAR}/files/{ANNEX}",
        "kind": "pdf",
        "size": ANNEX_PATH.stat().st_size,
        "pages": 3,
        "lang": "fr",
    }]  # fmt: skip
    page = parse_html(client.get(CIRCULAR, headers={"Accept-Language": "en"}).text)
    listed = page.find(cls="attachments").find_all("li")
    assert len(listed) == 1
    link = listed[0].find("a")
    assert link.attrs.get("href") == f"{CIRCULAR}/files/{ANNEX}"
    assert "Annexe 1 — barèmes des frais de déplacement" in listed[0].text
    assert "PDF" in listed[0].text and "3 pages" in listed[0].text


def test_the_file_is_served_inline_with_its_validators(client: TestClient) -> None:
    response = client.get(f"{CIRCULAR}/files/{ANNEX}")
    assert response.status_code == 200
    assert response.content == ANNEX_PATH.read_bytes()
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'inline; filename="{ANNEX}"'
    assert response.headers["etag"]
    modified = parsedate_to_datetime(response.headers["last-modified"])
    assert int(modified.timestamp()) == int(ANNEX_PATH.stat().st_mtime)
    assert response.headers["cache-control"].startswith("private")
    assert response.headers["accept-ranges"] == "bytes"


def test_a_range_of_the_file_is_served_alone(client: TestClient) -> None:
    data = ANNEX_PATH.read_bytes()
    response = client.get(f"{CIRCULAR}/files/{ANNEX}", headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert response.content == data[100:200]
    assert response.headers["content-range"] == f"bytes 100-199/{len(data)}"


@pytest.mark.parametrize(
    "name",
    [
        "annexe.pdf",  # no such attachment
        "cir230008dsfim.md",  # the document's own file, beside it
        "cir230035dgds.md",  # another file of the folder
        "..%2F..%2Ftaxonomy.yml",
        "..%2f2023%2f" + ANNEX,
        "%2E%2E",
    ],
)
def test_a_name_the_document_does_not_attach_is_a_404(client: TestClient, name: str) -> None:
    response = client.get(f"{CIRCULAR}/files/{name}")
    assert response.status_code == 404
    assert b"PDF" not in response.content[:8]


def test_another_documents_attachment_is_not_served_under_this_one(client: TestClient) -> None:
    response = client.get(f"/doc/decisions/2024/dec240187daj/files/{ANNEX}")
    assert response.status_code == 404


SECRET = pdf("Le mot de passe du coffre est pamplemousse.")


def test_a_viewer_who_may_not_see_the_document_gets_a_404(make_client: MakeClient) -> None:
    tree = make_client(
        {
            "notes/coffre.md": front_matter(
                title="Note interne", type="page", access=["direction"],
                attachments=["coffre.pdf"],
            ),
            "notes/coffre.pdf": SECRET,
        },
        client_host="127.0.0.1",
        trusted_proxies=["127.0.0.1"],
    )  # fmt: skip
    url = "/doc/notes/coffre/files/coffre.pdf"
    assert tree.client.get(url).status_code == 404
    outsider = {"X-Remote-User": "bob", "X-Remote-Groups": "other"}
    assert tree.client.get(url, headers=outsider).status_code == 404
    found = tree.client.get("/api/search", params={"q": "pamplemousse"}).json()
    assert found["total"] == 0
    member = {"X-Remote-User": "ann", "X-Remote-Groups": "direction"}
    response = tree.client.get(url, headers=member)
    assert response.status_code == 200 and response.content == SECRET
    found = tree.client.get("/api/search", params={"q": "pamplemousse"}, headers=member).json()
    assert [r["id"] for r in found["results"]] == ["notes/coffre"]
    assert found["results"][0]["attachment"]["url"] == f"{url}#page=1"


def test_a_file_made_a_link_outside_since_indexing_is_not_served(
    make_client: MakeClient, tmp_path: pytest.TempPathFactory
) -> None:
    tree = make_client({
        "a.md": front_matter(title="Note", type="page", attachments=["a.pdf"]),
        "a.pdf": pdf("Texte."),
    })  # fmt: skip
    outside = tree.content.parent / "outside.pdf"
    outside.write_bytes(pdf("Secret."))
    (tree.content / "a.pdf").unlink()
    (tree.content / "a.pdf").symlink_to(outside)
    assert tree.client.get("/doc/a/files/a.pdf").status_code == 404


def test_a_word_file_is_found_without_a_page(make_client: MakeClient) -> None:
    form = word("Demande", ["Cochez la case tamarinier."], [["Nom", ""]], "Signature.")
    tree = make_client({
        "form.md": front_matter(
            title="Formulaire", type="form",
            attachments=[{"file": "form.docx", "title": "Formulaire à remplir"}],
        ),
        "form.docx": form,
    })  # fmt: skip
    first = tree.client.get("/api/search", params={"q": "tamarinier"}).json()["results"][0]
    assert first["attachment"] == {
        "name": "form.docx", "title": "Formulaire à remplir",
        "url": "/doc/form/files/form.docx", "page": None,
    }  # fmt: skip
    response = tree.client.get("/doc/form/files/form.docx")
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert hashlib.sha256(response.content).digest() == hashlib.sha256(form).digest()


def test_an_attachment_problem_leaves_the_document_valid_and_searchable(
    make_client: MakeClient,
) -> None:
    tree = make_client({
        "a.md": front_matter(
            title="Note sur les bananes", type="page", attachments=["absent.pdf", "b.pdf"],
        ),
        "b.pdf": pdf("Le texte parle de kumquats."),
    })  # fmt: skip
    health = tree.client.get("/healthz").json()
    assert health["invalid"] == 0
    ids = [r["id"] for r in tree.client.get("/api/search?q=kumquats").json()["results"]]
    assert ids == ["a"]
    ids = [r["id"] for r in tree.client.get("/api/search?q=bananes").json()["results"]]
    assert ids == ["a"]
    problems = tree.client.get("/problems", headers={"Accept-Language": "en"}).text
    assert "absent.pdf" in problems and "no such file" in problems
    problems = tree.client.get("/problems", headers={"Accept-Language": "fr"}).text
    assert "absent.pdf" in problems
    assert tree.client.get("/doc/a/files/absent.pdf").status_code == 404
