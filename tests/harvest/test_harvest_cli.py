"""``kaifang harvest add|list|run|status`` and ``kaifang worker --once``: a source that cannot
be reached fails with its reason while the others run; the run's exit code says so; the
worker runs only what its schedule makes due; two runs of one source never overlap."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from click.testing import CliRunner

from kaifang.catalog import open_catalog
from kaifang.cli import cli
from kaifang.errors import ConflictError, ValidationError
from kaifang.harvest.run import _lock, run_source
from kaifang.harvest.sources import add_source
from kaifang.harvest.worker import due_sources
from kaifang.settings import Settings
from tests.api.conftest import free_port
from tests.harvest.conftest import HOME_ORG, City


def invoke(runner: CliRunner, settings: Settings, *args: str, code: int = 0) -> Any:
    result = runner.invoke(cli, ["--data-dir", str(settings.data_dir), *args])
    assert result.exit_code == code, result.output
    return json.loads(result.output) if "--json" in args else result.output


def test_a_dead_source_fails_alone_with_its_reason(
    city: City, home: Settings, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAIFANG_HARVEST_RETRIES", "1")
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    invoke(runner, home, "harvest", "add", "dead", dead, "--type", "tw-spec", "--org", HOME_ORG)
    invoke(runner, home, "harvest", "add", "tainan", city.url, "--type", "ckan", "--org",
           HOME_ORG, "--schedule", "*/15 * * * *")  # fmt: skip
    listed = invoke(runner, home, "harvest", "list", "--json")
    assert [s["name"] for s in listed["data"]] == ["dead", "tainan"]
    assert listed["data"][1]["schedule"] == "*/15 * * * *"

    runs = invoke(runner, home, "harvest", "run", "--all", "--json", code=1)["runs"]
    by_name = {r["source"]: r for r in runs}
    assert by_name["tainan"]["status"] == "ok" and by_name["tainan"]["counts"]["created"] == 2
    assert by_name["dead"]["status"] == "failed"
    assert "ConnectError after 2 tries" in by_name["dead"]["failures"][0]["reason"]
    assert by_name["dead"]["requests"] == 2  # one try, one retry

    status = invoke(runner, home, "harvest", "status", "dead", "--json")
    assert status["runs"][0]["status"] == "failed" and status["last_success"] is None
    text = invoke(runner, home, "harvest", "status", "tainan")
    assert "active 2" in text


def test_bad_definitions_are_refused(home: Settings, runner: CliRunner) -> None:
    with open_catalog(home) as catalog:
        with pytest.raises(ValidationError, match="cron"):
            add_source(catalog, "x", "https://a.example", kind="ckan", org=HOME_ORG,
                       schedule="61 * * * *")  # fmt: skip
        with pytest.raises(ValidationError, match="http"):
            add_source(catalog, "x", "ftp://a.example", kind="ckan", org=HOME_ORG)
        with pytest.raises(ValidationError, match="lower-case"):
            add_source(catalog, "../x", "https://a.example", kind="ckan", org=HOME_ORG)
        add_source(catalog, "x", "https://a.example", kind="ckan", org=HOME_ORG)
        with pytest.raises(ConflictError):
            add_source(catalog, "x", "https://b.example", kind="ckan", org=HOME_ORG)


def test_one_run_at_a_time_and_the_worker_follows_schedules(city: City, home: Settings) -> None:
    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    with open_catalog(home) as catalog:
        add_source(catalog, "hourly", city.url, kind="tw-spec", org=HOME_ORG, schedule="hourly")
        add_source(catalog, "never", city.url, kind="tw-spec", org=HOME_ORG, schedule="manual")
        assert due_sources(catalog, now) == ["hourly"]  # never run: due at once
        _lock(catalog, "hourly", now)  # a run in progress (another worker)
        with pytest.raises(ConflictError, match="already running"):
            run_source(home, catalog, "hourly", now=now)
        assert due_sources(catalog, now.replace(minute=30)) == []
        assert due_sources(catalog, now.replace(hour=9)) == ["hourly"]
