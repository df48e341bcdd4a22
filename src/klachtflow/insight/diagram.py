"""Draw a procedure: Mermaid, Graphviz DOT, or SVG through Graphviz.

States keep their nesting (Mermaid composite states, DOT clusters). Every
action is an arrow labelled with its title and the roles that may perform it
(a role only the assigned person may use reads "toegewezen ...", a letter the
action sends is marked ✉);
an action that records something without moving the case is listed in its
state. Every state shows the terms that run while a case is in it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping

from klachtflow.definition.model import Action, LegalBasis, Procedure, Term, TriggerKind
from klachtflow.exceptions import KlachtflowError

__all__ = [
    "DIAGRAM_FORMATS",
    "GraphvizFailed",
    "GraphvizMissing",
    "cite",
    "diagram",
    "running_terms",
]

DIAGRAM_FORMATS = ("mermaid", "dot", "svg")


class GraphvizMissing(KlachtflowError):
    """SVG needs Graphviz's ``dot``, which is not installed."""

    code = "KF-I003"


class GraphvizFailed(KlachtflowError):
    """Graphviz's ``dot`` ran but did not produce SVG."""

    code = "KF-I004"


# --------------------------------------------------------------------------- terms per state


def _within(procedure: Procedure, leaf: str, ancestor: str) -> bool:
    current: str | None = leaf
    while current is not None:
        if current == ancestor:
            return True
        current = procedure.states[current].parent
    return False


def _leaves(procedure: Procedure, name: str) -> list[str]:
    return [n for n in procedure.descendants(name) if not procedure.states[n].children]


def _after(procedure: Procedure, action: Action) -> set[str]:
    """The leaf states a case is in right after ``action``."""
    if action.target is not None:
        return {procedure.entry_leaf(action.target)}
    return {leaf for s in action.sources for leaf in _leaves(procedure, s)}


def _start_leaves(
    procedure: Procedure, term: Term, running: Mapping[str, set[str]]
) -> set[str]:
    leaves: set[str] = set()
    for action in procedure.actions.values():
        if term.name in action.terms.start:  # started by the action itself
            leaves.update(_after(procedure, action))
    for trigger in term.start:
        if trigger.kind is TriggerKind.ACTIE:
            leaves.update(_after(procedure, procedure.actions[trigger.name]))
        elif trigger.kind is TriggerKind.BINNENKOMST:
            leaves.add(procedure.entry_leaf(trigger.name))
        elif trigger.kind is TriggerKind.VERTREK:
            leaves.update(
                procedure.entry_leaf(a.target)
                for a in procedure.actions.values()
                if a.target is not None
                and any(
                    _within(procedure, leaf, trigger.name)
                    for s in a.sources
                    for leaf in _leaves(procedure, s)
                )
                and not _within(procedure, procedure.entry_leaf(a.target), trigger.name)
            )
        else:
            # Where the other term expires, unless this term's stop state was
            # already entered (the engine starts it stopped there).
            leaves.update(
                leaf
                for leaf in running.get(trigger.name, set())
                if not any(
                    stop.kind is TriggerKind.BINNENKOMST
                    and _within(procedure, leaf, stop.name)
                    for stop in term.stop
                )
            )
    return leaves


def _stops(
    procedure: Procedure, term: Term, action: Action, source: str, target: str
) -> bool:
    if term.name in action.terms.stop:  # stopped by the action itself
        return True
    if target != source and procedure.states[target].is_final and not term.runs_on:
        return True  # entering an end state stops what ran into it
    for trigger in term.stop:
        if trigger.kind is TriggerKind.ACTIE and trigger.name == action.name:
            return True
        if (
            trigger.kind is TriggerKind.VERTREK
            and _within(procedure, source, trigger.name)
            and not _within(procedure, target, trigger.name)
        ):
            return True
        if trigger.kind is TriggerKind.BINNENKOMST and _within(
            procedure, target, trigger.name
        ):
            return True
    return False


def running_terms(procedure: Procedure) -> dict[str, tuple[str, ...]]:
    """For every leaf state, the terms that may run while a case is in it."""
    running: dict[str, set[str]] = {}
    # A term started by another term's expiry needs that one first: repeat
    # until nothing changes (at most once per term in a chain).
    for _ in range(len(procedure.terms) + 1):
        before = {name: set(leaves) for name, leaves in running.items()}
        for name, term in procedure.terms.items():
            seen = _start_leaves(procedure, term, running)
            todo = list(seen)
            while todo:
                leaf = todo.pop()
                for action in procedure.actions_from(leaf):
                    if action.target is None:
                        continue
                    nxt = procedure.entry_leaf(action.target)
                    if nxt in seen or _stops(procedure, term, action, leaf, nxt):
                        continue
                    seen.add(nxt)
                    todo.append(nxt)
            running[name] = seen
        if running == before:
            break
    per_state: dict[str, list[str]] = {}
    for name in procedure.terms:
        for leaf in sorted(running[name]):
            per_state.setdefault(leaf, []).append(name)
    return {leaf: tuple(names) for leaf, names in per_state.items()}


def cite(basis: LegalBasis) -> str:
    """A short citation: 'Awb 9:11 lid 1', or the regeling's name."""
    if basis.artikel is None:
        return basis.regeling or "eigen regeling"
    lid = f" lid {basis.lid}" if basis.lid is not None else ""
    if basis.wet is None and basis.regeling:
        # A regulation's own article: "Klachtenregeling IGZ art 7", never a bare "7".
        return f"{basis.regeling} art {basis.artikel}{lid}"
    return f"{basis.wet or ''} {basis.artikel}{lid}".strip()


def _term_label(term: Term) -> str:
    basis = ", ".join(cite(b) for b in term.basis) or "eigen regeling"
    label = f"termijn {term.title}: {term.duration} ({basis})"
    if term.extension is not None and len(term.extension.actions) > 1:
        # Several actions extend one term: the maximum is for all of them together.
        label += (
            f"; verlengbaar via {', '.join(term.extension.actions)}, samen "
            f"ten hoogste {term.extension.maximum}"
        )
    if term.warning is not None and term.warning_to:
        label += (
            f"; waarschuwing {term.warning} vooraf aan {', '.join(term.warning_to)}"
        )
    return label


def role_titles(procedure: Procedure, names: Iterable[str]) -> str:
    """Role names as their titles, in the order of the procedure ("Klager, Gemachtigde")."""
    wanted = set(names)
    titles = [r.title for n, r in procedure.roles.items() if n in wanted]
    titles += sorted(n for n in wanted if n not in procedure.roles)
    return ", ".join(titles)


def _roles(procedure: Procedure, action: Action) -> str:
    """The roles of an action; a role only the assigned person may use reads
    "toegewezen <rol>", and an assigning action ends in "wijst <rol> toe"."""
    text = ", ".join(
        f"toegewezen {role_titles(procedure, (r,))}"
        if r in action.assigned_only
        else role_titles(procedure, (r,))
        for r in procedure.roles
        if r in action.roles
    )
    if action.assigns is not None:
        text += f"; wijst {role_titles(procedure, (action.assigns.role,))} toe"
    return text


def _title(action: Action) -> str:
    """An action's title; one that sends a letter (``brief``) shows it with ✉."""
    notice = action.notice
    if notice is None:
        return action.title
    return f"{action.title} ✉ {(notice.title or 'brief').lower()}"


# --------------------------------------------------------------------------- mermaid


def _mm(text: str) -> str:
    return (
        text.replace('"', "'").replace(";", ",").replace("#", "nr.").replace("\n", " ")
    )


def _mermaid(procedure: Procedure) -> str:
    terms = running_terms(procedure)
    lines = [
        "stateDiagram-v2",
        f"    %% {_mm(procedure.title)} (versie {procedure.version})",
    ]

    def state_block(name: str, indent: str) -> None:
        state = procedure.states[name]
        lines.append(f'{indent}state "{_mm(state.title)}" as {name}')
        if state.children:
            lines.append(f"{indent}state {name} {{")
            for child in state.children:
                state_block(child, indent + "    ")
            initial = next(c for c in state.children if procedure.states[c].is_initial)
            lines.append(f"{indent}    [*] --> {initial}")
            lines.append(f"{indent}}}")
        for term in terms.get(name, ()):
            lines.append(f"{indent}{name} : {_mm(_term_label(procedure.terms[term]))}")
        for action in procedure.actions.values():
            if action.target is None and name in action.sources:
                lines.append(
                    f"{indent}{name} : ✎ {_mm(_title(action))} [{_roles(procedure, action)}]"
                )

    for name, state in procedure.states.items():
        if state.parent is None:
            state_block(name, "    ")
    lines.append(f"    [*] --> {procedure.initial}")
    for action in procedure.actions.values():
        if action.target is None:
            continue
        for source in action.sources:
            lines.append(
                f"    {source} --> {action.target} : {_mm(_title(action))} [{_roles(procedure, action)}]"
            )
    lines.extend(f"    {name} --> [*]" for name in procedure.final_states)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- dot


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dot(procedure: Procedure) -> str:
    terms = running_terms(procedure)
    lines = [
        f"digraph {_q(procedure.name)} {{",
        "    compound=true; rankdir=TB; newrank=true;",
        '    node [shape=box, style="rounded,filled", fillcolor="#eef3f8", fontname="Helvetica", fontsize=11];',
        '    edge [fontname="Helvetica", fontsize=9, color="#1f2d3d"];',
        f"    label={_q(f'{procedure.title} (versie {procedure.version})')}; labelloc=t;",
        '    start [shape=point, width=0.15, fillcolor="#1f2d3d"];',
    ]

    def node(name: str, indent: str) -> None:
        state = procedure.states[name]
        if state.children:
            lines.append(f"{indent}subgraph {_q('cluster_' + name)} {{")
            extra = [_term_label(procedure.terms[t]) for t in terms.get(name, ())]
            lines.append(
                f"{indent}    label={_q(chr(10).join([state.title, *extra]))};"
            )
            lines.append(f'{indent}    style="rounded"; color="#1b6ca8";')
            for child in state.children:
                node(child, indent + "    ")
            lines.append(f"{indent}}}")
            return
        parts = [state.title]
        parts.extend(_term_label(procedure.terms[t]) for t in terms.get(name, ()))
        parts.extend(
            f"✎ {_title(a)} [{_roles(procedure, a)}]"
            for a in procedure.actions.values()
            if a.target is None and name in a.sources
        )
        shape = ", peripheries=2" if state.is_final else ""
        lines.append(f"{indent}{_q(name)} [label={_q(chr(10).join(parts))}{shape}];")

    for name, state in procedure.states.items():
        if state.parent is None:
            node(name, "    ")
    lines.append(f"    start -> {_q(procedure.entry_leaf(procedure.initial))};")
    for action in procedure.actions.values():
        if action.target is None:
            continue
        head = procedure.entry_leaf(action.target)
        attrs = [
            f"label={_q(f'{_title(action)}{chr(10)}[{_roles(procedure, action)}]')}"
        ]
        if procedure.states[action.target].children:
            attrs.append(f"lhead={_q('cluster_' + action.target)}")
        for source in action.sources:
            tail = procedure.entry_leaf(source)
            extra = (
                [f"ltail={_q('cluster_' + source)}"]
                if procedure.states[source].children
                else []
            )
            lines.append(f"    {_q(tail)} -> {_q(head)} [{', '.join(attrs + extra)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- svg


def _svg(procedure: Procedure, which: Callable[[str], str | None]) -> str:
    executable = which("dot")
    if executable is None:
        msg = "Graphviz is niet geïnstalleerd: 'dot' is niet gevonden."
        raise GraphvizMissing(
            msg,
            hint="Installeer Graphviz (Debian/Ubuntu: apt install graphviz), "
            "of kies --format mermaid of --format dot.",
        )
    done = subprocess.run(  # noqa: S603 - fixed arguments, input on stdin
        [executable, "-Tsvg"],
        input=_dot(procedure).encode("utf-8"),
        capture_output=True,
        check=False,
        timeout=60,
    )
    if done.returncode != 0:
        msg = f"Graphviz kon het diagram niet tekenen: {done.stderr.decode('utf-8', 'replace').strip()}"
        raise GraphvizFailed(
            msg, hint="Kies --format dot om de invoer voor Graphviz te zien."
        )
    return done.stdout.decode("utf-8")


def diagram(
    procedure: Procedure,
    fmt: str = "mermaid",
    *,
    which: Callable[[str], str | None] = shutil.which,
) -> str:
    """The procedure as a diagram in ``fmt`` (one of :data:`DIAGRAM_FORMATS`).

    ``which`` finds the Graphviz executable (injected for tests).
    """
    if fmt == "mermaid":
        return _mermaid(procedure)
    if fmt == "dot":
        return _dot(procedure)
    if fmt == "svg":
        return _svg(procedure, which)
    msg = f"Onbekend diagramformaat '{fmt}'."
    raise KlachtflowError(msg, hint=f"Kies uit: {', '.join(DIAGRAM_FORMATS)}.")
