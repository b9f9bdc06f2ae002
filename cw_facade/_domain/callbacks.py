"""Registering and removing callbacks (webhooks) with ``system/callbacks``."""

from __future__ import annotations

from typing import Any

from cw_facade._validation import (
    MAX_CALLBACK_DESCRIPTION_LENGTH,
    MissingArgumentError,
    check_flag,
    check_id,
    check_optional_text,
    check_text,
    check_webhook_url,
)

#: The level at which a callback covers every record of its type.
OWNER_LEVEL = "owner"
#: ``objectId`` sent for the owner level, which names no particular record.
OWNER_OBJECT_ID = 1


def callback_body(
    url: Any, type: Any, level: Any, object_id: Any, description: Any, inactive: Any
) -> dict[str, Any]:
    """The POST body of a callback registration, checked."""
    level_text = check_text("level", level)
    if object_id is None:
        if level_text.casefold() != OWNER_LEVEL:
            raise MissingArgumentError("object_id", f"level {level_text!r} needs an object_id")
        object_id = OWNER_OBJECT_ID
    body: dict[str, Any] = {
        "url": check_webhook_url(url),
        "type": check_text("type", type),
        "level": level_text,
        "objectId": check_id("object_id", object_id),
        "inactiveFlag": check_flag("inactive", inactive),
    }
    text = check_optional_text("description", description, MAX_CALLBACK_DESCRIPTION_LENGTH)
    if text is not None:
        body["description"] = text
    return body
