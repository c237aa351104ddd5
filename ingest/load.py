"""Load stage: walk paths, read files within limits, and open ZIP archives safely in memory."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from app.core.errors import DocumentError
from app.core.shown_names import shown_name
from app.core.types import RawFile
from app.settings import Settings

logger = logging.getLogger(__name__)
MB = 1024 * 1024


@dataclass(frozen=True)
class Failure:
    """A file that could not even be read; it still appears in the report."""

    source: str
    status: str
    reason: str


def discover(paths: list[Path]) -> Iterator[Path]:
    """Files under the given paths, sorted, hidden files skipped; missing paths are yielded as-is."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_dir() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        else:
            yield path


def read_file(path: Path, settings: Settings) -> RawFile:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"cannot read file: {exc.strerror or exc}") from exc
    if size == 0:
        raise DocumentError("empty file (0 bytes)", status="rejected")
    if size > settings.max_file_mb * MB:
        raise DocumentError(
            f"file is {size / MB:.1f} MB, over the {settings.max_file_mb:g} MB limit (SME_MAX_FILE_MB)",
            status="rejected",
        )
    try:
        return RawFile(source=str(path), data=path.read_bytes())
    except OSError as exc:
        raise DocumentError(f"cannot read file: {exc.strerror or exc}") from exc


def _safe_name(name: str) -> str | None:
    """Member name without drive, root or '..' parts (zip slip); None for directories."""
    cleaned = re.sub(r"^[A-Za-z]:", "", shown_name(name).replace("\\", "/"))
    parts = [p for p in PurePosixPath(cleaned).parts if p not in ("", ".", "..", "/")]
    if not parts or name.endswith("/"):
        return None
    return "/".join(parts)


def expand_zip(archive: RawFile, settings: Settings) -> Iterator[RawFile | Failure]:
    """Members of a ZIP (nested ZIPs too), bounded in size, count, nesting and compression ratio."""
    if archive.depth >= settings.zip_max_depth:
        raise DocumentError(f"archive nested deeper than {settings.zip_max_depth} levels", status="rejected")
    try:
        zf = zipfile.ZipFile(io.BytesIO(archive.data))
    except zipfile.BadZipFile as exc:
        raise DocumentError(f"not a valid ZIP archive ({exc})") from exc
    infos = [i for i in zf.infolist() if not i.is_dir()]
    _check_archive(archive, infos, settings)
    for info in infos:
        name = _safe_name(info.filename)
        if name is None:
            continue
        source = f"{archive.source}!/{name}"
        try:
            data = _read_member(zf, info, settings)
        except DocumentError as exc:
            yield Failure(source, exc.status, str(exc))
            continue
        member = RawFile(source=source, data=data, depth=archive.depth + 1)
        if member.extension == "zip":
            try:
                yield from expand_zip(member, settings)
            except DocumentError as exc:
                yield Failure(source, exc.status, str(exc))
        else:
            yield member


def _check_archive(archive: RawFile, infos: list[zipfile.ZipInfo], settings: Settings) -> None:
    if len(infos) > settings.zip_max_files:
        raise DocumentError(f"archive holds {len(infos)} files, over the {settings.zip_max_files} limit", "rejected")
    total = sum(i.file_size for i in infos)
    if total > settings.zip_max_total_mb * MB:
        raise DocumentError(
            f"archive expands to {total / MB:.0f} MB, over the {settings.zip_max_total_mb:g} MB limit "
            "(possible decompression bomb)",
            status="rejected",
        )
    packed = max(sum(i.compress_size for i in infos), 1)
    if total / packed > settings.zip_max_ratio and total > MB:
        raise DocumentError(
            f"archive compression ratio {total / packed:.0f}:1 exceeds {settings.zip_max_ratio:g}:1 "
            "(possible decompression bomb)",
            status="rejected",
        )


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, settings: Settings) -> bytes:
    """Read at most the declared size (plus one byte) so a lying header cannot expand further."""
    limit = min(info.file_size, int(settings.max_file_mb * MB))
    if info.file_size > limit:
        raise DocumentError(f"archive member is over the {settings.max_file_mb:g} MB file limit", "rejected")
    try:
        with zf.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
        raise DocumentError(f"archive member cannot be read ({exc})") from exc
    if len(data) > limit:
        raise DocumentError("archive member is larger than its header declares (decompression bomb)", "rejected")
    if not data:
        raise DocumentError("empty file (0 bytes)", status="rejected")
    return data
