"""A small OpenAI-compatible HTTP server on 127.0.0.1 for tests: /v1/chat/completions, whole or
streamed (SSE), with modes that answer 500 or stall past the client's timeout. `script` computes the
reply from the request (a model that reads its prompt); `chunk_chars` streams it in pieces of that
many characters (else word by word)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeOpenAI:
    reply: str = "The firm meets the area and certification criteria; ask about its tax rating."
    mode: str = "ok"  # ok | error500 | slow
    delay_s: float = 3.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    script: Callable[[dict[str, Any]], str] | None = None
    chunk_chars: int = 0

    def answer(self, body: dict[str, Any]) -> str:
        return self.script(body) if self.script is not None else self.reply

    def pieces(self, body: dict[str, Any]) -> list[str]:
        text = self.answer(body)
        if self.chunk_chars:
            return [text[i : i + self.chunk_chars] for i in range(0, len(text), self.chunk_chars)]
        return [word + " " for word in text.split(" ")]


def _handler(state: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
            state.requests.append(body)
            if state.mode == "error500":
                self._json(500, {"error": {"message": "boom", "type": "server_error"}})
                return
            if state.mode == "slow":
                time.sleep(state.delay_s)
            if body.get("stream"):
                self._stream(body)
            else:
                self._json(200, {"id": "c1", "object": "chat.completion", "created": 0, "model": body.get("model", "m"),
                                 "choices": [{"index": 0, "message": {"role": "assistant", "content": state.answer(body)},
                                              "finish_reason": "stop"}],
                                 "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, body: dict[str, Any]) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.end_headers()
            for piece in state.pieces(body):
                chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": body.get("model", "m"),
                         "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")

    return Handler


@contextmanager
def fake_openai(**kw: Any) -> Iterator[FakeOpenAI]:
    state = FakeOpenAI(**kw)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
