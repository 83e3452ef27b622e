"""The licenses a dataset may carry (SPDX ids), seeded into the catalog by the first
migration. ``OGDL-Taiwan-1.0`` is the default; ``other`` needs the license's URL."""

from __future__ import annotations

from dataclasses import dataclass

from kaifang.errors import ValidationError

DEFAULT_LICENSE = "OGDL-Taiwan-1.0"
OTHER_LICENSE = "other"


@dataclass(frozen=True)
class LicenseInfo:
    id: str
    title: str
    url: str
    is_open: bool = True


LICENSES: tuple[LicenseInfo, ...] = (
    LicenseInfo(
        "OGDL-Taiwan-1.0",
        "政府資料開放授權條款－第1版 (Open Government Data License, version 1.0)",
        "https://data.gov.tw/license",
    ),
    LicenseInfo(
        "CC-BY-4.0",
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    LicenseInfo(
        "CC0-1.0",
        "Creative Commons Zero 1.0 (public domain dedication)",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    LicenseInfo(
        "CC-BY-SA-4.0",
        "Creative Commons Attribution-ShareAlike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    LicenseInfo(
        "ODbL-1.0",
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    LicenseInfo(
        "PDDL-1.0",
        "Open Data Commons Public Domain Dedication and License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
    LicenseInfo(OTHER_LICENSE, "Other license (see its URL)", "", is_open=False),
)

LICENSE_IDS: tuple[str, ...] = tuple(lic.id for lic in LICENSES)


def license_info(license_id: str) -> LicenseInfo:
    """The license with this SPDX id (case-insensitive), or a ValidationError listing them."""
    for lic in LICENSES:
        if lic.id.lower() == license_id.strip().lower():
            return lic
    raise ValidationError(
        f"license: unknown license {license_id!r}",
        hint=f"Valid licenses: {', '.join(LICENSE_IDS)} (with 'other', give license_url).",
        key="license",
    )
