"""The ``manage_simulator`` fixtures, for ``pytest_plugins = ["cw_facade.testing.pytest_plugin"]``.

Installing cw-facade registers the same fixtures (module :mod:`cw_facade.pytest_plugin`).
"""

from __future__ import annotations

from cw_facade.pytest_plugin import manage_simulator, manage_simulator_session

__all__ = ["manage_simulator", "manage_simulator_session"]
