"""``make demo``: the complete workflow against the simulator, end to end."""

from __future__ import annotations

import demo
import pytest


def test_demo_runs_the_complete_workflow(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main([]) == 0
    out = capsys.readouterr().out
    assert "found configuration #67890 PROD-WEB-01 (Server)" in out
    assert "opened ticket #301 'Server PROD-WEB-01 Offline' for Harbor Point Dental" in out
    assert "attached configuration: PROD-WEB-01" in out
    assert "set status 'Resolved' by name: closed=True" in out
    assert "pages of 10; /count says" in out
    assert "fv_sr100_request.rails?service_recid=301&companyName=cwfacade" in out
    assert "demo-private" not in out


def test_demo_refuses_a_partial_real_server_configuration() -> None:
    with pytest.raises(SystemExit, match="missing"):
        demo.main(["--base-url", "https://na.myconnectwise.net"])
