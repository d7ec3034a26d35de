"""The web app under waitress, the production WSGI server that ``kb serve`` and the tests use.

waitress waits on its sockets with ``select()`` by default, which fails ("filedescriptor out of
range in select()") once the process holds more than 1,024 open files; the Oxigraph store of the
REF2014 set alone keeps more than that open. ``poll()`` has no such limit.
"""

from __future__ import annotations

from waitress import create_server as waitress_server
from waitress.server import BaseWSGIServer, MultiSocketServer


def create_server(app, host: str, port: int, threads: int) -> BaseWSGIServer | MultiSocketServer:
    """A waitress server of ``app`` on ``host:port`` (0: a free port) with ``threads`` worker threads."""
    return waitress_server(app, host=host, port=port, threads=threads, asyncore_use_poll=True)
