import pytest

from bot.documents.documents import DocumentError, load_folder, read_document


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n ", "the file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "the file is binary, not text"),
        ("latin1.txt", "Café au lait.".encode("latin-1"), "the file is not UTF-8 text (byte 0xe9 at offset 3)"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type '.docx'"),
    ],
)
def test_unreadable_documents_say_why(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        read_document(path, tmp_path)
    assert str(err.value) == reason


def test_folder_keeps_good_documents_and_reports_bad(tmp_path):
    (tmp_path / "good.txt").write_text("A fine sentence.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "notes.md").write_text("# Notes\n\nMore text.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00junk")
    (tmp_path / "ignored.bin").write_bytes(b"\x00")
    docs, problems = load_folder(tmp_path)
    assert [d.doc for d in docs] == ["good.txt", "sub/notes.md"]
    assert [d.kind for d in docs] == ["text", "markdown"]
    assert [(p.doc, p.reason) for p in problems] == [("bad.txt", "the file is binary, not text")]


def test_crlf_is_read_as_python_reads_text(tmp_path):
    (tmp_path / "win.txt").write_bytes(b"One line.\r\nTwo line.\r\n")
    doc = read_document(tmp_path / "win.txt", tmp_path)
    assert doc.text == (tmp_path / "win.txt").read_text(encoding="utf-8")
