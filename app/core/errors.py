"""The error tree. Only app/api/errors.py maps these to HTTP statuses."""


class SmeError(Exception):
    """Base of every error the product raises on purpose."""

    code = "error"


class ConfigError(SmeError):
    code = "config_error"


class WriterBusy(ConfigError):
    """Another ingest holds the knowledge base's writer lock; the same call succeeds once it is done."""

    code = "busy"
    retry_after_s = 5


class InputError(SmeError):
    """The caller's input is wrong; retrying the same input will fail the same way."""

    code = "bad_request"


class UnreadableValue(InputError):
    """A value in the caller's input that cannot be read as its field's kind ("revenue": "lots")."""

    code = "invalid_value"


class NotFound(SmeError):
    code = "not_found"


class Forbidden(SmeError):
    code = "forbidden"


class Unauthorized(SmeError):
    code = "unauthorized"


class DocumentError(SmeError):
    """One document cannot be ingested; batch work records it and moves on."""

    code = "document_error"

    def __init__(self, message: str, status: str = "failed") -> None:
        super().__init__(message)
        self.status = status  # "failed" (could not read) or "rejected" (refused by policy)


class IndexCorrupt(SmeError):
    code = "index_corrupt"


class LlmError(SmeError):
    """The configured LLM endpoint failed (timeout, refused, 5xx); callers fall back to `grounded`."""

    code = "llm_unavailable"
