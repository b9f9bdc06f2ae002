"""The engagement example end to end: the simulator's ``engagement`` tenant, a database in the
sync layout, the scores worked out by hand (see examples/engagement/README.md)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import engagement_demo
import pytest
import score
from engagement_db import load
from engagement_rules import ClientScore, Company, WindowScore, score_clients

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


@pytest.fixture(scope="module")
def synced_db(tenant: ManageSimulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tenant synced with cw_facade.sync, as the example does it."""
    path = tmp_path_factory.mktemp("sync") / "engagement.sqlite"
    with client_for(tenant) as cw:
        score.sync_database(cw, path)
    return path


@pytest.fixture(params=["sync", "raw-reads"])
def any_db(request: pytest.FixtureRequest) -> Path:
    """Both ways of filling the database must give the same scores."""
    name = "synced_db" if request.param == "sync" else "api_db"
    found: Path = request.getfixturevalue(name)
    return found


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


def test_the_tenant_scores_match_the_hand_worked_answers(any_db: Path) -> None:
    scores = score_clients(load(any_db), NOW, (30, 60, 90))
    assert as_known(scores) == KNOWN
    assert [s.company.id for s in scores] == list(KNOWN)  # ordered by name
    assert {s.company.id: tuple(w.total for w in s.windows) for s in scores} == TOTALS
    assert not set(LEFT_OUT) & {s.company.id for s in scores}


def test_the_left_out_companies_are_in_the_database(any_db: Path) -> None:
    ids = {c.id for c in load(any_db).companies}
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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for env in score.ENV.values():
        monkeypatch.delenv(env, raising=False)
    monkeypatch.setenv("CW_CLIENT_ID", "from-the-environment")
    assert score.main(["--db", str(tmp_path / "db.sqlite"), "--sync", "--company", "x"]) == 2
    err = capsys.readouterr().err
    assert "missing" in err and "--base-url ($CW_BASE_URL)" in err and "--private-key" in err
    assert "--company" not in err and "--client-id" not in err
    assert not (tmp_path / "db.sqlite").exists()


def test_the_command_syncs_then_scores(
    tenant: ManageSimulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = [tenant.base_url, tenant.company, tenant.public_key, tenant.private_key]
    for env, value in zip(score.ENV.values(), [*settings, tenant.client_id], strict=True):
        monkeypatch.setenv(env, value)
    db = tmp_path / "fresh.sqlite"
    assert score.main(["--db", str(db), "--sync", "--now", "2025-01-01T00:00:00Z"]) == 0
    captured = capsys.readouterr()
    assert "synced: companies +11 ~0 -0 =0; contacts +14" in captured.err
    assert "(8 clients)" in captured.out
    assert "15 = 5+5+5" in captured.out
    assert tenant.private_key not in captured.out + captured.err
    # a second run reads only what changed: nothing
    assert score.main(["--db", str(db), "--sync", "--now", "2025-01-01T00:00:00Z"]) == 0
    assert "companies +0 ~0 -0" in capsys.readouterr().err


def test_the_command_reports_an_api_failure(
    tenant: ManageSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "--db", str(tmp_path / "db.sqlite"), "--sync", "--base-url", tenant.base_url,
        "--company", tenant.company, "--public-key", tenant.public_key,
        "--private-key", "wrong-key", "--client-id", tenant.client_id,
    ]  # fmt: skip
    assert score.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("engagement: ") and captured.out == ""
    assert "wrong-key" not in captured.err


def test_a_later_sync_brings_new_and_deleted_records(tmp_path: Path) -> None:
    db = tmp_path / "engagement.sqlite"
    hour_later = datetime(2025, 1, 1, 1, tzinfo=UTC)
    with ManageSimulator(seed="engagement") as sim, client_for(sim) as cw:
        score.sync_database(cw, db)
        ticket = cw.create_ticket("Printer offline", company_id=306, board_id=1, priority_id=4)
        cw.update_ticket_status(ticket.id, status="Resolved")
        meadowbrook = [t.id for t in cw.get_tickets(conditions="company/id = 304")]
        assert len(meadowbrook) == 2
        cw.delete_ticket(meadowbrook[0])
        score.sync_database(cw, db)
        scores = {s.company.id: s for s in score_clients(load(db), hour_later, (30,))}
        summit = scores[306].window(30)
        assert (summit.tickets, summit.quick_resolutions, summit.total) == (1, 1, 0 + 1 + 2)
        assert scores[304].window(30).tickets == 2  # a deletion needs a reconciliation
        score.sync_database(cw, db, reconcile=True)
    scores = {s.company.id: s for s in score_clients(load(db), hour_later, (30,))}
    assert scores[304].window(30).tickets == 1
    assert scores[304].window(30).help_desk == 0


def test_the_demo_prints_the_score_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert engagement_demo.main([]) == 0
    out = capsys.readouterr().out
    assert "started the ConnectWise Manage simulator at http://127.0.0.1:" in out
    assert "companies +11 ~0 -0 =0" in out
    assert "Engagement scores as of 2025-01-01 00:00 UTC (8 clients)" in out
    rows: dict[str, str] = {}
    for line in out.splitlines():
        if line[:3].strip().isdigit():
            rows.setdefault(line.split()[0], line)  # the score table comes first
    assert rows["303"].split()[-9:] == ["4", "=", "0+1+3", "7", "=", "1+2+4", "10", "=", "2+3+5"]
    assert "done in" in out
    assert "demo-private" not in out


def test_the_demo_can_keep_its_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "kept.sqlite"
    assert engagement_demo.main(["--db", str(db)]) == 0
    capsys.readouterr()
    assert score.main(["--db", str(db), "--now", engagement_demo.DEMO_NOW, "--days", "60"]) == 0
    assert "15 = 5+5+5" in capsys.readouterr().out


def test_the_example_readme_shows_the_table_the_demo_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    readme = (Path(score.__file__).parent / "README.md").read_text()
    shown = readme.split("## What it prints", 1)[1].split("```", 2)[1].strip("\n").splitlines()
    assert engagement_demo.main([]) == 0
    printed = capsys.readouterr().out.splitlines()
    start = printed.index(shown[0])
    assert printed[start : start + len(shown)] == shown


def test_the_table_shows_large_and_fractional_hours_in_full() -> None:
    company = Company(1, "Big Client")
    window = WindowScore(30, 3, 1, 123456.75, 1, 1, 5)
    table = score.format_table([ClientScore(company, "other", None, 0, (window,))], [30], NOW)
    assert "3t 1q 123456.75h" in table
    assert table.splitlines()[0] == "Engagement scores as of 2025-01-01 00:00 UTC (1 client)"
    assert "Big Client  other     -" in table
