"""``kaifang requests list|answer``: --json equals the library result, filters by organization
and status, and the text listing shows the requester's contact (which no web page shows)."""

from __future__ import annotations

from click.testing import CliRunner

from kaifang.catalog import open_catalog
from kaifang.catalog.requests import create_request, list_requests
from kaifang.cli import cli
from kaifang.settings import Settings
from tests.cli.test_publish_cli import run_json
from tests.publishing import ORG


def test_list_and_answer_requests(catalog_settings: Settings, runner: CliRunner) -> None:
    run_json(runner, catalog_settings, "org", "create", ORG, "--name", "臺北市政府警察局")
    with open_catalog(catalog_settings) as catalog:
        asked = create_request(catalog, ORG, title="機車竊盜", contact="me@example.tw")
        create_request(catalog, ORG, title="汽車竊盜")
    listed = run_json(runner, catalog_settings, "requests", "list", "--org", ORG)
    with open_catalog(catalog_settings) as catalog:
        total, rows = list_requests(catalog, org=ORG)
    assert listed == {"total": total, "data": [r.to_dict() for r in rows]}
    assert total == 2

    answered = run_json(
        runner, catalog_settings, "requests", "answer", str(asked.id), "--text", "已開放",
        "--status", "fulfilled",
    )  # fmt: skip
    assert (answered["status"], answered["response"]) == ("fulfilled", "已開放")
    closed = run_json(runner, catalog_settings, "requests", "list", "--status", "closed")
    assert [r["title"] for r in closed["data"]] == ["機車竊盜"]

    text = runner.invoke(
        cli,
        ["--data-dir", str(catalog_settings.data_dir), "requests", "list", "--status", "closed"],
        env={"KAIFANG_DATABASE_URL": catalog_settings.database_url},
    )
    assert text.exit_code == 0 and "me@example.tw" in text.output and "已開放" in text.output
