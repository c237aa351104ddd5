"""Load stage: reading files within limits and expanding ZIP archives safely."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from app.core.errors import DocumentError
from app.core.types import RawFile
from app.settings import Settings
from ingest.load import MB, Failure, discover, expand_zip, read_file


def make_zip(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def limits(tmp_path: Path) -> Settings:
    """The documented defaults, stated explicitly so SME_* environment variables cannot move them."""
    return Settings(
        data_dir=tmp_path / "data",
        max_file_mb=50.0,
        zip_max_total_mb=200.0,
        zip_max_files=1000,
        zip_max_depth=2,
        zip_max_ratio=200.0,
    )


def _expand(data: bytes, settings: Settings, source: str = "a.zip") -> list[tuple[str, bytes, int] | Failure]:
    return [
        m if isinstance(m, Failure) else (m.source, m.data, m.depth)
        for m in expand_zip(RawFile(source, data), settings)
    ]


# --------------------------------------------------------------------------- expand_zip


def test_nested_zip_within_depth_limit_expands(limits: Settings) -> None:
    inner = make_zip({"y.md": b"# inner", "sub/z.csv": b"a,b\n1,2\n"})
    outer = make_zip({"dir/x.txt": b"hello", "inner.zip": inner, "dir/": b""})
    assert _expand(outer, limits) == [
        ("a.zip!/dir/x.txt", b"hello", 1),
        ("a.zip!/inner.zip!/y.md", b"# inner", 2),
        ("a.zip!/inner.zip!/sub/z.csv", b"a,b\n1,2\n", 2),
    ]


def test_member_extension_is_taken_from_the_member_name(limits: Settings) -> None:
    outer = make_zip({"inner.zip": make_zip({"y.md": b"# inner"}), "dir/x.TXT": b"x"})
    members = [m for m in expand_zip(RawFile("/data/a.zip", outer), limits) if isinstance(m, RawFile)]
    assert [(m.source, m.extension) for m in members] == [
        ("/data/a.zip!/inner.zip!/y.md", "md"),
        ("/data/a.zip!/dir/x.TXT", "txt"),
    ]


def test_zip_slip_names_are_sanitised(limits: Settings) -> None:
    outer = make_zip(
        {
            "../../etc/passwd": b"root",
            "/abs/x.txt": b"abs",
            "a/../../b.txt": b"b",
            "./c/./d.txt": b"d",
            "win\\..\\..\\e.txt": b"e",
        }
    )
    got = _expand(outer, limits)
    assert got == [
        ("a.zip!/etc/passwd", b"root", 1),
        ("a.zip!/abs/x.txt", b"abs", 1),
        ("a.zip!/a/b.txt", b"b", 1),
        ("a.zip!/c/d.txt", b"d", 1),
        ("a.zip!/win/e.txt", b"e", 1),
    ]
    for item in got:
        assert not isinstance(item, Failure)
        member = item[0].split("!/", 1)[1]
        assert ".." not in member.split("/")
        assert not member.startswith("/")
        assert "\\" not in member


def test_zip_drive_letters_are_dropped(limits: Settings) -> None:
    got = _expand(make_zip({"C:\\win\\evil.txt": b"w"}), limits)
    assert got == [("a.zip!/win/evil.txt", b"w", 1)]


def test_too_many_files_rejected(limits: Settings) -> None:
    settings = limits.model_copy(update={"zip_max_files": 3})
    data = make_zip({f"f{i}.txt": b"x" for i in range(4)})
    with pytest.raises(DocumentError, match=r"^archive holds 4 files, over the 3 limit$") as info:
        _expand(data, settings)
    assert info.value.status == "rejected"
    assert len(_expand(make_zip({f"f{i}.txt": b"x" for i in range(3)}), settings)) == 3  # at the limit: fine


def test_directories_do_not_count_as_files(limits: Settings) -> None:
    settings = limits.model_copy(update={"zip_max_files": 2})
    data = make_zip({"d1/": b"", "d2/": b"", "d1/a.txt": b"a", "d2/b.txt": b"b"})
    assert _expand(data, settings) == [("a.zip!/d1/a.txt", b"a", 1), ("a.zip!/d2/b.txt", b"b", 1)]


def test_total_size_over_limit_rejected(limits: Settings) -> None:
    settings = limits.model_copy(update={"zip_max_total_mb": 1.0})
    data = make_zip({"a.txt": bytes(MB), "b.txt": bytes(MB)})
    with pytest.raises(
        DocumentError, match=r"^archive expands to 2 MB, over the 1 MB limit \(possible decompression bomb\)$"
    ) as info:
        _expand(data, settings)
    assert info.value.status == "rejected"


def test_high_compression_ratio_rejected(limits: Settings) -> None:
    data = make_zip({"zeros.txt": bytes(2 * MB)})
    assert len(data) < 2 * MB / 200
    with pytest.raises(
        DocumentError,
        match=r"^archive compression ratio \d+:1 exceeds 200:1 \(possible decompression bomb\)$",
    ) as info:
        _expand(data, limits)
    assert info.value.status == "rejected"


def test_high_ratio_is_fine_for_small_archives(limits: Settings) -> None:
    data = make_zip({"zeros.txt": bytes(MB // 2)})  # ratio ~1000:1 but only 0.5 MB expanded
    assert _expand(data, limits) == [("a.zip!/zeros.txt", bytes(MB // 2), 1)]


def test_nested_bomb_becomes_a_failure(limits: Settings) -> None:
    bomb = make_zip({"zeros.txt": bytes(2 * MB)})
    outer = make_zip({"ok.txt": b"ok", "bomb.zip": bomb}, compression=zipfile.ZIP_STORED)
    got = _expand(outer, limits)
    assert got[0] == ("a.zip!/ok.txt", b"ok", 1)
    assert isinstance(got[1], Failure)
    assert got[1].source == "a.zip!/bomb.zip"
    assert got[1].status == "rejected"
    assert got[1].reason.endswith("(possible decompression bomb)")


def test_nesting_deeper_than_limit_is_a_failure(limits: Settings) -> None:
    level3 = make_zip({"z.txt": b"deep"})
    level2 = make_zip({"y.md": b"# two", "level3.zip": level3})
    outer = make_zip({"x.txt": b"one", "level2.zip": level2})
    assert _expand(outer, limits) == [
        ("a.zip!/x.txt", b"one", 1),
        ("a.zip!/level2.zip!/y.md", b"# two", 2),
        Failure("a.zip!/level2.zip!/level3.zip", "rejected", "archive nested deeper than 2 levels"),
    ]
    shallow = limits.model_copy(update={"zip_max_depth": 1})
    assert _expand(outer, shallow) == [
        ("a.zip!/x.txt", b"one", 1),
        Failure("a.zip!/level2.zip", "rejected", "archive nested deeper than 1 levels"),
    ]


def test_archive_already_at_max_depth_raises(limits: Settings) -> None:
    with pytest.raises(DocumentError, match=r"^archive nested deeper than 2 levels$") as info:
        list(expand_zip(RawFile("x.zip", make_zip({"a.txt": b"a"}), depth=2), limits))
    assert info.value.status == "rejected"


def test_invalid_zip(limits: Settings) -> None:
    with pytest.raises(DocumentError, match=r"^not a valid ZIP archive \(File is not a zip file\)$") as info:
        _expand(b"this is not a zip", limits)
    assert info.value.status == "failed"
    outer = make_zip({"broken.zip": b"PK\x03\x04 truncated", "ok.txt": b"ok"})
    assert _expand(outer, limits) == [
        Failure("a.zip!/broken.zip", "failed", "not a valid ZIP archive (File is not a zip file)"),
        ("a.zip!/ok.txt", b"ok", 1),
    ]


def test_empty_member_and_oversized_member_are_failures(limits: Settings) -> None:
    settings = limits.model_copy(update={"max_file_mb": 0.5, "zip_max_ratio": 10_000.0})
    outer = make_zip({"empty.txt": b"", "big.txt": bytes(MB), "ok.txt": b"ok"})
    assert _expand(outer, settings) == [
        Failure("a.zip!/empty.txt", "rejected", "empty file (0 bytes)"),
        Failure("a.zip!/big.txt", "rejected", "archive member is over the 0.5 MB file limit"),
        ("a.zip!/ok.txt", b"ok", 1),
    ]


# --------------------------------------------------------------------------- read_file


def test_read_file_ok(tmp_path: Path, limits: Settings) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("科技贷款".encode())
    raw = read_file(path, limits)
    assert raw == RawFile(source=str(path), data="科技贷款".encode(), depth=0)
    assert raw.extension == "txt"


def test_read_file_zero_bytes_rejected(tmp_path: Path, limits: Settings) -> None:
    path = tmp_path / "empty.txt"
    path.touch()
    with pytest.raises(DocumentError, match=r"^empty file \(0 bytes\)$") as info:
        read_file(path, limits)
    assert info.value.status == "rejected"


def test_read_file_over_size_limit_rejected(tmp_path: Path, limits: Settings) -> None:
    settings = limits.model_copy(update={"max_file_mb": 1.0})
    path = tmp_path / "big.pdf"
    with path.open("wb") as fh:
        fh.truncate(MB + MB // 2)  # sparse: 1.5 MB on paper, nothing written
    with pytest.raises(
        DocumentError, match=r"^file is 1\.5 MB, over the 1 MB limit \(SME_MAX_FILE_MB\)$"
    ) as info:
        read_file(path, settings)
    assert info.value.status == "rejected"


def test_read_file_dangling_symlink_fails(tmp_path: Path, limits: Settings) -> None:
    link = tmp_path / "gone.txt"
    os.symlink(tmp_path / "missing-target.txt", link)
    with pytest.raises(DocumentError, match=r"^cannot read file: No such file or directory$") as info:
        read_file(link, limits)
    assert info.value.status == "failed"


def test_read_file_missing_fails(tmp_path: Path, limits: Settings) -> None:
    with pytest.raises(DocumentError, match=r"^cannot read file: ") as info:
        read_file(tmp_path / "nope.txt", limits)
    assert info.value.status == "failed"


# --------------------------------------------------------------------------- discover


def test_discover_sorts_and_skips_hidden(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for rel in ["b.txt", "a/2.md", "a/1.md", ".hidden.txt", ".git/config", "a/.cache/x.txt"]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    missing = tmp_path / "missing.txt"
    found = [p.relative_to(tmp_path).as_posix() for p in discover([root, missing])]
    assert found == ["in/a/1.md", "in/a/2.md", "in/b.txt", "missing.txt"]
