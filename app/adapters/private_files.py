"""The knowledge base on disk is readable by the service's own user only: folders 0700, files 0600,
set explicitly (chmod), so the process umask does not decide. The database, its WAL and the
index hold every tenant's documents."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

logger = logging.getLogger(__name__)
DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path, tighten: bool = False) -> None:
    """Create `path` (0700) when missing. An existing folder is tightened only with `tighten` (a
    folder of our own, such as the index); a data dir the operator made keeps its mode, with a warning
    when others may read it."""
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(DIR_MODE)
    elif tighten:
        path.chmod(DIR_MODE)
    elif stat.S_IMODE(path.stat().st_mode) & 0o077:
        logger.warning("%s is readable by other users (mode %o); chmod 700 it", path.name,
                       stat.S_IMODE(path.stat().st_mode))


def private_file(path: Path) -> None:
    """Create `path` empty (0600) when missing, else set it to 0600."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    path.chmod(FILE_MODE)


def private_db(path: Path) -> None:
    """The SQLite file before it is opened (SQLite gives its -wal and -shm files the database's own
    mode), and the -wal and -shm files an older version left world-readable."""
    private_dir(path.parent)
    private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.chmod(FILE_MODE)


def private_tree(folder: Path) -> None:
    """Every folder (0700) and file (0600) under `folder`, itself included."""
    folder.chmod(DIR_MODE)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(root, name), DIR_MODE)
        for name in files:
            os.chmod(os.path.join(root, name), FILE_MODE)
