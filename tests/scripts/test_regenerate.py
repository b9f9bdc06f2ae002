"""scripts/regenerate.py: deterministic output and a --check that catches drift."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import regenerate


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("gen") / regenerate.PACKAGE
    regenerate.generate(dest)
    return dest


def test_checked_in_generated_package_is_up_to_date(fresh: Path) -> None:
    # The checked-in tree came from an earlier run: equality also shows the output is
    # deterministic (a second full regeneration here would add ~15 s for nothing more).
    assert regenerate.compare(fresh, regenerate.TARGET) == []


def test_every_generated_file_carries_the_do_not_edit_header(fresh: Path) -> None:
    for path in fresh.rglob("*.py"):
        assert path.read_text().startswith(regenerate.HEADER), path
    assert (fresh / "py.typed").exists()


def test_check_reports_changed_added_and_removed_files(fresh: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "tampered"
    shutil.copytree(fresh, tampered)
    (tampered / "client.py").write_text("# edited by hand\n")
    (tampered / "stray.py").write_text("")
    (tampered / "types.py").unlink()
    report = regenerate.compare(fresh, tampered)
    assert "missing from generated/: types.py" in report
    assert "stale file in generated/: stray.py" in report
    changed = [line for line in report if line.startswith("changed: client.py")]
    assert len(changed) == 1 and "# edited by hand" in changed[0]
    assert len(report) == 3


def test_check_exit_status_on_a_stale_tree(
    fresh: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "stale"
    shutil.copytree(fresh, stale)
    (stale / "errors.py").write_text("")
    # main() would regenerate twice more (~15 s each): reuse the fixture's fresh tree.
    monkeypatch.setattr(regenerate, "generate", lambda dest: shutil.copytree(fresh, dest))
    monkeypatch.setattr(regenerate, "TARGET", stale)
    assert regenerate.main(["--check"]) == 1
    monkeypatch.setattr(regenerate, "TARGET", fresh)
    assert regenerate.main(["--check"]) == 0


def test_hoist_lazy_imports_moves_in_function_imports_to_the_end() -> None:
    source = (
        "class A:\n"
        "    def f(self):\n"
        "        from ..models.b import B  # noqa: PLC0415\n"
        "        return B\n"
        "    def g(self):\n"
        "        from ..models.b import B  # noqa: PLC0415\n"
        "        from ..models.a_c import AC  # noqa: PLC0415\n"
        "        return B, AC\n"
    )
    out = regenerate.hoist_lazy_imports(source)
    assert "PLC0415" not in out
    assert out.endswith(
        "from ..models.a_c import AC  # noqa: E402\nfrom ..models.b import B  # noqa: E402\n"
    )
    assert out.count("import B") == 1
    assert regenerate.hoist_lazy_imports("x = 1\n") == "x = 1\n"


def test_generated_models_parse_after_hoisting() -> None:
    from cw_manage_client.models import Ticket

    ticket = Ticket.from_dict({"id": 1, "board": {"id": 2, "_info": {"board_href": "h"}}})
    assert ticket.to_dict() == {"id": 1, "board": {"id": 2, "_info": {"board_href": "h"}}}
