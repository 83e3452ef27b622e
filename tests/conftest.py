"""Shared fixtures: settings on a temporary data directory, and the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kaifang.settings import Settings, load_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({}, data_dir=tmp_path / "data")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
