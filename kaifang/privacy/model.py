"""Vocabulary shared by screening, policies and verification."""

from __future__ import annotations

from typing import Literal, get_args

Category = Literal["direct_identifier", "quasi_identifier", "sensitive", "none"]
Action = Literal["drop", "pseudonymize", "mask", "generalize", "suppress", "keep", "review"]

CATEGORIES: tuple[str, ...] = get_args(Category)
ACTIONS: tuple[str, ...] = get_args(Action)

# Higher wins when several detectors fire on one column.
CATEGORY_RANK: dict[str, int] = {
    "none": 0,
    "quasi_identifier": 1,
    "sensitive": 2,
    "direct_identifier": 3,
}
