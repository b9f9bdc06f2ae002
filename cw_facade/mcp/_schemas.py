"""Argument types of the tools, with the JSON-schema descriptions an agent reads.

Pydantic (a dependency of the MCP SDK) turns these annotations into each tool's input schema
and checks every call against it before the tool runs.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from cw_facade.mcp._filters import FilterSpec

#: A ConnectWise field path, as in conditions: segments joined by ``/``.
PATH_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*$"

Scalar = str | int | float | bool | None

RecordId = Annotated[int, Field(ge=1, description="A ConnectWise record id (a positive integer).")]


class Filter(BaseModel):
    """One comparison of a record field with a value; values are always sent as values."""

    model_config = ConfigDict(extra="forbid")

    field: Annotated[
        str,
        Field(
            pattern=PATH_PATTERN,
            description=(
                "Field path, '/' for nesting: 'summary', 'company/id', 'status/name', "
                "'_info/lastUpdated'."
            ),
        ),
    ]
    op: Annotated[
        Literal[
            "=",
            "!=",
            "<",
            "<=",
            ">",
            ">=",
            "contains",
            "not contains",
            "like",
            "not like",
            "in",
            "not in",
        ],
        Field(
            description=(
                "Comparison. contains/like take a string (like: '*' matches any run of "
                "characters); in/not in take a list; < <= > >= are for numbers and dates."
            )
        ),
    ] = "="
    value: Annotated[
        Scalar | list[Scalar],
        Field(
            description=(
                "The value to compare with: string, number, boolean, null, or a list for "
                "in/not in. Sent as one quoted value whatever it contains."
            )
        ),
    ]
    date: Annotated[
        bool,
        Field(description="Read string values as ISO-8601 dates (e.g. '2025-01-31T00:00:00Z')."),
    ] = False

    def spec(self) -> FilterSpec:
        """The filter as the pure filter layer takes it."""
        return FilterSpec(self.field, self.op, self.value, self.date)


Filters = Annotated[
    list[Filter],
    Field(
        max_length=20,
        description="Structured filters, combined by 'match'. Prefer these to 'conditions'.",
    ),
]
MatchArg = Annotated[
    Literal["all", "any"],
    Field(description="'all': every filter must hold (AND); 'any': at least one (OR)."),
]
RawConditions = Annotated[
    str | None,
    Field(
        max_length=2000,
        description=(
            "Optional raw ConnectWise conditions, e.g. 'priority/id>=8 AND closedFlag=false'. "
            "Checked by the conditions parser before sending (mixing AND and OR needs "
            "parentheses); ANDed with everything else. Read cw://conditions-syntax first."
        ),
    ),
]
FieldsArg = Annotated[
    list[Annotated[str, Field(pattern=PATH_PATTERN)]] | None,
    Field(
        max_length=50,
        description="Only these fields of each record, e.g. ['id', 'summary', 'status/name'].",
    ),
]
OrderByArg = Annotated[
    str | None,
    Field(max_length=200, description="Sort order, e.g. 'id desc' or 'dateEntered desc,id asc'."),
]
DryRun = Annotated[
    bool,
    Field(
        description=(
            "true: return the exact request (method, path, query, body) and send nothing. "
            "Works on a read-only server too."
        )
    ),
]
Confirm = Annotated[
    bool,
    Field(description="Must be true for a destructive change, after the user has agreed to it."),
]
