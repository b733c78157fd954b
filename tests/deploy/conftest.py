"""Fixtures for the deploy/ checks."""

from __future__ import annotations

import pytest

from tests.deploy.imagebuild import ImageEnv, build_image_env


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes more than a few seconds (builds a venv)")


@pytest.fixture(scope="session")
def image_env(tmp_path_factory: pytest.TempPathFactory) -> ImageEnv:
    """deploy/Dockerfile's Python environment, built once per test session (about 10 s)."""
    return build_image_env(tmp_path_factory.mktemp("image") / "root")
