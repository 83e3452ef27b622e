"""The functions a query may call: an allow-list, checked against DuckDB's own parse.

Anything not named here is refused, so a function added by a future DuckDB release (or by an
extension) stays unreachable until someone reads what it does and adds it. Left out on purpose:
everything that reads files or URLs (``read_*``, ``glob``, ``sniff_csv``, ``parquet_*``),
catalog and configuration introspection (``duckdb_*``, ``pragma_*``, ``current_setting``,
``getvariable``, ``json_serialize_plan``), functions with side effects or global state
(``setseed``, ``nextval``, ``setval``, ``write_log``, ``sleep_ms``, ``pg_sleep``) and the
Python bridges (``python_map_function``, ``pandas_scan``, ``arrow_scan``).
"""

from __future__ import annotations

_MATH = """
abs acos acosh add asin asinh atan atan2 atanh bit_count cbrt ceil ceiling cos cosh cot degrees
divide even exp factorial fdiv floor fmod gamma gcd greatest greatest_common_divisor isfinite
isinf isnan lcm least least_common_multiple lgamma ln log log10 log2 mod multiply nextafter pi
pow power radians random round round_even roundbankers sign signbit sin sinh sqrt subtract tan
tanh trunc xor
"""

_TEXT = """
ascii bar base64 bin bit_length chr concat concat_ws contains damerau_levenshtein editdist3
ends_with format format_bytes formatReadableDecimalSize formatReadableSize from_base64
from_binary from_hex hamming hash hex ilike_escape instr jaccard jaro_similarity
jaro_winkler_similarity lcase left left_grapheme len length length_grapheme levenshtein
like_escape lower lpad ltrim md5 md5_number mismatches nfc_normalize not_ilike_escape
not_like_escape octet_length ord overlay position prefix printf regexp_escape regexp_extract
regexp_extract_all regexp_full_match regexp_matches regexp_replace regexp_split_to_array repeat
replace reverse right right_grapheme rpad rtrim sha1 sha256 split split_part starts_with
str_split str_split_regex string_split string_split_regex string_to_array strip_accents strlen
strpos substr substring substring_grapheme suffix to_base to_base64 to_binary to_hex translate
trim ucase unbin unhex unicode upper url_decode url_encode char_length character_length
parse_formatted_bytes
"""

_TIME = """
age ago century current_date current_localtime current_localtimestamp date_add date_diff
date_part date_sub date_trunc datediff datepart datesub datetrunc day dayname dayofmonth
dayofweek dayofyear days_in_month decade epoch epoch_ms epoch_ns epoch_us era
get_current_time get_current_timestamp hour isodow isoyear julian last_day make_date make_time
make_timestamp make_timestamp_ms make_timestamp_ns make_timestamptz microsecond millennium
millisecond minute month monthname nanosecond normalized_interval now quarter second strftime
strptime time_bucket timezone timezone_hour timezone_minute to_centuries to_days to_decades
to_hours to_microseconds to_millennia to_milliseconds to_minutes to_months to_quarters
to_seconds to_timestamp to_weeks to_years today transaction_timestamp try_strptime week weekday
weekofyear year yearweek
"""

_NESTED = """
aggregate apply array_aggr array_aggregate array_append array_apply array_cat array_concat
array_contains array_cosine_distance array_cosine_similarity array_cross_product array_distance
array_distinct array_dot_product array_extract array_filter array_grade_up array_has
array_has_all array_has_any array_indexof array_inner_product array_intersect array_length
array_negative_dot_product array_negative_inner_product array_pop_back array_pop_front
array_position array_prepend array_push_back array_push_front array_reduce array_resize
array_reverse array_reverse_sort array_select array_slice array_sort array_to_string
array_transform array_unique array_value array_where array_zip cardinality element_at filter
flatten generate_series grade_up list_aggr list_aggregate list_any_value list_append list_apply
list_avg list_cat list_concat list_contains list_count list_distinct list_element list_extract
list_filter list_first list_grade_up list_has list_has_all list_has_any list_indexof
list_intersect list_last list_max list_median list_min list_mode list_pack list_position
list_prepend list_product list_reduce list_resize list_reverse list_reverse_sort list_select
list_slice list_sort list_string_agg list_sum list_transform list_unique list_value list_where
list_zip map map_concat map_contains map_contains_entry map_contains_value map_entries
map_extract map_extract_value map_from_entries map_keys map_values range reduce row
struct_concat struct_contains struct_extract struct_extract_at struct_has struct_indexof
struct_insert struct_keys struct_pack struct_position struct_update struct_values unnest
union_extract union_tag union_value
"""

_JSON = """
json json_array json_array_length json_contains json_exists json_extract json_extract_path
json_extract_path_text json_extract_string json_keys json_merge_patch json_object json_pretty
json_quote json_structure json_transform json_transform_strict json_type json_valid json_value
to_json array_to_json row_to_json from_json from_json_strict
"""

_OTHER = """
constant_or_null error gen_random_uuid if nullif typeof uuid uuidv4 uuidv7
uuid_extract_timestamp uuid_extract_version equi_width_bins
"""

_AGGREGATE = """
any_value approx_count_distinct approx_quantile approx_top_k arbitrary arg_max arg_max_null
arg_min arg_min_null argmax argmin array_agg avg bit_and bit_or bit_xor bool_and bool_or corr
count count_if count_star countif covar_pop covar_samp entropy favg first fsum geomean
geometric_mean group_concat histogram kahan_sum kurtosis kurtosis_pop last list listagg mad
max max_by mean median min min_by mode product quantile quantile_cont quantile_disc regr_avgx
regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy sem skewness
stddev stddev_pop stddev_samp string_agg sum sumkahan var_pop var_samp variance weighted_avg
wavg
"""

_WINDOW = """
row_number rank dense_rank rank_dense percent_rank cume_dist ntile lag lead first_value
last_value nth_value
"""


def _names(*blocks: str) -> frozenset[str]:
    return frozenset(name.lower() for block in blocks for name in block.split())


SCALAR_FUNCTIONS: frozenset[str] = _names(_MATH, _TEXT, _TIME, _NESTED, _JSON, _OTHER)
"""Scalar functions (and DuckDB's built-in scalar macros) a query may call."""

AGGREGATE_FUNCTIONS: frozenset[str] = _names(_AGGREGATE)
"""Aggregates; each may also be used as a window function (``sum(x) OVER (...)``)."""

WINDOW_FUNCTIONS: frozenset[str] = _names(_WINDOW) | AGGREGATE_FUNCTIONS
"""Functions allowed before ``OVER``."""

TABLE_FUNCTIONS: frozenset[str] = frozenset({"range", "generate_series", "unnest"})
"""Table functions allowed in FROM: pure computation, no I/O; the limits bound their size."""


def is_operator_name(name: str) -> bool:
    """DuckDB parses operators (``+``, ``||``, ``~~`` for LIKE...) as functions named by
    their symbol; none of them touches anything outside its arguments."""
    return bool(name) and not any(char.isalnum() or char == "_" for char in name)
