from __future__ import annotations

from pathlib import Path

import pytest

from kaifang.errors import ValidationError
from kaifang.settings import load_settings


def test_environment_then_overrides() -> None:
    """Settings alone, no catalog opened: without ``database_url`` the catalog is the SQLite
    file in the data directory, on either test backend."""
    settings = load_settings(
        {"KAIFANG_DATA_DIR": "/srv/a", "KAIFANG_QUERY_TIMEOUT": "2.5", "KAIFANG_RATE_LIMIT": "7"},
        data_dir="/srv/b",
    )
    assert settings.data_dir == Path("/srv/b")
    assert settings.query_timeout == 2.5
    assert settings.rate_limit == 7
    assert settings.catalog_url == "sqlite:////srv/b/catalog.sqlite"
    assert settings.tables_url == "/srv/b/tables"


@pytest.mark.parametrize(
    ("environ", "overrides", "message"),
    [
        ({"KAIFANG_QUERY_TIMEOUT": "soon"}, {}, "KAIFANG_QUERY_TIMEOUT"),
        ({"KAIFANG_ENGINE": "oracle"}, {}, "unknown engine"),
        ({}, {"no_such_setting": 1}, "unknown setting"),
    ],
)
def test_bad_settings_name_the_setting(
    environ: dict[str, str], overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        load_settings(environ, **overrides)
