"""The detector interface: one identifier type, expressed as SQL over a whole column.

A detector never sees Python values. It contributes SQL expressions that DuckDB (or Spark)
evaluates over a normalized column (full-width folded, lower-cased; see
:mod:`kaifang.privacy.normalize`): ``hit_sql`` (the cell holds at least one valid token),
``candidate_sql`` (the cell holds something of the right shape, checksum or not) and
``example_sql`` (the first valid token, already masked). Checksums are SQL too
(``list_transform`` over the token's characters).

Third-party detectors are instances of :class:`Detector` (or a subclass) passed to
:func:`kaifang.privacy.screen` through ``detectors=``; the built-in ones are registered in
:mod:`kaifang.privacy.detectors`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from kaifang.privacy.model import Action, Category
from kaifang.privacy.normalize import fold_text
from kaifang.sqlutil import quote_literal

CharClass = Literal["digit", "latin", "cjk", "at"]
# What a normalized cell must contain for a detector to have any chance (one cheap pass over
# the sample decides which detectors run on which column).
CHAR_CLASSES: dict[str, str] = {
    "digit": "[0-9]",
    "latin": "[a-z]",
    "cjk": "[\\x{4e00}-\\x{9fff}]",
    "at": "@",
}
MaskStyle = Literal["middle", "phone", "name", "email", "address", "date", "coordinate", "none"]

# A token must not be glued to other letters or digits (RE2 has no look-around, so the
# boundaries are consumed, and the token is capture group 1).
_LEFT = "(?:^|[^0-9a-z.-])"  # a token glued by - or . to more characters is part of a bigger one
_RIGHT = "(?:$|[^0-9a-z])"


@dataclass(frozen=True)
class Detector:
    """One kind of identifier.

    ``strong`` detectors are specific enough (checksums, explicit formats) that a few hits in
    a free-text column count; the others fire only when most cells match, or when the column
    name gives the context (``keywords``). ``needs_context`` detectors (9-digit passports,
    12-digit NHI cards, romanized names) fire only with such a name. ``context_pattern`` is a
    looser shape accepted only with a keyword name (unseparated landlines, for example).
    """

    name: str
    category: Category
    label: str
    pattern: str
    action: Action
    reason: str
    keywords: tuple[str, ...] = ()
    needs_context: bool = False
    strong: bool = False
    whole_cell: bool = False
    validate: Callable[[str], str] | None = None
    context_pattern: str | None = None
    contact: bool = False
    mask_style: MaskStyle = "middle"
    min_rate: float = 0.5
    bounded: bool = True
    requires: tuple[CharClass, ...] = ()
    lengths: tuple[int, int | None] = (1, None)
    not_keywords: tuple[str, ...] = ()

    def guard_sql(self, value: str, flags: str | None = "has_") -> str:
        """SQL that is false for values this detector cannot match (too short, too long for a
        whole-cell pattern, or without the characters it requires): a cheap test that spares
        most cells the regex. The character classes are read from boolean columns named
        ``flags`` + class, or tested on ``value`` itself when ``flags`` is None."""
        low, high = self.lengths
        parts = [
            f"{flags}{c}"
            if flags is not None
            else f"regexp_matches({value}, {quote_literal(CHAR_CLASSES[c])})"
            for c in self.requires
        ]
        if high is not None:
            parts.insert(0, f"length({value}) BETWEEN {low} AND {high}")
        elif low > 1:
            parts.insert(0, f"length({value}) >= {low}")
        return " AND ".join(parts) or "true"

    # -- column context -------------------------------------------------------------------
    def has_keyword(self, column_name: str) -> bool:
        """Chinese keywords match anywhere in the name; ASCII ones match a whole word of it
        (or its start or end when 4+ letters), so ``age`` is not found in ``percentage``."""
        folded = fold_text(column_name)
        if any(word in folded for word in self.not_keywords):
            return False
        words = [w for w in re.split(r"[^a-z0-9]+", folded) if w]
        for keyword in self.keywords:
            if not keyword.isascii():
                if keyword in folded:
                    return True
            elif "_" in keyword or "-" in keyword:
                if keyword in folded:
                    return True
            elif any(
                w == keyword
                or (len(keyword) >= 4 and (w.startswith(keyword) or w.endswith(keyword)))
                for w in words
            ):
                return True
        return False

    # -- SQL ------------------------------------------------------------------------------
    def token_regex(self, *, context: bool) -> str:
        body = self.pattern
        if context and self.context_pattern:
            body = f"{body}|{self.context_pattern}"
        if self.whole_cell:
            return f"^({body})$"
        if not self.bounded:
            return f"({body})"
        return f"{_LEFT}({body}){_RIGHT}"

    def candidate_sql(self, value: str, *, context: bool) -> str:
        rx = quote_literal(self.token_regex(context=context))
        return f"regexp_matches({value}, {rx})"

    def tokens_sql(self, value: str, *, context: bool) -> str:
        """The valid tokens of a cell, as a list."""
        rx = quote_literal(self.token_regex(context=context))
        if self.whole_cell:
            valid = "true" if self.validate is None else self.validate(value)
            return f"CASE WHEN regexp_full_match({value}, {rx}) AND {valid} THEN [{value}] END"
        tokens = f"regexp_extract_all({value}, {rx}, 1)"
        if self.validate is None:
            return tokens
        return f"list_filter({tokens}, lambda tok: {self.validate('tok')})"

    def confirm_sql(self, value: str, *, context: bool) -> str:
        """SQL true when a cell whose ``candidate_sql`` matched holds a *valid* token. A cell
        that is exactly one token (a structured column) is validated directly; only cells
        with tokens inside other text pay for extracting and filtering a list."""
        if self.validate is None:
            return "true"
        if self.whole_cell:
            return self.validate(value)
        body = self.pattern
        if context and self.context_pattern:
            body = f"{body}|{self.context_pattern}"
        whole = quote_literal(f"(?:{body})")
        return (
            f"CASE WHEN regexp_full_match({value}, {whole}) THEN {self.validate(value)} "
            f"ELSE len({self.tokens_sql(value, context=context)}) > 0 END"
        )

    def hit_sql(self, value: str, *, context: bool) -> str:
        candidate = self.candidate_sql(value, context=context)
        if self.validate is None:
            return candidate
        confirm = self.confirm_sql(value, context=context)
        return f"(CASE WHEN {candidate} THEN {confirm} ELSE false END)"

    def hit_token_sql(self, value: str, *, context: bool) -> str:
        """:meth:`first_token_sql`, at less cost: extracting a capture group makes RE2 run
        its slow matcher, while the whole match (group 0) comes from its fast one.

        Without boundaries the token *is* the whole first match. With them, a cell that is
        one token (a column of phone numbers) is its own first token when its first match
        spans all of it, it matches the pattern on its own (so no boundary character was
        consumed before it) and it ends in a letter or digit (so none after it). Other
        cells take the general way."""
        if self.whole_cell:
            return f"({self.tokens_sql(value, context=context)})[1]"
        body = self.pattern
        if context and self.context_pattern:
            body = f"{body}|{self.context_pattern}"
        rx = quote_literal(self.token_regex(context=context))
        general = self.first_token_sql(value, context=context)
        if not self.bounded and self.validate is None:
            return (
                f"CASE WHEN regexp_matches({value}, {rx}) THEN regexp_extract({value}, {rx}, 0) END"
            )
        whole = (
            f"regexp_full_match({value}, {quote_literal(f'(?:{body})')}) AND "
            f"regexp_matches({value}, '[0-9a-z]$') AND regexp_extract({value}, {rx}, 0) = {value}"
        )
        if not self.bounded:
            whole = f"regexp_extract({value}, {rx}, 0) = {value}"
        if self.validate is not None:
            whole = f"{whole} AND {self.validate(value)}"
        return f"CASE WHEN {whole} THEN {value} ELSE {general} END"

    def first_token_sql(self, value: str, *, context: bool) -> str:
        """The first valid token of the cell, as it stands."""
        return f"({self.tokens_sql(value, context=context)})[1]"

    def example_sql(self, value: str, *, context: bool) -> str:
        """The first valid token of the cell, masked for display. A mask names its token
        several times: over many rows, select :meth:`first_token_sql` in a subquery and mask
        that column, so the token is extracted once per cell."""
        return mask_sql(self.first_token_sql(value, context=context), self.mask_style)


def mask_sql(token: str, style: MaskStyle) -> str:
    """SQL that hides most of ``token`` the way Taiwanese agencies write it (王○明,
    0912-***-678, A12****789)."""
    t = token
    if style == "name":
        return (
            f"CASE WHEN length({t}) <= 2 THEN left({t}, 1) || '○' "
            f"ELSE left({t}, 1) || repeat('○', length({t}) - 2) || right({t}, 1) END"
        )
    if style == "phone":
        return (
            f"left({t}, 4) || translate(substr({t}, 5, length({t}) - 7), '0123456789', "
            f"'**********') || right({t}, 3)"
        )
    if style == "email":
        return f"left({t}, 1) || '***@' || split_part({t}, '@', 2)"
    if style == "address":
        return f"regexp_replace({t}, '[0-9]+(之[0-9]+)?號.*$', '**號')"
    if style == "date":
        return f"left({t}, 4) || translate(substr({t}, 5), '0123456789', '**********')"
    if style == "coordinate":
        return f"regexp_replace({t}, '([0-9]+\\.[0-9]{{2}})[0-9]+', '\\1**', 'g')"
    if style == "none":
        return t
    return (
        f"CASE WHEN length({t}) >= 8 THEN left({t}, 3) || repeat('*', length({t}) - 6) || "
        f"right({t}, 3) WHEN length({t}) > 2 THEN left({t}, 1) || "
        f"repeat('*', length({t}) - 2) || right({t}, 1) ELSE repeat('*', length({t})) END"
    )


def digit_sql(token: str, position: int | str) -> str:
    """The decimal digit at 1-based ``position`` of ``token`` as an integer."""
    return f"(ascii(substr({token}, {position}, 1)) - 48)"
