"""``kaifang token list|revoke``: --json equals the library result; a revoked token stops
working at once; another user's prefix or an unknown one is an error naming the next step."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kaifang.catalog import authenticate, list_tokens, open_catalog
from kaifang.cli import cli
from kaifang.errors import NotFoundError, UnauthorizedError
from kaifang.settings import Settings
from tests.cli.test_publish_cli import run_json
from tests.publishing import ORG


def test_list_and_revoke_tokens(catalog_settings: Settings, runner: CliRunner) -> None:
    run_json(runner, catalog_settings, "org", "create", ORG, "--name", "臺北市政府警察局")
    run_json(runner, catalog_settings, "user", "create", "alice", "--org", ORG)
    run_json(runner, catalog_settings, "user", "create", "bob", "--org", ORG)
    first = run_json(runner, catalog_settings, "token", "create", "alice", "--label", "laptop")
    second = run_json(runner, catalog_settings, "token", "create", "alice")
    bobs = run_json(runner, catalog_settings, "token", "create", "bob")

    listed = run_json(runner, catalog_settings, "token", "list", "alice")
    with open_catalog(catalog_settings) as catalog:
        tokens = [t.to_dict() for t in list_tokens(catalog, "alice")]
        assert listed == {"user": "alice", "tokens": tokens}
    assert {t["prefix"] for t in listed["tokens"]} == {first["prefix"], second["prefix"]}
    assert all(t["revoked"] is None for t in listed["tokens"])
    assert first["token"] not in str(listed)

    revoked = run_json(runner, catalog_settings, "token", "revoke", "alice", first["prefix"])
    assert revoked["prefix"] == first["prefix"] and revoked["revoked"]
    with open_catalog(catalog_settings) as catalog:
        with pytest.raises(UnauthorizedError):
            authenticate(catalog, first["token"])
        assert authenticate(catalog, second["token"]).name == "alice"
        states = {t.prefix: t.revoked for t in list_tokens(catalog, "alice")}
    assert states[first["prefix"]] and states[second["prefix"]] is None

    others = runner.invoke(
        cli,
        ["--data-dir", str(catalog_settings.data_dir), "token", "revoke", "alice", bobs["prefix"]],
        env={"KAIFANG_DATABASE_URL": catalog_settings.database_url},
    )
    assert isinstance(others.exception, NotFoundError)  # kaifang's main prints it with its hint
    assert "kaifang token list alice" in str(others.exception)
    with open_catalog(catalog_settings) as catalog:
        assert authenticate(catalog, bobs["token"]).name == "bob"
