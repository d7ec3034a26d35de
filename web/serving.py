"""The web app under waitress, the production WSGI server that ``kb serve`` and the tests use.

waitress waits on its sockets with ``select()`` by default, which fails ("filedescriptor out of
range in select()") once the process holds more than 1,024 open files; the Oxigraph store of the
REF2014 set alone keeps more than that open. ``poll()`` has no such limit.

Answering is Python, so one process answers on one core however many threads it has; ``kb serve
--processes N`` runs N servers that accept on one listening socket (``listening_socket``), and the
kernel hands each connection to one of them.
"""

from __future__ import annotations

import socket

from waitress import create_server as waitress_server
from waitress.server import BaseWSGIServer, MultiSocketServer


def create_server(
    app, host: str, port: int, threads: int, sockets: list[socket.socket] | None = None
) -> BaseWSGIServer | MultiSocketServer:
    """A waitress server of ``app`` on ``host:port`` (0: a free port), or on ``sockets`` already
    listening, with ``threads`` worker threads."""
    if sockets:
        return waitress_server(app, sockets=sockets, threads=threads, asyncore_use_poll=True)
    return waitress_server(app, host=host, port=port, threads=threads, asyncore_use_poll=True)


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port`` that child processes inherit and accept on too."""
    family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    listener = socket.socket(family, kind, protocol)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(address)
    listener.listen(1024)
    listener.set_inheritable(True)
    return listener
