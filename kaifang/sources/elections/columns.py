"""CEC voteData files: columns as 「選舉資料庫轉檔格式說明」 names them, in file order.

The files have no header. Codes (省市, 縣市, 選區, 鄉鎮市區, 村里, 投開票所, 政黨代號) are text:
leading zeros matter and 村里 may start with a letter (``A001``) for stations spanning
villages. A zero code marks an aggregate row (see :mod:`kaifang.sources.elections.parse`).
"""

from __future__ import annotations

from kaifang.sources.model import SourceColumn

PUBLISHER = "中央選舉委員會"

AREA_CODES: tuple[SourceColumn, ...] = (
    SourceColumn("省市", "省市", "string", "省市別代碼（2 碼）；0 表示全國彙總"),
    SourceColumn("縣市", "縣市", "string", "縣市別代碼（3 碼）；0 表示上一層彙總"),
    SourceColumn("選區", "選區", "string", "選舉區代碼（2 碼）"),
    SourceColumn("鄉鎮市區", "鄉鎮市區", "string", "鄉鎮市區代碼（3 碼）；0 表示上一層彙總"),
    SourceColumn("村里", "村里", "string", "村里代碼（4 碼，可含英文字母）；0 表示上一層彙總"),
)
_STATION = SourceColumn("投開票所", "投開票所", "string", "投開票所編號；0 表示上一層彙總")
_ELECTED = SourceColumn(
    "當選註記", "當選註記", "string", "* 當選、! 婦女保障當選、- 因婦女保障落選、空白 未當選"
)

ELBASE = (*AREA_CODES, SourceColumn("名稱", "名稱", "string", "行政區或選舉區名稱"))
ELCAND = (
    *AREA_CODES,
    SourceColumn("號次", "號次", "integer", "候選人號次"),
    SourceColumn("名字", "名字", "string", "候選人姓名（依選舉罷免法公告之個人資料）"),
    SourceColumn("政黨代號", "政黨代號", "string", "推薦政黨代號（對照 elpaty）"),
    SourceColumn("性別", "性別", "string", "1 男、2 女"),
    SourceColumn("出生日期", "出生日期", "string", "民國年月日 yyyMMdd（個人資料）"),
    SourceColumn("年齡", "年齡", "integer", "選舉時年齡", "歲"),
    SourceColumn("出生地", "出生地", "string", "出生地"),
    SourceColumn("學歷", "學歷", "string", "最高學歷"),
    SourceColumn("現任", "現任", "string", "Y 現任、N 非現任"),
    _ELECTED,
    SourceColumn("副手", "副手", "string", "Y 副手（副總統、副市長候選人）"),
)
ELPATY = (
    SourceColumn("政黨代號", "政黨代號", "string", "政黨代號"),
    SourceColumn("政黨名稱", "政黨名稱", "string", "政黨名稱"),
)
ELCTKS = (
    *AREA_CODES,
    _STATION,
    SourceColumn("候選人號次", "候選人號次", "integer", "候選人（或政黨）號次"),
    SourceColumn("得票數", "得票數", "integer", "得票數", "票"),
    SourceColumn("得票率", "得票率", "number", "得票數占有效票比率", "%"),
    _ELECTED,
)
ELPROF = (
    *AREA_CODES,
    _STATION,
    SourceColumn("有效票", "有效票", "integer", "有效票數", "票"),
    SourceColumn("無效票", "無效票", "integer", "無效票數", "票"),
    SourceColumn("投票數", "投票數", "integer", "投票數", "票"),
    SourceColumn("選舉人數", "選舉人數", "integer", "選舉人數", "人"),
    SourceColumn("人口數", "人口數", "integer", "人口數（投開票所與村里層級為 0）", "人"),
    SourceColumn("候選人數合計", "候選人數合計", "integer", "候選人數", "人"),
    SourceColumn("當選人數合計", "當選人數合計", "integer", "當選人數", "人"),
    SourceColumn("候選人數-男", "候選人數-男", "integer", "男性候選人數", "人"),
    SourceColumn("候選人數-女", "候選人數-女", "integer", "女性候選人數", "人"),
    SourceColumn("當選人數-男", "當選人數-男", "integer", "男性當選人數", "人"),
    SourceColumn("當選人數-女", "當選人數-女", "integer", "女性當選人數", "人"),
    SourceColumn("選舉人數對人口數", "選舉人數對人口數", "number", "選舉人數占人口數比率", "%"),
    SourceColumn("投票數對選舉人數", "投票數對選舉人數", "number", "投票率", "%"),
    SourceColumn("當選人數對候選人數", "當選人數對候選人數", "number", "當選率", "%"),
)
ELREPM = (
    SourceColumn("政黨代號", "政黨代號", "string", "政黨代號"),
    SourceColumn("排名", "排名", "integer", "不分區名單排名"),
    SourceColumn("名字", "名字", "string", "政黨代表人姓名（個人資料）"),
    SourceColumn("性別", "性別", "string", "1 男、2 女"),
    SourceColumn("出生日期", "出生日期", "string", "民國年月日 yyyMMdd（個人資料）"),
    SourceColumn("年齡", "年齡", "integer", "選舉時年齡", "歲"),
    SourceColumn("出生地", "出生地", "string", "出生地"),
    SourceColumn("學歷", "學歷", "string", "最高學歷"),
    SourceColumn("現任", "現任", "string", "Y 現任、N 非現任"),
    _ELECTED,
)
ELRETKS = (
    SourceColumn("政黨代號", "政黨代號", "string", "政黨代號"),
    SourceColumn("第一階段得票率", "第一階段得票率", "number", "政黨得票率", "%"),
    SourceColumn("第二階段得票率", "第二階段得票率", "number", "達門檻政黨間重新計算之得票率", "%"),
    SourceColumn("候選人數", "候選人數", "integer", "政黨提名人數", "人"),
    SourceColumn("當選人數", "當選人數", "integer", "分配席次", "席"),
)

FILES: dict[str, tuple[SourceColumn, ...]] = {
    "elbase": ELBASE,
    "elcand": ELCAND,
    "elpaty": ELPATY,
    "elctks": ELCTKS,
    "elprof": ELPROF,
    "elrepm": ELREPM,
    "elretks": ELRETKS,
}
