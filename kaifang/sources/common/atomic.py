"""All or none for importers that publish several tables: every table is read, typed and
screened first, and only then published, so an input that fails in any table leaves every
table at its previous version. :func:`failing_table` puts the failing table into the error."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from kaifang.errors import KaifangError


@contextmanager
def failing_table(table: str, total: int, ready: Sequence[str]) -> Iterator[None]:
    """Prefix a KaifangError raised while preparing ``table`` with which table failed (its
    place among ``total``) and the tables ``ready`` before it, none of them published."""
    try:
        yield
    except KaifangError as error:
        before = ", ".join(ready) or "none"
        error.message = (
            f"{table} (table {len(ready) + 1} of {total}) failed, so no table was published "
            f"(ready before it: {before}): {error.message}"
        )
        error.args = (error.message,)
        error.details["failed_table"] = table
        raise
