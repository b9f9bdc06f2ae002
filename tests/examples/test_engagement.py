"""The engagement example end to end: the simulator's ``engagement`` tenant, a database in the
sync layout, the scores worked out by hand (see examples/engagement/README.md)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import score
from engagement_db import load
from engagement_rules import ClientScore, score_clients

from cw_facade import ConnectWiseClient
from cw_facade.testing import ManageSimulator
from tests.examples.conftest import ENDPOINTS, write_contract_db

NOW = datetime(2025, 1, 1, tzinfo=UTC)

# id: (client, industry, primary contact, agreements in force,
#      {days: (tickets, quick, hours, help desk, first touch, project)})
KNOWN = {
    305: ("Bluebird Logistics", "other", "Alex Morgan", 0, {
        30: (3, 3, 9.99, 1, 3, 2), 60: (3, 3, 9.99, 1, 3, 2), 90: (3, 3, 9.99, 1, 3, 2)}),
    301: ("Cedar & Pine Law", "legal", "Jamie Costa", 2, {
        30: (11, 7, 40.0, 5, 5, 5), 60: (11, 7, 40.0, 5, 5, 5), 90: (11, 7, 40.0, 5, 5, 5)}),
    302: ("Harbor Point Dental", "healthcare", "Riley Nguyen", 1, {
        30: (2, 1, 19.75, 1, 1, 3), 60: (3, 2, 20.0, 1, 2, 4), 90: (4, 2, 40.0, 2, 2, 5)}),
    303: ("Ironwood Manufacturing", "manufacturing", None, 1, {
        30: (1, 1, 10.0, 0, 1, 3), 60: (3, 2, 20.0, 1, 2, 4), 90: (4, 3, 40.0, 2, 3, 5)}),
    304: ("Meadowbrook School District", "education", "Casey Okafor", 0, {
        30: (2, 0, 0.0, 1, 0, 2), 60: (2, 0, 0.0, 1, 0, 2), 90: (2, 0, 0.0, 1, 0, 2)}),
    309: ("Northgate Credit Union", "finance", "Casey Baker", 1, {
        30: (0, 0, 15.0, 0, 0, 3), 60: (4, 0, 15.0, 2, 0, 3), 90: (4, 0, 15.0, 2, 0, 3)}),
    307: ("Oakleaf Community Trust", "nonprofit", "Jamie Ward", 0, {
        30: (1, 1, 0.0, 0, 1, 2), 60: (1, 1, 0.0, 0, 1, 2), 90: (1, 1, 0.0, 0, 1, 2)}),
    306: ("Summit Ridge Clinic", "other", "Sam Okafor", 0, {
        30: (0, 0, 0.0, 0, 0, 2), 60: (0, 0, 0.0, 0, 0, 2), 90: (0, 0, 0.0, 0, 0, 2)}),
}  # fmt: skip
TOTALS = {
    305: (6, 6, 6),
    301: (15, 15, 15),
    302: (5, 7, 9),
    303: (4, 7, 10),
    304: (3, 3, 3),
    309: (3, 5, 5),
    307: (3, 3, 3),
    306: (2, 2, 2),
}
LEFT_OUT = {249: "the owner", 308: "inactive", 310: "deleted"}


@pytest.fixture(scope="module")
def tenant() -> Iterator[ManageSimulator]:
    with ManageSimulator(seed="engagement") as sim:
        yield sim


def client_for(sim: ManageSimulator) -> ConnectWiseClient:
    return ConnectWiseClient(
        sim.base_url, sim.company, sim.public_key, sim.private_key, sim.client_id
    )


@pytest.fixture(scope="module")
def api_db(tenant: ManageSimulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tenant's records as the API serves them, in the sync layout (built with the
    client's raw reads, independent of cw_facade.sync)."""
    with client_for(tenant) as cw:
        records = {table: cw.get_all(endpoint) for table, endpoint in ENDPOINTS.items()}
    return write_contract_db(tmp_path_factory.mktemp("api") / "engagement.sqlite", records)


def as_known(scores: list[ClientScore]) -> dict[int, tuple[object, ...]]:
    return {
        s.company.id: (
            s.company.name,
            s.industry,
            s.primary_contact,
            s.agreements,
            {
                w.days: (
                    w.tickets,
                    w.quick_resolutions,
                    w.billable_hours,
                    w.help_desk,
                    w.first_touch,
                    w.project,
                )
                for w in s.windows
            },
        )
        for s in scores
    }


def test_the_tenant_scores_match_the_hand_worked_answers(api_db: Path) -> None:
    scores = score_clients(load(api_db), NOW, (30, 60, 90))
    assert as_known(scores) == KNOWN
    assert [s.company.id for s in scores] == list(KNOWN)  # ordered by name
    assert {s.company.id: tuple(w.total for w in s.windows) for s in scores} == TOTALS
    assert not set(LEFT_OUT) & {s.company.id for s in scores}


def test_the_left_out_companies_are_in_the_database(api_db: Path) -> None:
    ids = {c.id for c in load(api_db).companies}
    assert set(LEFT_OUT) <= ids
    assert ids - set(LEFT_OUT) == set(KNOWN)


def test_an_earlier_now_moves_the_windows(api_db: Path) -> None:
    # 20 days earlier: Cedar & Pine's tickets of the last 11 days and its work are all in the
    # future; Northgate's tickets 40 days back are now 20 days back, its 15 hours 10 days back
    # are in the future.
    earlier = datetime(2024, 12, 12, tzinfo=UTC)
    scores = {s.company.id: s for s in score_clients(load(api_db), earlier, (30,))}
    assert scores[301].window(30).total == 2
    assert scores[309].window(30).tickets == 4
    assert scores[309].window(30).billable_hours == 0.0
    assert scores[309].window(30).total == 2 + 0 + 2


def test_the_command_prints_the_score_table(
    api_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert score.main(["--db", str(api_db), "--now", "2025-01-01T00:00:00Z"]) == 0
    out = capsys.readouterr().out
    assert "Engagement scores as of 2025-01-01 00:00 UTC (8 clients)" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.split()[:1] == ["id"])
    assert header.split() == [
        "id", "client", "industry", "primary", "contact", "agr", "30", "days", "60", "days", "90",
        "days",
    ]  # fmt: skip
    cedar = next(line for line in lines if line.startswith("301") and "legal" in line)
    assert cedar.split()[-9:] == ["15", "=", "5+5+5", "15", "=", "5+5+5", "15", "=", "5+5+5"]
    harbor = next(line for line in lines if line.startswith("302") and "healthcare" in line)
    assert "Riley Nguyen" in harbor
    assert harbor.split()[-9:] == ["5", "=", "1+1+3", "7", "=", "1+2+4", "9", "=", "2+2+5"]
    ironwood = next(line for line in lines if line.startswith("303") and "manufact" in line)
    assert " - " in ironwood  # no primary contact
    facts = [line for line in lines if line.startswith("302") and "t " in line]
    assert facts[-1].split()[-9:] == ["2t", "1q", "19.75h", "3t", "2q", "20h", "4t", "2q", "40h"]
    for left_out in ("Facade Managed Services", "Old Mill Outfitters", "Foxglove Bakery"):
        assert left_out not in out


def test_the_command_scores_the_windows_asked(
    api_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert score.main(["--db", str(api_db), "--now", "2025-01-01", "--days", "7", "365"]) == 0
    out = capsys.readouterr().out
    assert "7 days" in out and "365 days" in out and "30 days" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--days", "0"], "positive number of days"),
        (["--now", "tomorrow-ish"], "Invalid isoformat"),
        (["--reconcile"], "--reconcile needs --sync"),
    ],
)
def test_the_command_refuses_bad_options(
    api_db: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert score.main(["--db", str(api_db), *argv]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_the_command_says_when_the_database_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert score.main(["--db", str(tmp_path / "none.sqlite")]) == 2
    assert "run with --sync first" in capsys.readouterr().err


def test_sync_needs_every_connection_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for env in score.ENV.values():
        monkeypatch.delenv(env, raising=False)
    with pytest.raises(SystemExit, match="missing") as raised:
        score.main(["--db", str(tmp_path / "db.sqlite"), "--sync", "--company", "x"])
    assert "--base-url" in str(raised.value) and "--company" not in str(raised.value)
    assert not (tmp_path / "db.sqlite").exists()
