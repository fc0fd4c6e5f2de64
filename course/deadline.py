"""Give up on a PostgreSQL server that stops answering.

PostgreSQL's statement_timeout is enforced by the server, so it can't help when the server
itself is stuck (a frozen host or process, a network cut off without a reset): the client would
wait on its socket forever. Here every wait for the server has a deadline; past it, one watchdog
thread shuts the connection's socket, psycopg reports the connection lost, and SQLAlchemy drops
it from the pool.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

logger = logging.getLogger(__name__)


class Watchdog:
    """One thread that cuts off connections kept waiting past their deadline."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Start afresh: a new lock, no thread, nothing watched."""
        self._changed = threading.Condition()
        self._deadlines: dict[object, tuple[float, int]] = {}  # token: (deadline, socket fd)
        self._wakes_at = math.inf  # When the thread next looks, unless woken sooner.
        self._thread: threading.Thread | None = None

    @contextmanager
    def watching(self, fileno: int, seconds: float) -> Iterator[None]:
        """Shut the socket down if the block is still running after `seconds`."""
        token = object()
        deadline = time.monotonic() + seconds
        with self._changed:
            self._deadlines[token] = (deadline, fileno)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="db-deadline",
                                                daemon=True)
                self._thread.start()
            if deadline < self._wakes_at:  # Otherwise it will look in time: don't wake it.
                self._wakes_at = deadline
                self._changed.notify()
        try:
            yield
        finally:
            with self._changed:
                self._deadlines.pop(token, None)  # Gone already if it expired.

    def _run(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for token, (deadline, fileno) in list(self._deadlines.items()):
                    if deadline <= now:
                        # Under the lock, so the socket is still the watched connection's.
                        del self._deadlines[token]
                        _shut(fileno)
                self._wakes_at = min(
                    (deadline for deadline, _ in self._deadlines.values()), default=math.inf
                )
                self._changed.wait(None if self._wakes_at == math.inf else self._wakes_at - now)


def _shut(fileno: int) -> None:
    logger.warning("The database did not answer in time; closing its connection.")
    try:
        with socket.socket(fileno=os.dup(fileno)) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)  # Ends the waiting read on the original too.
    except OSError:
        pass  # Already closed: the wait has ended anyway.


watchdog = Watchdog()
# A process forked from one that had started the thread (gunicorn's preload) has no thread,
# and perhaps a held lock: start afresh.
os.register_at_fork(after_in_child=watchdog.reset)


class DeadlineConnection(psycopg.Connection):
    """A psycopg connection whose every wait for the server ends within `deadline` seconds."""

    deadline: float = 0.0

    def wait(self, gen, *args, **kwargs):
        """Consume a generator operating on the connection, as psycopg does, with a deadline."""
        with watchdog.watching(self.pgconn.socket, self.deadline):
            return super().wait(gen, *args, **kwargs)
