"""Configurations and their attachment to tickets."""

from __future__ import annotations

from typing import Any

from cw_facade._operations._common import as_model, get_by_id
from cw_facade._request import APIRequest, Operation
from cw_facade._validation import check_id
from cw_facade.models import Configuration, ConfigurationReference

CONFIGURATIONS_PATH = "company/configurations"


def ticket_configurations_path(ticket_id: Any) -> str:
    """``service/tickets/{id}/configurations`` after checking the id."""
    return f"service/tickets/{check_id('ticket_id', ticket_id)}/configurations"


def get_configuration(config_id: Any) -> Operation[Configuration | None]:
    """The configuration, or ``None`` when it does not exist."""
    return (yield from get_by_id(Configuration, CONFIGURATIONS_PATH, "config_id", config_id))


def attach_configuration(ticket_id: Any, config_id: Any) -> Operation[ConfigurationReference]:
    """Attach configuration ``config_id`` to the ticket."""
    path = ticket_configurations_path(ticket_id)
    body = {"id": check_id("config_id", config_id)}
    created = yield APIRequest("POST", path, json=body)
    return as_model(ConfigurationReference, created)


def detach_configuration(ticket_id: Any, config_id: Any) -> Operation[bool]:
    """Detach configuration ``config_id`` from the ticket; ``True`` once done."""
    path = f"{ticket_configurations_path(ticket_id)}/{check_id('config_id', config_id)}"
    yield APIRequest("DELETE", path)
    return True
