"""Numbers of a person's record (病歷號碼, 個案編號, 受刑人編號, 學號, 健保卡號...): in a
medical, welfare, prison or school file they point at one person, so they are direct
identifiers whatever domain the table is in — never a "sensitive category, keep". They count
only under such a column name, and only when the values are nearly unique per row (a record
number repeats little; a diagnosis code or a class name repeats a lot; see
:data:`kaifang.privacy.decide.RECORD_NUMBER_DISTINCT`)."""

from __future__ import annotations

from kaifang.privacy.detectors.base import Detector

DETECTOR = Detector(
    name="record_number",
    category="direct_identifier",
    label="個人紀錄編號 record number of a person",
    pattern=r"[0-9a-z][0-9a-z-]{3,19}",
    whole_cell=True,
    needs_context=True,
    keywords=(
        "病歷號",
        "病例號",
        "病歷編號",
        "病歷碼",
        "病人編號",
        "病患編號",
        "mrn",
        "medical_record",
        "chart_no",
        "patient_id",
        "健保卡",
        "nhi_card",
        "個案編號",
        "個案號",
        "個案代號",
        "社福案號",
        "社工案號",
        "福利案號",
        "case_no",
        "受刑人編號",
        "收容人編號",
        "在監編號",
        "入監編號",
        "inmate",
        "學號",
        "學生編號",
        "學生證",
        "學籍號",
        "學籍編號",
        "student_id",
        "student_no",
    ),
    requires=("digit",),
    lengths=(4, 20),
    min_rate=0.8,
    mask_style="middle",
    action="pseudonymize",
    reason="個人紀錄編號直接指向當事人 / a record number points at one person: drop or "
    "pseudonymize it",
)
