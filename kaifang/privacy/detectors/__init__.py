"""Built-in detectors, registered explicitly (no discovery by name).

``DEFAULT_DETECTORS`` is the tuple :func:`kaifang.privacy.screen` uses unless given its own;
a third-party detector is a :class:`Detector` added to a copy of this tuple.
"""

from __future__ import annotations

from kaifang.privacy.detectors import (
    address,
    birth_date,
    coarse_address,
    company_tax_id,
    coordinates,
    credit_card,
    demographics,
    device_id,
    email,
    event_time,
    gantry,
    ip_address,
    national_id,
    nhi_card,
    passport,
    person_name,
    phone,
    record_number,
    resident_certificate,
    romanized_name,
    special_category,
    vehicle_plate,
)
from kaifang.privacy.detectors.base import Detector, mask_sql

DEFAULT_DETECTORS: tuple[Detector, ...] = (
    national_id.DETECTOR,
    resident_certificate.DETECTOR,
    passport.DETECTOR,
    nhi_card.DETECTOR,
    record_number.DETECTOR,
    phone.DETECTOR,
    email.DETECTOR,
    ip_address.DETECTOR,
    credit_card.DETECTOR,
    vehicle_plate.DETECTOR,
    device_id.DETECTOR,
    person_name.DETECTOR,
    romanized_name.DETECTOR,
    address.DETECTOR,
    coarse_address.DETECTOR,
    birth_date.DETECTOR,
    event_time.DETECTOR,
    coordinates.DETECTOR,
    demographics.AGE,
    demographics.SEX,
    demographics.OCCUPATION,
    demographics.PLACE,
    gantry.DETECTOR,
    gantry.TRIP_PATH,
    special_category.DETECTOR,
    company_tax_id.DETECTOR,
)

__all__ = ["DEFAULT_DETECTORS", "Detector", "mask_sql"]
