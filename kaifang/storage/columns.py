"""What changed between two versions' columns (their Table Schema fields): added, removed,
renamed and retyped. A publish records it in the version's summary (and refuses it unless
accepted, :mod:`kaifang.publish.checks`); ``kaifang diff`` and ``history`` show it. Here, with
the versions, so that comparing them needs neither the reader nor the publish pipeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SchemaFields = Sequence[Mapping[str, Any]]


def schema_difference(before: SchemaFields, after: SchemaFields) -> dict[str, Any]:
    """``{added, removed, renamed, retyped}`` between two Table Schema field lists; empty
    when the columns are the same. A removed and an added column at the same position with
    the same type count as renamed."""
    old = {f["name"]: f.get("type", "string") for f in before}
    new = {f["name"]: f.get("type", "string") for f in after}
    removed = [name for name in old if name not in new]
    added = [name for name in new if name not in old]
    renamed = []
    positions = {f["name"]: i for i, f in enumerate(after)}
    for i, field in enumerate(before):
        name = field["name"]
        if name not in removed or i >= len(after):
            continue
        candidate = after[i]["name"]
        if candidate in added and new[candidate] == old[name] and positions[candidate] == i:
            renamed.append({"from": name, "to": candidate})
    for pair in renamed:
        removed.remove(pair["from"])
        added.remove(pair["to"])
    retyped = [
        {"column": name, "from": old[name], "to": new[name]}
        for name in new
        if name in old and old[name] != new[name]
    ]
    out: dict[str, Any] = {}
    for key, value in (
        ("added", [{"column": n, "type": new[n]} for n in added]),
        ("removed", [{"column": n, "type": old[n]} for n in removed]),
        ("renamed", renamed),
        ("retyped", retyped),
    ):
        if value:
            out[key] = value
    return out


def describe_difference(difference: Mapping[str, Any]) -> str:
    """One line: ``added x (integer); removed y (string); renamed a -> b; retyped c ...``."""
    parts = []
    for item in difference.get("added", []):
        parts.append(f"added {item['column']!r} ({item['type']})")
    for item in difference.get("removed", []):
        parts.append(f"removed {item['column']!r} ({item['type']})")
    for item in difference.get("renamed", []):
        parts.append(f"renamed {item['from']!r} -> {item['to']!r}")
    for item in difference.get("retyped", []):
        parts.append(f"retyped {item['column']!r} {item['from']} -> {item['to']}")
    return "; ".join(parts)
