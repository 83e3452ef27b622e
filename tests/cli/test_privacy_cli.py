"""``kaifang privacy bases`` and ``kaifang publish`` with a structured legal basis (issue 16
hole 1): free text is refused listing the shipped bases; a basis names its columns."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kaifang.cli import cli
from kaifang.cli.privacy_cmd import listed_bases
from kaifang.errors import KaifangError
from kaifang.privacy.legal_basis import listed_labels
from kaifang.settings import Settings
from tests.publishing import ORG, WriteCsv, catalog_counts

CANDIDATES = [("王小明", "1960-05-01"), ("陳美玲", "1971-11-23"), ("林志豪", "1955-02-14")]


def _publish(runner: CliRunner, settings: Settings, *args: str) -> tuple[int, str]:
    """Exit code and output (stdout, or the error message and hint that ``kaifang`` prints)."""
    env = {"KAIFANG_DATABASE_URL": settings.database_url}
    base = ["--data-dir", str(settings.data_dir), "publish"]
    result = runner.invoke(cli, [*base, *args], env=env)
    if isinstance(result.exception, KaifangError):
        error = result.exception
        return 1, f"{error.message}\n{error.hint or ''}"
    return result.exit_code, result.output


def test_bases_json_equals_the_library(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["privacy", "bases", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"bases": listed_bases()}
    shown = runner.invoke(cli, ["privacy", "bases"]).output
    assert "公職人員選舉罷免法第47條" in shown


def test_free_text_is_refused_with_the_listed_bases(
    org_settings: Settings, write_csv: WriteCsv, runner: CliRunner
) -> None:
    file = str(write_csv("candidates.csv", ["姓名", "出生日期"], CANDIDATES))
    code, output = _publish(
        runner, org_settings, file, "--org", ORG, "--title", "候選人",
        "--allow-personal-data", "because", "--basis-columns", "姓名",
    )  # fmt: skip
    assert code == 1 and "not one of kaifang's listed bases" in output
    assert all(label in output.replace("\n", "") for label in listed_labels()[:3])
    code, output = _publish(
        runner, org_settings, file, "--org", ORG, "--title", "候選人",
        "--allow-personal-data", "公職人員選舉罷免法第47條",
    )  # fmt: skip
    assert code == 1 and "name the exact columns" in output
    assert catalog_counts(org_settings) == (0, 0, 0)


def test_a_citation_with_its_columns_is_recorded(
    org_settings: Settings, write_csv: WriteCsv, runner: CliRunner
) -> None:
    file = str(write_csv("candidates.csv", ["姓名", "出生日期"], CANDIDATES))
    code, output = _publish(
        runner, org_settings, file, "--org", ORG, "--title", "候選人", "--json",
        "--law", "個人資料保護法", "--article", "16", "--note", "第1項第1款",
        "--basis-columns", "姓名", "--publisher", "王科長",
    )  # fmt: skip
    assert code == 0, output
    detail = json.loads(output)["screening"]["legal_basis_detail"]
    assert detail == {
        "law": "個人資料保護法",
        "article": "第16條",
        "columns": ["姓名"],
        "note": "第1項第1款",
        "approved_by": "王科長",
        "listed": False,
    }
