"""Split-dataset detection: same schema across datasets of one organization."""

from __future__ import annotations

import random

import pytest

from kaifang.openness import ColumnFacts, DatasetFacts, detect_split_datasets
from kaifang.openness.split import same_kind_of_table, similar_signature_pairs
from tests.openness.factories import SCHOOL_COLUMNS, dataset, resource

REORDERED_AND_RESPELLED = (
    ColumnFacts("學校 名稱", "string"),
    ColumnFacts("學校代碼", "string"),
    ColumnFacts("公／私立", "string"),
    ColumnFacts("縣市名稱", "string"),
    ColumnFacts("電話", "string"),
    ColumnFacts("地址", "string"),
)


def school_list(
    level: str, columns: tuple[ColumnFacts, ...] = SCHOOL_COLUMNS, org: str = "MOE"
) -> DatasetFacts:
    return dataset(
        id=f"moe-{level}",
        title=f"{level}名錄",
        org_code=org,
        resources=(resource(id=f"r-{level}", name=f"{level}名錄", columns=columns),),
    )


def test_school_lists_split_by_level_form_one_group() -> None:
    datasets = [
        school_list("國小"),
        school_list("國中", REORDERED_AND_RESPELLED),
        school_list("高中"),
        dataset(
            id="moe-budget",
            resources=(
                resource(
                    id="r-b",
                    columns=(
                        ColumnFacts("年度", "integer"),
                        ColumnFacts("科目", "string"),
                        ColumnFacts("金額", "number"),
                    ),
                ),
            ),
        ),
    ]
    groups = detect_split_datasets(datasets)
    assert len(groups) == 1
    out = groups[0].to_dict()
    assert out["datasets"] == ["moe-國中", "moe-國小", "moe-高中"]
    assert out["rule"] == "identical"
    assert [c["name"] for c in out["shared_columns"]] == [c.name for c in SCHOOL_COLUMNS]
    assert "merge them into one dataset" in out["suggestion"]["en"]
    assert "「國小名錄」" in out["suggestion"]["zh"]


def test_other_organizations_and_one_datasets_own_resources_are_not_split() -> None:
    same_dataset_twice = dataset(
        id="moe-yearly", resources=(resource(id="r-2024"), resource(id="r-2025"))
    )
    other_org = school_list("國小", org="TPE")
    assert detect_split_datasets([same_dataset_twice, other_org]) == []


def test_groups_are_per_organization() -> None:
    groups = detect_split_datasets(
        [school_list("國小", org="TPE"), school_list("國中", org="TPE"), school_list("國小")]
    )
    assert [(g.org_code, g.datasets) for g in groups] == [("TPE", ("moe-國中", "moe-國小"))]


def _columns(names: list[str], types: dict[str, str] | None = None) -> frozenset[tuple[str, str]]:
    return frozenset((n, (types or {}).get(n, "string")) for n in names)


TEN = [f"c{i}" for i in range(10)]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (_columns(TEN), _columns(TEN), True),
        (_columns(TEN), _columns([*TEN, "extra"]), True),  # 10/11 = 0.91
        (_columns(TEN), _columns([*TEN[:9], "other"]), False),  # 9/11 = 0.82
        (_columns(TEN), _columns([*TEN, "extra"], {"c0": "integer"}), False),  # type differs
        (_columns(TEN[:3]), _columns([*TEN[:3], "x"]), False),  # 3/4
    ],
)
def test_similarity_rule(
    a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]], same: bool
) -> None:
    assert same_kind_of_table(a, b) is same


def test_near_identical_schemas_group_as_similar() -> None:
    wide = tuple(ColumnFacts(f"欄{i}", "string", "說明") for i in range(10))
    wider = (*wide, ColumnFacts("備註", "string", "說明"))
    groups = detect_split_datasets([school_list("甲", wide), school_list("乙", wider)])
    assert len(groups) == 1
    assert groups[0].rule == "similar"
    assert groups[0].to_dict()["similarity"] == pytest.approx(10 / 11, abs=1e-3)


def test_tables_with_fewer_than_three_columns_are_ignored() -> None:
    tiny = (ColumnFacts("代碼", "string"), ColumnFacts("名稱", "string"))
    assert detect_split_datasets([school_list("甲", tiny), school_list("乙", tiny)]) == []


@pytest.mark.parametrize("seed", range(5))
def test_the_prefix_filter_finds_exactly_the_pairs_brute_force_finds(seed: int) -> None:
    rng = random.Random(seed)
    vocabulary = [f"c{i}" for i in range(25)]
    signatures = list(
        {
            frozenset(
                (name, rng.choice(["string", "integer"]) if rng.random() < 0.05 else "string")
                for name in rng.sample(vocabulary, rng.randint(3, 20))
            )
            for _ in range(150)
        }
    )
    # near copies so that there are pairs to find
    signatures += [s | {("extra", "string")} for s in signatures[:40] if len(s) >= 9]
    signatures = list(dict.fromkeys(signatures))
    brute = {
        frozenset((a, b))
        for i, a in enumerate(signatures)
        for b in signatures[i + 1 :]
        if same_kind_of_table(a, b)
    }
    assert brute  # the case is not vacuous
    assert {frozenset(pair) for pair in similar_signature_pairs(signatures)} == brute
