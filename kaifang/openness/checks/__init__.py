"""The rubric's checks, one module per group: licence (L1, L2), access (A1–A3), formats
(F1–F4), metadata (M1–M3), timeliness (T1) and privacy (G). ``kaifang.openness.rubric``
registers them explicitly."""
