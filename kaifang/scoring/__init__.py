"""Openness scoring wired to the catalog: facts gathered from catalog rows and the store,
scores recorded for every registered version (``score_records``), the dataset and
organization views, the national ranking, and rescoring. The rubric itself is the pure
library :mod:`kaifang.openness`. See docs/openness.md.

The names below are imported on first use: ``kaifang score DATASET`` on a SQLite catalog
needs only :mod:`kaifang.scoring.facts`, not SQLAlchemy (see :mod:`kaifang.catalog.quick`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kaifang import lazy_exports

if TYPE_CHECKING:
    from kaifang.scoring.facts import dataset_facts, resource_facts, screening_facts
    from kaifang.scoring.records import history_of, latest_records, record_dict, record_score
    from kaifang.scoring.service import (
        RescoreResult,
        dataset_openness,
        dataset_scores,
        openness_ranking,
        openness_ranking_csv,
        organization_openness,
        record_registered_version,
        rescore_all,
    )

__all__ = [
    "RescoreResult",
    "dataset_facts",
    "dataset_openness",
    "dataset_scores",
    "history_of",
    "latest_records",
    "openness_ranking",
    "openness_ranking_csv",
    "organization_openness",
    "record_dict",
    "record_registered_version",
    "record_score",
    "rescore_all",
    "resource_facts",
    "screening_facts",
]

_MODULES = {
    "facts": "dataset_facts resource_facts screening_facts",
    "records": "history_of latest_records record_dict record_score",
    "service": (
        "RescoreResult dataset_openness dataset_scores openness_ranking openness_ranking_csv "
        "organization_openness record_registered_version rescore_all"
    ),
}
__getattr__ = lazy_exports(globals(), _MODULES)
