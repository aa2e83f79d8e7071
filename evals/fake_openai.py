"""A fake OpenAI-compatible chat server on 127.0.0.1 for measuring concurrency and scale-out
without a GPU: every request is answered after a fixed delay, any number at once, with the
smallest answer that fits the request's JSON schema (or "yes" to a plain question). It counts
the requests and the most that were ever in flight together.

    with FakeOpenAI(delay=0.5) as fake:
        settings = Settings(openai_base_url=fake.url, openai_api_key="fake")
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def minimal(schema: dict[str, Any]) -> Any:
    """The smallest instance of a JSON schema of the kind claimcheck sends."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return minimal(schema["anyOf"][0])
    kind = schema.get("type")
    if kind == "object":
        return {key: minimal(schema["properties"][key]) for key in schema.get("required", [])}
    if kind == "array":
        items = [minimal(s) for s in schema.get("prefixItems", [])]
        while len(items) < schema.get("minItems", 0):
            items.append(minimal(schema["items"]))
        return items
    if kind == "integer":
        return schema.get("minimum", 1)
    if kind == "number":
        return schema.get("minimum", 0.5)
    if kind == "boolean":
        return True
    if kind == "string":
        return "A sentence."
    return None


class FakeOpenAI:
    """The server; a context manager that starts it on a free port and stops it after."""

    def __init__(self, delay: float = 0.5) -> None:
        self.delay = delay
        self.requests = 0
        self.in_flight = 0
        self.peak = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.requests = self.peak = 0

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.requests += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            time.sleep(self.delay)
        finally:
            with self._lock:
                self.in_flight -= 1
        fmt = body.get("response_format") or {}
        schema = (fmt.get("json_schema") or {}).get("schema")
        content = json.dumps(minimal(schema)) if schema else "yes"
        prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages", [])) // 4
        return {
            "id": "fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": len(content) // 4 + 1,
                "total_tokens": prompt + len(content) // 4 + 1,
            },
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    self.send_error(400, "not JSON")
                    return
                if not self.path.endswith("/chat/completions"):
                    self.send_error(404)
                    return
                data = json.dumps(fake.answer(body)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
