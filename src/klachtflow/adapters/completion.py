"""Shell completion for the ``klachtflow`` command: templates, rule packs, statuses.

click completes commands and options by itself; these callbacks add the
values only klachtflow knows. Enable completion once per shell (see
``docs/how-to/shell-completion.md``)::

    eval "$(_KLACHTFLOW_COMPLETE=bash_source klachtflow)"   # bash, in ~/.bashrc
    eval "$(_KLACHTFLOW_COMPLETE=zsh_source klachtflow)"    # zsh, in ~/.zshrc
    _KLACHTFLOW_COMPLETE=fish_source klachtflow | source    # fish
"""

from __future__ import annotations

import click
from click.shell_completion import CompletionItem

from klachtflow.compliance.check import PACKS
from klachtflow.definition import builtin_procedure, template_names

__all__ = ["complete_packs", "complete_statuses", "complete_templates"]


def complete_templates(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The built-in templates (``klachtflow init <TAB>``), with their titles."""
    return [
        CompletionItem(name, help=builtin_procedure(name).title)
        for name in template_names()
        if name.startswith(incomplete)
    ]


def complete_packs(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Rule packs for ``--regels``; after a comma, the next pack in the list."""
    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    chosen = set(done.split(",")) if done else set()
    return [
        CompletionItem(prefix + name)
        for name in sorted(PACKS)
        if name.startswith(last) and name not in chosen
    ]


def complete_statuses(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """State names of the built-in templates, for ``zaken --status``."""
    names: dict[str, str] = {}
    for template in template_names():
        for name, state in builtin_procedure(template).states.items():
            names.setdefault(name, state.title)
    return [
        CompletionItem(name, help=title)
        for name, title in sorted(names.items())
        if name.startswith(incomplete)
    ]
