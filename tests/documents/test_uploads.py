import errno

import pytest

from bot.documents.uploads import UploadError, safe_name, save_upload


@pytest.mark.parametrize(
    ("name", "expected"),
    [("report.txt", "report.txt"), ("../../etc/passwd.txt", "passwd.txt"), ("C:\\x\\notes.md", "notes.md"),
     ("<img onerror=1>.txt", "_img onerror_1_.txt"), (".hidden.txt", "hidden.txt")],
)
def test_safe_name(name, expected):
    assert safe_name(name) == expected


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.exe", b"MZ", "a.exe: unsupported file type; use one of .htm, .html, .markdown, .md, .pdf, .txt"),
        ("a.txt", b"\x00\x01\x02binary", "a.txt: the file is binary, not text"),
        ("a.pdf", b"hello", "a.pdf: the file is not a PDF (it does not start with %PDF-)"),
        ("a.html", b"just words, no tags", "a.html: the file is not HTML (no HTML tags found)"),
        ("a.txt", b"x" * 2048, "a.txt: the file is larger than 0 MiB"),
        ("..", b"text", "the file has no usable name"),
    ],
)
def test_rejected_uploads_say_why(tmp_path, name, data, message):
    with pytest.raises(UploadError) as err:
        save_upload(data, name, tmp_path, max_bytes=1024)
    assert str(err.value) == message
    assert list(tmp_path.iterdir()) == []


def test_upload_lands_inside_the_source_folder(tmp_path):
    path = save_upload(b"The moon is made of rock.", "../../outside.txt", tmp_path / "src")
    assert path == (tmp_path / "src" / "outside.txt").resolve()
    assert path.read_bytes() == b"The moon is made of rock."
    assert not (tmp_path / "outside.txt").exists()


def test_an_upload_the_disk_cannot_hold_loses_nothing(tmp_path, monkeypatch):
    source = tmp_path / "src"
    save_upload(b"The moon is made of rock.", "moon.txt", source)

    def full(*_):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("bot.documents.uploads.os.replace", full)
    with pytest.raises(UploadError, match=r"^moon.txt: could not be saved \(No space left on device\)$"):
        save_upload(b"The moon is made of cheese.", "moon.txt", source)
    assert [p.name for p in source.iterdir()] == ["moon.txt"]
    assert (source / "moon.txt").read_bytes() == b"The moon is made of rock."
