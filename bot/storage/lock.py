"""One bot process per database file, unless several are configured on purpose.

Two bots on one file would both answer every update and send every reminder twice. The first
process takes an exclusive `flock` on `<database>.lock`; a second one fails to take it and
refuses to start. The kernel drops the lock when its process dies, however it dies (kill -9
included), so a crash never leaves a stale lock behind. The lock file stays on disk: it also
tells a later start that a database was here before (see `ta-advisor run`).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import Self

from bot.storage.db import StorageError


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class InstanceLock:
    """Held from `acquire()` until `release()` or the end of the process."""

    def __init__(self, db_path: Path, *, shared: bool = False) -> None:
        self.path = lock_path(db_path)
        self.shared = shared
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock (shared mode: a shared one, which only an exclusive holder blocks);
        `StorageError` with one clear line if another process holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StorageError(
                f"another ta-advisor process is already using {self.path.with_suffix('')}; "
                "stop it first (or set TA_ADVISOR_SHARED_DB=true on every process to share it)"
            ) from None
        except OSError:
            os.close(fd)
            raise
        if not self.shared:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
