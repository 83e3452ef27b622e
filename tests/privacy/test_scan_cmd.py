"""``kaifang scan``: --json equals the library result; --write-policy writes a loadable policy."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kaifang.cli import cli
from kaifang.cli.scan_cmd import scan_file
from kaifang.privacy import load_policy
from kaifang.settings import Settings
from tests.privacy.conftest import national_ids


def petitions_csv(tmp_path: Path) -> Path:
    path = tmp_path / "petitions.csv"
    ids = national_ids(30)
    lines = ["案號,身分證字號,手機,陳情內容"] + [
        f"{i},{ids[i]},09{i:02d}-123-456,路燈故障請派員處理謝謝" for i in range(30)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_json_equals_library(runner: CliRunner, tmp_path: Path, settings: Settings) -> None:
    path = petitions_csv(tmp_path)
    result = runner.invoke(cli, ["--data-dir", str(tmp_path / "d"), "scan", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(
        json.dumps(scan_file(path, settings).to_dict(), default=str)
    )
    data = json.loads(result.output)
    assert data["publishable"] is False
    assert [c["category"] for c in data["columns"]] == [
        "none", "direct_identifier", "direct_identifier", "none",
    ]  # fmt: skip


def test_write_policy_and_table_output(runner: CliRunner, tmp_path: Path) -> None:
    path = petitions_csv(tmp_path)
    policy = tmp_path / "policy.yaml"
    result = runner.invoke(cli, ["scan", str(path), "--write-policy", str(policy)])
    assert result.exit_code == 0, result.output
    assert "not publishable yet" in result.output
    assert load_policy(policy).columns["身分證字號"].action == "drop"
