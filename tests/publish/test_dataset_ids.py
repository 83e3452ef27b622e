"""A new dataset's id people can read (issue 21): the English title's words, else the title in
pinyin, never the file name; a short suffix on a collision; the publisher's own id on the
first publish, validated; a renamed dataset's former id is never given out again."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaifang.catalog import open_catalog
from kaifang.catalog.aliases import rename_dataset
from kaifang.errors import ConflictError, ValidationError
from kaifang.publish import publish_file
from kaifang.settings import Settings
from tests.publishing import ORG, THEFT_HEADER, THEFT_ROWS, WriteCsv, catalog_counts


@pytest.mark.parametrize(
    ("metadata", "wanted"),
    [
        ({"title": "臺北市竊盜點位資訊"}, "tai_bei_shi_qie_dao_dian_wei_zi_xun"),
        ({"title": "臺北市竊盜點位資訊", "title_en": "Taipei theft points"}, "taipei_theft_points"),
        ({"title": "Theft points 竊盜點位"}, "theft_points"),
    ],
)
def test_the_id_comes_from_the_title_not_the_file(
    org_settings: Settings, write_csv: WriteCsv, metadata: dict[str, str], wanted: str
) -> None:
    file = write_csv("export_final_v2.csv", THEFT_HEADER, THEFT_ROWS)
    result = publish_file(org_settings, file, org=ORG, metadata=metadata)
    assert result.dataset == wanted
    assert result.resource == "export_final_v2"  # the table keeps the file's name


def test_a_second_dataset_with_the_same_title_gets_a_suffix(
    org_settings: Settings, write_csv: WriteCsv
) -> None:
    first = publish_file(org_settings, write_csv("a.csv", THEFT_HEADER, THEFT_ROWS), org=ORG,
                         title="竊盜")  # fmt: skip
    second = publish_file(org_settings, write_csv("b.csv", THEFT_HEADER, THEFT_ROWS[:2]),
                          org=ORG, title="竊盜")  # fmt: skip
    assert (first.dataset, second.dataset) == ("qie_dao", "qie_dao_2")


def test_the_publisher_chooses_the_id(org_settings: Settings, write_csv: WriteCsv) -> None:
    file = write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS)
    result = publish_file(org_settings, file, org=ORG, title="竊盜", dataset_id="theft_2024")
    assert result.dataset == "theft_2024"
    other = write_csv("other.csv", THEFT_HEADER, THEFT_ROWS[:1])
    counts = catalog_counts(org_settings)
    with pytest.raises(ConflictError, match="'theft_2024' is already in use") as taken:
        publish_file(org_settings, other, org=ORG, title="竊盜", dataset_id="theft_2024")
    assert taken.value.details["key"] == "id"
    assert "--dataset theft_2024" in (taken.value.hint or "")
    with pytest.raises(ValidationError, match="names a new dataset"):
        publish_file(org_settings, other, org=ORG, dataset="theft_2024", dataset_id="other")
    assert catalog_counts(org_settings) == counts


@pytest.mark.parametrize("wanted", ["Theft-2024", "2024_theft", "竊盜", "a" * 64, "x__y"])
def test_a_bad_id_is_refused_before_the_file_is_read(
    org_settings: Settings, tmp_path: Path, wanted: str
) -> None:
    with pytest.raises(ValidationError, match="is not a valid id") as refused:
        publish_file(org_settings, tmp_path / "missing.csv", org=ORG, title="x", dataset_id=wanted)
    assert refused.value.details["key"] == "id"
    assert catalog_counts(org_settings) == (0, 0, 0)


def test_a_former_id_is_not_given_out_again(org_settings: Settings, write_csv: WriteCsv) -> None:
    first = publish_file(org_settings, write_csv("a.csv", THEFT_HEADER, THEFT_ROWS), org=ORG,
                         title="Theft points")  # fmt: skip
    with open_catalog(org_settings) as catalog:
        rename_dataset(catalog, first.dataset, "taipei_theft_points")
    again = publish_file(org_settings, write_csv("b.csv", THEFT_HEADER, THEFT_ROWS[:2]),
                         org=ORG, title="Theft points")  # fmt: skip
    assert again.dataset == "theft_points_2"  # theft_points still redirects to the first
    with pytest.raises(ConflictError, match="already in use"):
        publish_file(org_settings, write_csv("c.csv", THEFT_HEADER, THEFT_ROWS[:1]), org=ORG,
                     title="x", dataset_id="theft_points")  # fmt: skip
