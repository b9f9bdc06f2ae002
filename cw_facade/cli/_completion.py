"""Tab completion: ``cw completion bash|zsh`` prints a script; ``cw __complete`` answers it.

The shell script calls ``cw __complete INDEX WORD0 WORD1 ...`` (the words of the command line
and the index of the one being completed); the answer is one candidate per line: commands,
actions, options, ``--format`` values, and for ``cw api`` the operation ids of the catalog and
then the ``NAME=`` parameters of the chosen operation.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from cw_facade.cli._output import Console

if TYPE_CHECKING:
    from cw_facade.cli._app import Context

BASH = r"""# cw completion for bash: eval "$(cw completion bash)" (e.g. in ~/.bashrc)
_cw_complete() {
    local IFS=$'\n'
    COMPREPLY=($(cw __complete "$COMP_CWORD" "${COMP_WORDS[@]}" 2>/dev/null))
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
        compopt -o nospace 2>/dev/null
    fi
}
complete -o default -F _cw_complete cw
"""

ZSH = r"""#compdef cw
# cw completion for zsh: eval "$(cw completion zsh)" (e.g. in ~/.zshrc, after compinit)
_cw() {
    local -a candidates
    candidates=("${(@f)$(cw __complete $((CURRENT - 1)) "${words[@]}" 2>/dev/null)}")
    compadd -Q -- "${candidates[@]}"
}
compdef _cw cw
"""

SCRIPTS = {"bash": BASH, "zsh": ZSH}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {flag: a for a in parser._actions for flag in a.option_strings}


def _join_equals(words: list[str], index: int) -> tuple[list[str], int]:
    """Undo bash's split at ``=`` (``id``, ``=``, ``5`` → ``id=5``), keeping the index right."""
    joined: list[str] = []
    new_index = index
    for i, word in enumerate(words):
        if joined and (word == "=" or (i > 0 and words[i - 1] == "=")):
            joined[-1] += word
            if i <= index:
                new_index -= 1
        else:
            joined.append(word)
    return joined, new_index


def candidates(words: list[str], index: int) -> list[str]:
    """What may stand at ``words[index]`` (``words[0]`` is ``cw``), filtered by its prefix."""
    from cw_facade.cli._app import build_parser

    words, index = _join_equals(words, index)
    words = words + [""] * (index + 1 - len(words))
    current, before = words[index], words[1:index]
    parser = build_parser()
    path: list[str] = []
    for word in before:
        sub = _subcommands(parser)
        if word in sub:
            parser, path = sub[word], [*path, word]
    options = _options(parser)
    previous = before[-1] if before else ""
    if previous in options and options[previous].nargs != 0 and "=" not in previous:
        found = [str(c) for c in (options[previous].choices or [])]
    elif current.startswith("-"):
        found = sorted(options)
    elif _subcommands(parser):
        found = sorted(n for n, p in _subcommands(parser).items() if p.description)
    elif path[:1] == ["api"]:
        found = _api_words(before[len(path) :])
    else:
        found = []
    return [c for c in found if c.startswith(current)]


def _api_words(given: list[str]) -> list[str]:
    from cw_facade._catalog import catalog

    positional = [w for w in given if not w.startswith("-")]
    if not positional:
        return catalog().operation_ids
    found = catalog().find(positional[0])
    if found is None:
        return []
    used = {w.partition("=")[0] for w in positional[1:]}
    return [f"{p.name}=" for p in found[0].parameters if p.name not in used]


def complete(console: Console, argv: list[str]) -> int:
    """``cw __complete INDEX WORD...``: print the candidates, one per line."""
    if not argv or not argv[0].isdigit():
        return 2
    for word in candidates(argv[1:], int(argv[0])):
        console.data(word + "\n")
    return 0


def run(ctx: Context, args: argparse.Namespace) -> int:
    """``cw completion SHELL``: print the completion script."""
    ctx.console.data(SCRIPTS[args.shell])
    return 0


def register(commands: Any, parents: dict[str, argparse.ArgumentParser]) -> None:
    """Add ``cw completion``."""
    parser = commands.add_parser(
        "completion",
        help="print the shell completion script",
        description="Print a tab-completion script for bash or zsh (commands, options and "
        "every operation id of `cw api`).",
        epilog='examples:\n  eval "$(cw completion bash)"    # in ~/.bashrc\n'
        '  eval "$(cw completion zsh)"     # in ~/.zshrc, after compinit',
    )
    parser.add_argument("shell", choices=sorted(SCRIPTS))
    parser.set_defaults(handler=run)
