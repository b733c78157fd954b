"""Seed documents the claim rules rest on, by the short numbers the contract uses.

The file names must match `knowledge/seeds.yaml` (a test checks it); they are spelled out here
rather than read at run time so that `assess()` stays free of I/O.
"""

from __future__ import annotations

SEED_FILES: dict[str, str] = {
    "000": "000_eaf09431ee492aca.txt",
    "001": "001_6cd2386ba2857bb8.txt",
    "002": "002_410e3f8bacd938c9.txt",
    "003": "003_e49dd6f428c4738a.txt",
    "004": "004_ece468d4a1cbc6f2.txt",
}


def cite(*numbers: str) -> tuple[str, ...]:
    """Seed file names for the contract's short numbers ("001" → "001_….txt"), in that order."""
    return tuple(SEED_FILES[n] for n in numbers)
