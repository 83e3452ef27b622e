"""Personal-data screening, de-identification and verification.

screen -> propose_policy / load_policy -> apply_policy -> screen again -> verify -> gate.
"""

from kaifang.privacy.cells import suppress_small_cells
from kaifang.privacy.detectors import DEFAULT_DETECTORS, Detector
from kaifang.privacy.gate import GateFailure, gate
from kaifang.privacy.policy import ColumnPolicy, Policy, load_policy, propose_policy
from kaifang.privacy.report import ColumnReport, Finding, KAnonymity, ScreeningReport
from kaifang.privacy.screen import screen
from kaifang.privacy.transforms import apply_policy
from kaifang.privacy.tuning import tune_policy
from kaifang.privacy.verify import Verification, verify

__all__ = [
    "DEFAULT_DETECTORS",
    "ColumnPolicy",
    "ColumnReport",
    "Detector",
    "Finding",
    "GateFailure",
    "KAnonymity",
    "Policy",
    "ScreeningReport",
    "Verification",
    "apply_policy",
    "gate",
    "load_policy",
    "propose_policy",
    "screen",
    "suppress_small_cells",
    "tune_policy",
    "verify",
]
