"""Small-cell suppression for aggregate count tables.

Primary suppression hides every count from 1 to ``small_cell_threshold - 1``. Complementary
suppression then makes sure no line of the table (the cells that share all dimensions but
one, whose total a reader may know or compute) has exactly one hidden cell: otherwise the
total minus the visible cells would give the hidden count back. In each such line the next
smallest visible cell is hidden too, and the rounds repeat over every dimension until nothing
changes. Each round is one SQL window query over the (small) aggregate table.
"""

from __future__ import annotations

import duckdb

from kaifang.errors import ValidationError
from kaifang.privacy.relations import query, select
from kaifang.settings import Settings
from kaifang.sqlutil import quote_ident

MAX_ROUNDS = 50


def small_cell_count(
    relation: duckdb.DuckDBPyRelation, count_column: str, settings: Settings
) -> int:
    value = f"TRY_CAST({quote_ident(count_column)} AS BIGINT)"
    rows = relation.aggregate(
        f"count(*) FILTER (WHERE {value} > 0 AND {value} < {int(settings.small_cell_threshold)})"
    ).fetchall()
    return int(rows[0][0])


def suppress_small_cells(
    relation: duckdb.DuckDBPyRelation,
    count_column: str,
    dims: list[str],
    settings: Settings,
) -> duckdb.DuckDBPyRelation:
    """``relation`` with small counts (and their complements) set to NULL."""
    missing = [c for c in [count_column, *dims] if c not in relation.columns]
    if missing:
        raise ValidationError(
            f"suppress_small_cells: no column {', '.join(map(repr, missing))}",
            hint=f"Columns are: {', '.join(relation.columns)}.",
        )
    count = quote_ident(count_column)
    threshold = int(settings.small_cell_threshold)
    con = duckdb.connect()
    con.register(
        "cells_input",
        query(
            relation,
            "cells_source",
            f"SELECT *, ({count} > 0 AND {count} < {threshold}) AS _hidden FROM cells_source",
        ).to_arrow_table(),
    )
    current = select(con, "SELECT * FROM cells_input")
    hidden = _hidden_count(current)
    order = ", ".join([count, *(quote_ident(d) for d in dims)])
    for _ in range(MAX_ROUNDS):
        for dim in dims or [count_column]:
            line = [quote_ident(d) for d in dims if d != dim]
            partition = f"PARTITION BY {', '.join(line)}" if line else ""
            rank_partition = f"PARTITION BY {', '.join([*line, '_hidden'])}"
            con.register("cells_round", current.to_arrow_table())
            current = select(
                con,
                "SELECT * EXCLUDE (_n_hidden, _rank) REPLACE "
                "((_hidden OR (_n_hidden = 1 AND _rank = 1)) AS _hidden) FROM ("
                f"SELECT *, sum(CAST(_hidden AS INTEGER)) OVER ({partition}) AS _n_hidden, "
                f"CASE WHEN _hidden THEN NULL ELSE row_number() OVER ({rank_partition} "
                f"ORDER BY {order}) END AS _rank FROM cells_round)",
            )
        now = _hidden_count(current)
        if now == hidden:
            break
        hidden = now
    return query(
        current,
        "cells_done",
        f"SELECT * EXCLUDE (_hidden) REPLACE (CASE WHEN _hidden THEN NULL ELSE {count} END "
        f"AS {count}) FROM cells_done",
    )


def _hidden_count(relation: duckdb.DuckDBPyRelation) -> int:
    return int(relation.aggregate("count(*) FILTER (WHERE _hidden)").fetchall()[0][0])
