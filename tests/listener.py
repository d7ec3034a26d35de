"""A TCP port on 127.0.0.1 that notices connections: proof that a refused query sent nothing out.

The socket listens but never accepts while the test runs, so the kernel queues any connection made
to it; ``connections()`` then takes them off the queue and counts them.
"""

from __future__ import annotations

import socket


class Listener:
    def __init__(self):
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"

    def connections(self) -> int:
        """How many connections were made since the last call."""
        self._socket.setblocking(False)
        count = 0
        while True:
            try:
                connection, _ = self._socket.accept()
            except BlockingIOError:
                return count
            connection.close()
            count += 1

    def close(self) -> None:
        self._socket.close()
