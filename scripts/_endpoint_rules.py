"""Rules ``regenerate.py`` applies to each generated endpoint module (``api/<tag>/<op>.py``).

openapi-python-client's endpoint template cannot be extended in place (a custom template of
the same name replaces it whole), so these rules rewrite its output instead, deterministically:

- :func:`publish_request_args`: the private request builder ``_get_kwargs`` becomes the public
  ``request_args`` (with a docstring). ``cw_facade`` builds every request it sends from it, so
  a renamed path, operation or parameter in a regenerated client fails ``mypy --strict``.
- :func:`accept_json_body`: ``request_args`` also takes a JSON mapping where the operation
  takes a model as its body, so the facade sends the JSON it built as it is (the model's
  ``to_dict`` would re-spell dates and drop nothing, but costs a full ``from_dict`` first).
- :func:`defer_model_imports`: model imports move under ``TYPE_CHECKING`` and into
  ``_parse_response``, the only code that needs them at run time. Importing an endpoint module
  no longer imports its model graph (80-120 ms for a ticket), so the facade can use
  ``request_args`` on its hot path and ``import cw_facade`` stays fast.
"""

from __future__ import annotations

import re
from pathlib import Path

_GET_KWARGS = re.compile(r"\b_get_kwargs\(")
_SIGNATURE = re.compile(r"(def request_args\((?:[^()]|\([^()]*\))*\) -> dict\[str, Any\]:\n)")
_MODEL_IMPORT = re.compile(r"^from \.\.\.models\.\w+ import \w+(?: as \w+)?\n", re.M)
_PARSE = re.compile(r"(def _parse_response\((?:[^()]|\([^()]*\))*\) -> [^\n]+:\n)")
_BODY_PARAM = re.compile(r"(\n    body: )([A-Za-z_][\w.]*)(,\n)")
_JSON_BODY = '    _kwargs["json"] = body.to_dict()\n'
_JSON_BODY_MAPPED = (
    '    _kwargs["json"] = dict(body) if isinstance(body, Mapping) else body.to_dict()\n'
)
_LIST_BODY_PARAM = re.compile(r"(\n    body: )list\[([A-Za-z_][\w.]*)\](,\n)")
_JSON_ITEM = "        body_item = body_item_data.to_dict()\n"
_JSON_ITEM_MAPPED = (
    "        body_item = (\n"
    "            dict(body_item_data)\n"
    "            if isinstance(body_item_data, Mapping)\n"
    "            else body_item_data.to_dict()\n"
    "        )\n"
)
_FUTURE = "from __future__ import annotations\n\n"
_DOCSTRING = (
    '    """The ``httpx`` request arguments of this operation: ``method``, ``url`` and, as the\n'
    "    operation needs them, ``params``, ``json``/``files`` and ``headers``.\n\n"
    "    Published for ``cw_facade``, which sends every request through its own transport.\n"
    '    """\n'
)


def is_endpoint_module(relative: str) -> bool:
    """Whether the generated file at ``relative`` (to the package) is an endpoint module."""
    parts = relative.split("/")
    return len(parts) == 3 and parts[0] == "api" and parts[2] != "__init__.py"


def publish_request_args(text: str) -> str:
    """Rename ``_get_kwargs`` to ``request_args`` and document it."""
    text = _GET_KWARGS.sub("request_args(", text)
    return _SIGNATURE.sub(lambda m: m.group(1) + _DOCSTRING, text, count=1)


def accept_json_body(text: str) -> str:
    """Let ``request_args`` take JSON mappings wherever it takes models as ``body``."""
    if _JSON_BODY in text:
        param, new_param = _BODY_PARAM, r"\1\2 | Mapping[str, Any]\3"
        old, body = _JSON_BODY, _JSON_BODY_MAPPED
    elif _JSON_ITEM in text:
        param, new_param = _LIST_BODY_PARAM, r"\1Sequence[\2 | Mapping[str, Any]]\3"
        old, body = _JSON_ITEM, _JSON_ITEM_MAPPED
    else:
        return text
    head, sep, rest = text.partition("def request_args(")
    signature, end, tail = rest.partition(") -> dict[str, Any]:\n")
    signature = param.sub(new_param, signature, count=1)
    tail = tail.replace(old, body, 1)
    imports = "from collections.abc import Mapping, Sequence\n"
    return imports + head + sep + signature + end + tail


def defer_model_imports(text: str) -> str:
    """Import models only for type checking and inside ``_parse_response``."""
    imports = _MODEL_IMPORT.findall(text)
    if not imports:
        return _FUTURE + text
    text = _MODEL_IMPORT.sub("", text)
    block = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
    block += "".join(f"    {line}" for line in imports)
    local = "".join(f"    {line.rstrip()}  # noqa: PLC0415\n" for line in imports)
    text = _PARSE.sub(lambda m: m.group(1) + local, text, count=1)
    head, sep, rest = text.partition("\n\n\ndef ")
    return _FUTURE + head + "\n" + block + sep + rest


def apply(relative: str, text: str) -> str:
    """Every rule of this module, for the generated file at ``relative``."""
    if not is_endpoint_module(relative):
        return text
    return defer_model_imports(accept_json_body(publish_request_args(text)))


def operations_index(modules: dict[str, str]) -> str:
    """The text of ``cw_manage_client/operations.py``: every endpoint module by operation name.

    ``modules`` maps each endpoint module's name to its tag package. The index imports nothing
    at run time until a name is used (``operations.get_service_tickets`` imports that one
    module), and imports everything for type checkers, so ``mypy`` checks every call.
    """
    names = sorted(modules)
    lines = [
        '"""Every operation of the API by name, each imported on first use.',
        "",
        "``operations.get_service_tickets`` is the module ``api.tickets.get_service_tickets``",
        "(``request_args``, ``sync``, ``sync_detailed``, ``asyncio``, ``asyncio_detailed``).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import importlib",
        "from types import ModuleType",
        "from typing import TYPE_CHECKING",
        "",
        "if TYPE_CHECKING:",
        *(f"    from .api.{modules[n]} import {n} as {n}" for n in names),
        "",
        "#: The tag package of each operation module.",
        "MODULES: dict[str, str] = {",
        *(f'    "{n}": "{modules[n]}",' for n in names),
        "}",
        "",
        "",
        "if not TYPE_CHECKING:  # type checkers see only the imports above: no fallback",
        "",
        "    def __getattr__(name: str) -> ModuleType:",
        "        tag = MODULES.get(name)",
        "        if tag is None:",
        '            raise AttributeError(f"no operation named {name!r}")',
        '        module = importlib.import_module(f"{__package__}.api.{tag}.{name}")',
        "        globals()[name] = module",
        "        return module",
        "",
        "    def __dir__() -> list[str]:",
        "        return sorted(MODULES)",
        "",
    ]
    return "\n".join(lines)


def endpoint_modules(package: Path) -> dict[str, str]:
    """Operation module name → tag package, for every endpoint module under ``package/api``."""
    found: dict[str, str] = {}
    for path in sorted((package / "api").glob("*/*.py")):
        if path.name == "__init__.py":
            continue
        if path.stem in found:
            raise SystemExit(f"regenerate: operation module {path.stem} is in two tags")
        found[path.stem] = path.parent.name
    return found
