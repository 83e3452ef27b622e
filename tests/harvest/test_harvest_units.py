"""The pieces under a harvest: schedules, retries with backoff, resumed downloads, and a CKAN
reader fed with recorded answers in the shape CKAN's API documentation gives."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from kaifang.cron import Schedule
from kaifang.errors import HarvestError, ValidationError
from kaifang.harvest.apply import licence_id
from kaifang.harvest.fetch import Fetcher
from kaifang.harvest.readers.ckan import CkanReader
from kaifang.harvest.remote import RemoteDataset

RECORDED = Path(__file__).parent / "recorded"


@pytest.mark.parametrize(
    ("expr", "moment", "expected"),
    [
        ("*/15 * * * *", datetime(2026, 1, 5, 3, 45), True),
        ("*/15 * * * *", datetime(2026, 1, 5, 3, 46), False),
        ("0 3 * * 1-5", datetime(2026, 1, 5, 3, 0), True),  # a Monday
        ("0 3 * * 1-5", datetime(2026, 1, 4, 3, 0), False),  # a Sunday (cron 0)
        ("30 8 1,15 * *", datetime(2026, 3, 15, 8, 30), True),
        ("daily", datetime(2026, 3, 15, 3, 0), True),
        ("hourly", datetime(2026, 3, 15, 7, 1), False),
    ],
)
def test_cron_matching(expr: str, moment: datetime, expected: bool) -> None:
    assert Schedule(expr).matches(moment) is expected


@pytest.mark.parametrize("bad", ["* * * *", "60 * * * *", "*/0 * * * *", "a b c d e", "weekly"])
def test_bad_schedules_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        Schedule(bad)


def test_due_after_a_scheduled_minute_passes() -> None:
    daily = Schedule("daily")
    last = datetime(2026, 1, 5, 3, 0, 20)
    assert not daily.due(last, datetime(2026, 1, 6, 2, 59))
    assert daily.due(last, datetime(2026, 1, 6, 3, 0))
    assert Schedule("0 0 1 1 *").due(datetime(2025, 1, 1), datetime(2026, 1, 1, 0, 5))
    assert not Schedule("manual").due(None, datetime(2026, 1, 1))


def test_retries_back_off_then_give_up() -> None:
    answers = iter([503, 429, 200])
    sleeps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), json={"ok": True})

    with Fetcher(transport=httpx.MockTransport(handler), sleep=sleeps.append) as fetcher:
        assert fetcher.get_json("https://portal.example/x") == {"ok": True}
        assert fetcher.requests == 3 and sleeps == [0.5, 1.0]

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with Fetcher(transport=httpx.MockTransport(down), sleep=sleeps.append, retries=2) as fetcher:
        with pytest.raises(HarvestError, match="ConnectError after 3 tries"):
            fetcher.get_bytes("https://portal.example/x")
        assert fetcher.requests == 3


def test_download_resumes_and_is_size_limited(tmp_path: Path) -> None:
    body = b"a,b\n" + b"1,2\n" * 1000
    calls: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.headers.get("Range"))
        if len(calls) == 1:  # the first transfer breaks after 100 bytes
            return httpx.Response(200, content=_Broken(body[:100]))
        if "Range" not in request.headers:
            return httpx.Response(200, content=body)
        start = int(request.headers["Range"].removeprefix("bytes=").rstrip("-"))
        return httpx.Response(206, content=body[start:])

    dest = tmp_path / "f.csv"
    with Fetcher(transport=httpx.MockTransport(handler), sleep=lambda s: None) as fetcher:
        fetcher.download("https://portal.example/f.csv", dest, max_bytes=10_000)
        assert dest.read_bytes() == body and calls == [None, "bytes=100-"]
        with pytest.raises(HarvestError, match="download limit"):
            fetcher.download("https://portal.example/f.csv", tmp_path / "g.csv", max_bytes=50)
        assert not (tmp_path / "g.csv").exists()


class _Broken(httpx.SyncByteStream):
    """A body that stops with a network error after its first bytes."""

    def __init__(self, head: bytes) -> None:
        self.head = head

    def __iter__(self):  # type: ignore[no-untyped-def]
        yield self.head
        raise httpx.ReadError("connection reset")


def test_recorded_ckan_answers_map_onto_kaifang_fields() -> None:
    search = json.loads((RECORDED / "ckan_package_search.json").read_text("utf-8"))
    names = json.loads((RECORDED / "ckan_package_list.json").read_text("utf-8"))
    seen: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.url.params))
        if request.url.path.endswith("/package_list"):
            return httpx.Response(200, json=names)
        if "fq" in request.url.params:  # this recorded site refuses range queries
            return httpx.Response(
                400, json={"success": False, "error": {"__type": "Search Query Error"}}
            )
        return httpx.Response(200, json=search)

    with Fetcher(transport=httpx.MockTransport(handler)) as fetcher:
        reader = CkanReader("https://demo.ckan.example/", fetcher)
        assert reader.ids() == {"sample-dataset-1", "air-quality-2025"}
        found = list(reader.changed(datetime(2026, 1, 1, tzinfo=UTC)))
    assert seen[1]["fq"] == "metadata_modified:[2026-01-01T00:00:00Z TO *]"
    assert "fq" not in seen[2]  # fell back to a full read
    first = found[0]
    assert isinstance(first, RemoteDataset)
    assert first.remote_id == "sample-dataset-1" and first.title == "A Wonderful Story"
    assert first.publisher == "Sample Organization"
    assert first.keywords == ("economy", "sample")
    assert [d.format for d in first.distributions] == ["CSV", "JSON"]
    assert licence_id(first) == "CC-BY-4.0"
    second = found[1]
    assert isinstance(second, RemoteDataset) and licence_id(second) == "other"


@pytest.mark.parametrize(
    "expr", ["daily", "hourly", "*/7 9-17 * * 1-5", "0 0 29 2 *", "30 4 1,15 * *", "5 5 31 * 0"]
)
def test_next_scheduled_minute_is_the_first_that_matches(expr: str) -> None:
    """Skipping whole months, days and hours finds the same minute as walking every minute."""
    schedule = Schedule(expr)
    start = datetime(2027, 12, 30, 22, 58)
    until = start + timedelta(days=70)  # past 29 February 2028
    found = schedule.next_after(start, until)
    walked = start
    while walked <= until and not schedule.matches(walked):
        walked += timedelta(minutes=1)
    assert found == (walked if walked <= until else None)
    assert found is None or found.second == 0


def test_a_schedule_that_never_comes_is_never_due() -> None:
    """31 February never comes: ten years are looked at in month steps, not 5 M minutes."""
    never = Schedule("0 0 31 2 *")
    assert not never.due(datetime(2020, 1, 1), datetime(2030, 1, 1))
    assert never.next_after(datetime(2020, 1, 1), datetime(2030, 1, 1)) is None
