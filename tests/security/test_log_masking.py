"""The masking log-record factory keeps `record.args`, so formatters that read them (uvicorn's access
log: '%s - "%s %s HTTP/%s" %d') format without a "Logging error", and still see masked text."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from uvicorn.logging import AccessFormatter

from app.core.pii import install_log_masking

ACCESS = '%s - "%s %s HTTP/%s" %d'


class _Strict(logging.Handler):
    """Formats each record; a formatting error propagates instead of logging's printed traceback."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def capture() -> Iterator[tuple[logging.Logger, _Strict]]:
    install_log_masking()
    handler = _Strict()
    logger = logging.getLogger("tests.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, handler
    logger.removeHandler(handler)


def test_uvicorns_access_formatter_formats_masked_args(capture: tuple[logging.Logger, _Strict]) -> None:
    logger, handler = capture
    handler.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False))
    logger.info(ACCESS, "127.0.0.1:5000", "GET", "/v1/enterprises/13812345678?mail=li.lei@example.com", "1.1", 200)
    logger.info(ACCESS, "127.0.0.1:5000", "GET", "/v1/programs", "1.1", 404)
    assert handler.lines == [
        '127.0.0.1:5000 - "GET /v1/enterprises/[phone ***5678]?mail=[email ***@example.com] HTTP/1.1" 200 OK',
        '127.0.0.1:5000 - "GET /v1/programs HTTP/1.1" 404 Not Found']


def test_args_keep_their_shape_and_personal_data_anywhere_is_masked(
        capture: tuple[logging.Logger, _Strict]) -> None:
    logger, handler = capture
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.info(ACCESS, "10.0.0.1:1", "POST", "/v1/search", "1.1", 200)
    logger.info("phone %d, status %d", 13812345678, 200)  # a number argument: the message is masked whole
    logger.info("phone 138%s", "12345678")  # split between the format and its argument
    logger.info("%(who)s wrote", {"who": "li.lei@example.com"})
    logger.info("id 440301 19900101 123X, card 6222 0212 3456 7890 123")
    assert handler.lines == [
        '10.0.0.1:1 - "POST /v1/search HTTP/1.1" 200', "phone [phone ***5678], status 200", "phone [phone ***5678]",
        "[email ***@example.com] wrote", "id [id 440301********], card [card ***0123]"]


@pytest.mark.usefixtures("capture")
def test_a_record_with_args_keeps_them_for_formatters_that_read_them() -> None:
    record = logging.getLogRecordFactory()("x", logging.INFO, __file__, 1, ACCESS,
                                           ("1.2.3.4:5", "GET", "/v1/jobs?tel=0755-86013388", "1.1", 200), None)
    assert record.args == ("1.2.3.4:5", "GET", "/v1/jobs?tel=[phone ***3388]", "1.1", 200)
    assert record.getMessage() == '1.2.3.4:5 - "GET /v1/jobs?tel=[phone ***3388] HTTP/1.1" 200'
