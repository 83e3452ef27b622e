"""The 5-star level per resource and per dataset."""

from __future__ import annotations

import pytest

from kaifang.openness import ColumnFacts, DatasetFacts, star_rating
from tests.openness.factories import SCHOOL_COLUMNS, dataset, resource, with_resource

NO_LINK = tuple(c for c in SCHOOL_COLUMNS if c.name != "學校代碼")


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        (dataset(license="CC-BY-NC-4.0"), 0),
        (with_resource(rows=0), 0),
        (with_resource(files_present=False), 0),
        (with_resource(sniffed_format="pdf"), 1),
        (with_resource(sniffed_format="xlsx"), 2),
        (with_resource(columns=(*NO_LINK[:-1], ColumnFacts("電話", "string", ""))), 3),
        (with_resource(columns=()), 3),
        (with_resource(columns=NO_LINK), 4),
        (dataset(), 5),
        (with_resource(columns=(*NO_LINK, ColumnFacts("GantryID_O", "string", "起點門架"))), 5),
        (with_resource(columns=(*NO_LINK, ColumnFacts("VILLCODE", "string", "村里代碼"))), 5),
        (dataset(resources=()), 0),
    ],
)
def test_star_levels(facts: DatasetFacts, level: int) -> None:
    assert star_rating(facts).level == level


def test_the_dataset_has_the_level_every_resource_reaches() -> None:
    facts = dataset(resources=(resource(), resource(id="r-xlsx", sniffed_format="xlsx")))
    rating = star_rating(facts)
    assert [r.level for r in rating.resources] == [5, 2]
    assert rating.level == 2
    assert rating.to_dict()["symbol"] == "★★☆☆☆"


def test_five_stars_names_the_linking_columns() -> None:
    rating = star_rating(dataset()).to_dict()
    assert rating["resources"][0]["links"] == {"學校代碼": "schools (學校名錄)"}
    assert rating["label"]["en"] == "linked to other data"
