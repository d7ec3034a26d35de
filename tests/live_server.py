"""The real web app under waitress on 127.0.0.1 and a free port, in a background thread.

``serve_app(config)`` is a context manager giving a ``LiveServer`` with its ``url``; the session
fixture ``live_server`` in ``conftest.py`` serves the corpus knowledge base this way, and test
modules that need other data or settings start their own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from web import create_app
from web.serving import create_server


class LiveServer:
    """A waitress server running ``app`` until ``close()``."""

    def __init__(self, app, threads: int = 4):
        self.app = app
        self.server = create_server(app, "127.0.0.1", 0, threads)
        self.host, self.port = "127.0.0.1", self.server.effective_port
        self.url = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(target=self.server.run, name="live-server", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.close()
        self.server.task_dispatcher.shutdown()
        self._thread.join(timeout=5)


@contextmanager
def serve_app(config: dict) -> Iterator[LiveServer]:
    """``create_app(config)`` served on a free port for the duration of the block."""
    server = LiveServer(create_app(config))
    try:
        yield server
    finally:
        server.close()
        runner = server.app.extensions.get("sparql_runner")
        if runner is not None:
            runner.close()
