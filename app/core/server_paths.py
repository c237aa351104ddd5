"""Server paths out of what callers read: an error or a file's reason names the file, never the layout
of the server's disks (an OSError's text carries the full path)."""

from __future__ import annotations

import re

# an absolute path of two parts or more; this API's own routes (/v1/..., /static/..., /docs) excepted
_SERVER_PATH = re.compile(r"(?<![\w.~:/\\-])/(?!v1/|static/|docs)(?:[^\s/'\"(),;:]+/)+([^\s/'\"(),;:]*)")


def without_server_paths(message: str) -> str:
    """The message with each absolute path cut to its last part."""
    return _SERVER_PATH.sub(r"\1", message)
