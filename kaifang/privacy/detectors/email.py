"""E-mail addresses."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

DETECTOR = Detector(
    name="email",
    category="direct_identifier",
    label="電子郵件 e-mail",
    pattern=r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}",
    strong=True,
    contact=True,
    keywords=("email", "e-mail", "mail", "信箱", "郵件"),
    mask_style="email",
    requires=("at",),
    lengths=(6, None),
    action="drop",
    reason="個人電子郵件屬個人資料 / a person's e-mail address is personal data",
)
