"""Openness scoring: a 100-point automatic rubric per dataset with a fix for every lost
point, its band (金/銀/銅), 5-star level and GODI 2015 view; organization figures with split
datasets counted once; and the national ranking. Pure functions of plain facts: the catalog
gathers ``DatasetFacts`` and stores ``ScoreRecord``s. See docs/openness.md."""

from __future__ import annotations

from kaifang.openness.checks.base import Check, Outcome, Text
from kaifang.openness.facts import ColumnFacts, DatasetFacts, ResourceFacts
from kaifang.openness.godi import GodiView, godi_view
from kaifang.openness.organization import (
    DatasetRequest,
    OrganizationScore,
    OverdueDataset,
    ScoringUnit,
    score_organization,
)
from kaifang.openness.report import csv_cell, ranking, ranking_to_csv
from kaifang.openness.rubric import RUBRIC, TOTAL_POINTS, CheckResult, evaluate
from kaifang.openness.score import Band, DatasetScore, band_for, score_dataset
from kaifang.openness.split import SplitGroup, SplitMember, detect_split_datasets
from kaifang.openness.stars import StarRating, star_rating
from kaifang.openness.trend import ScoreRecord, TrendPoint

__all__ = [
    "RUBRIC",
    "TOTAL_POINTS",
    "Band",
    "Check",
    "CheckResult",
    "ColumnFacts",
    "DatasetFacts",
    "DatasetRequest",
    "DatasetScore",
    "GodiView",
    "OrganizationScore",
    "Outcome",
    "OverdueDataset",
    "ResourceFacts",
    "ScoreRecord",
    "ScoringUnit",
    "SplitGroup",
    "SplitMember",
    "StarRating",
    "Text",
    "TrendPoint",
    "band_for",
    "csv_cell",
    "detect_split_datasets",
    "evaluate",
    "godi_view",
    "ranking",
    "ranking_to_csv",
    "score_dataset",
    "score_organization",
    "star_rating",
]
