"""Every error klachtflow raises, in one import-cycle-free module.

All exceptions derive from :class:`KlachtflowError`, carry their data as
attributes (tests and the CLI read attributes, never message strings) and a
``hint`` that says what to do. Texts meant for policy staff are Dutch; the
stable ``code`` (``KF-D004``) ties the text to its documentation page.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches

import attrs

__all__ = [
    "AssignmentRefused",
    "BatchItemRefused",
    "CaseNotFound",
    "CaseNotInOrganisation",
    "ClaimLost",
    "ConcurrentUpdate",
    "ConditionNotMet",
    "ConsentMissing",
    "DefinitionError",
    "DefinitionIssue",
    "ErasureRefused",
    "HistoryTampered",
    "ImportConflict",
    "ImportLineInvalid",
    "InvalidArgument",
    "InvalidData",
    "KlachtflowError",
    "LetterRefused",
    "MigrationError",
    "MigrationRefused",
    "MissingData",
    "MissingDependency",
    "MomentRefused",
    "NotAssigned",
    "NotPermitted",
    "OrganisationNotFound",
    "ProcedureMismatch",
    "ProcedureNotForOrganisation",
    "SchemaNotAtHead",
    "SeparationOfDutiesViolation",
    "StorageError",
    "TermError",
    "TransitionError",
    "TransitionNotAllowed",
    "UnknownAction",
    "UnknownCondition",
    "UnknownTemplate",
    "UnlawfulAction",
    "UntrustedCase",
    "ZgwError",
    "ZgwExportRefused",
    "ZgwInvalidSetting",
    "ZgwRequestRefused",
    "ZgwUnreachable",
]


class KlachtflowError(Exception):
    """Base class of every klachtflow error.

    ``code`` is a stable identifier documented in ``docs/reference/errors.md``;
    ``hint`` tells the reader what to do about it (or is ``None``).
    """

    code: str = "KF-E000"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


#: The longest ``repr`` of a refused value an :class:`InvalidArgument` keeps.
REPR_LIMIT = 80


def _short_repr(value: object) -> str:
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__ must not hide the refusal
        text = f"<{type(value).__name__} object>"
    if len(text) > REPR_LIMIT:
        text = f"{text[: REPR_LIMIT - 15]}... ({len(text)} chars)"
    return text


class InvalidArgument(KlachtflowError, TypeError, ValueError):
    """A public function was called with an argument it does not accept.

    A programmer error, refused at the boundary before anything is read or
    written. ``parameter`` names the argument (``fire(reason)``), ``value`` is
    the ``repr`` of what was passed (truncated) and ``expected`` says what is
    accepted. It is also a ``TypeError`` and a ``ValueError``, so callers that
    caught those before keep working.
    """

    code = "KF-A003"

    def __init__(
        self,
        *,
        parameter: str,
        value: object,
        expected: str,
        detail: str = "",
        hint: str | None = None,
    ) -> None:
        self.parameter = parameter
        self.value = _short_repr(value)
        self.expected = expected
        kind = type(value).__name__
        article = "an" if kind[:1].lower() in "aeiou" else "a"
        got = f"{self.value} that is {article} {kind}"
        super().__init__(
            f"'{parameter}' must be {expected} (got {got}){': ' + detail if detail else ''}.",
            hint=hint or f"Pass {expected} as '{parameter}'.",
        )


@attrs.frozen
class DefinitionIssue:
    """One problem found in a procedure file.

    Not an exception: a :class:`DefinitionError` carries all issues found in
    one pass. ``line`` and ``column`` are 1-based; ``path`` is the YAML path
    (``acties.verdaag.naar``), empty for problems with the file as a whole.
    """

    code: str
    message: str
    source: str = "<tekst>"
    line: int = 1
    column: int = 1
    path: str = ""
    hint: str | None = None

    @property
    def location(self) -> str:
        """``file:line:column``, the form editors and CI logs link to."""
        return f"{self.source}:{self.line}:{self.column}"

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        text = f"{self.location}  {where}{self.message} ({self.code})"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (used by ``klachtflow validate --format json``)."""
        return {
            "code": self.code,
            "bron": self.source,
            "regel": self.line,
            "kolom": self.column,
            "pad": self.path,
            "melding": self.message,
            "hint": self.hint,
        }


#: The most issues a :class:`DefinitionError` keeps and shows.
MAX_ISSUES = 100


def _dutch_count(number: int) -> str:
    """``144422`` as Dutch writes it: ``144.422``."""
    return f"{number:,}".replace(",", ".")


def _sort_key(issue: DefinitionIssue) -> tuple[str, int, int, str]:
    return (issue.source, issue.line, issue.column, issue.code)


class DefinitionError(KlachtflowError, ValueError):
    """A procedure definition is invalid; ``issues`` lists the problems found.

    The issues are sorted by position. The message renders all of them, one
    per line, so a policy officer fixes the whole file in one round. A file
    with more than :data:`MAX_ISSUES` problems (a hostile or generated file)
    keeps the first ones by position: ``total`` counts all of them and
    ``omitted`` those left out, and the message ends with "en nog N andere".
    """

    def __init__(self, issues: Iterable[DefinitionIssue]) -> None:
        ordered = tuple(sorted(set(issues), key=_sort_key))
        if not ordered:
            msg = "DefinitionError needs at least one DefinitionIssue."
            raise ValueError(msg)
        self.total = len(ordered)
        self.issues = ordered[:MAX_ISSUES]
        self.omitted = self.total - len(self.issues)
        self.code = ordered[0].code
        noun = "probleem" if self.total == 1 else "problemen"
        lines = [
            f"De procedure is ongeldig: {_dutch_count(self.total)} {noun} gevonden."
        ]
        lines.extend(str(issue) for issue in self.issues)
        if self.omitted:
            lines.append(f"... en nog {_dutch_count(self.omitted)} andere.")
        super().__init__("\n".join(lines), hint=ordered[0].hint)

    @classmethod
    def single(
        cls,
        *,
        code: str,
        message: str,
        source: str = "<tekst>",
        line: int = 1,
        column: int = 1,
        path: str = "",
        hint: str | None = None,
    ) -> DefinitionError:
        """Build an error that holds exactly one issue."""
        return cls(
            [
                DefinitionIssue(
                    code=code,
                    message=message,
                    source=source,
                    line=line,
                    column=column,
                    path=path,
                    hint=hint,
                )
            ]
        )


class TermError(KlachtflowError, ValueError):
    """A term cannot be computed or changed as asked (e.g. a term in hours, an
    extension beyond the maximum). Messages are Dutch; ``hint`` says what to do."""

    code = "KF-R001"


class UnknownTemplate(KlachtflowError, LookupError):
    """No built-in template has the requested name; ``known`` lists those that do."""

    code = "KF-T001"

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(sorted(known))
        close = get_close_matches(name, self.known, n=1)
        hint = f"Bedoelde u '{close[0]}'?" if close else None
        available = ", ".join(self.known) or "geen"
        super().__init__(
            f"Onbekend sjabloon '{name}'. Beschikbaar: {available}.",
            hint=hint or "Bekijk de lijst met: klachtflow templates",
        )


# --------------------------------------------------------------------------- engine


class TransitionError(KlachtflowError):
    """An action was refused; nothing about the case changed.

    ``case_id``, ``state`` (dotted path) and ``action`` say where it happened.
    """

    code = "KF-E100"

    def __init__(
        self,
        message: str,
        *,
        case_id: str,
        state: str,
        action: str,
        hint: str | None = None,
    ) -> None:
        self.case_id = case_id
        self.state = state
        self.action = action
        super().__init__(message, hint=hint)


class UnknownAction(TransitionError, LookupError):
    """The procedure has no action by this name; ``known`` lists those it has."""

    code = "KF-E101"

    def __init__(
        self, *, case_id: str, state: str, action: str, known: Iterable[str]
    ) -> None:
        self.known = tuple(sorted(known))
        close = get_close_matches(action, self.known, n=1)
        super().__init__(
            f"De procedure kent geen actie '{action}'.",
            case_id=case_id,
            state=state,
            action=action,
            hint=f"Bedoelde u '{close[0]}'?"
            if close
            else "Bekijk de acties in de procedure.",
        )


class TransitionNotAllowed(TransitionError):
    """The action is not possible from the current state; ``allowed`` lists what is."""

    code = "KF-E102"

    def __init__(
        self, *, case_id: str, state: str, action: str, allowed: Iterable[str]
    ) -> None:
        self.allowed = tuple(sorted(allowed))
        shown = ", ".join(f"'{a}'" for a in self.allowed) or "geen"
        super().__init__(
            f"Actie '{action}' kan niet vanuit status '{state}'; hier kan: {shown}.",
            case_id=case_id,
            state=state,
            action=action,
            hint="Kies een van de acties die vanuit deze status kunnen.",
        )


class NotPermitted(TransitionError):
    """The actor has none of the roles the action needs (or is not that party)."""

    code = "KF-E103"

    def __init__(
        self,
        *,
        case_id: str,
        state: str,
        action: str,
        actor: str,
        roles: Iterable[str],
        required_roles: Iterable[str],
        detail: str = "",
    ) -> None:
        self.actor = actor
        self.roles = tuple(sorted(roles))
        self.required_roles = tuple(sorted(required_roles))
        needed = ", ".join(self.required_roles)
        super().__init__(
            f"{actor} mag '{action}' niet uitvoeren: daarvoor is een van deze rollen nodig: "
            f"{needed}.{(' ' + detail) if detail else ''}",
            case_id=case_id,
            state=state,
            action=action,
            hint="Laat iemand met een van deze rollen de actie uitvoeren.",
        )


class SeparationOfDutiesViolation(TransitionError):
    """The actor may not perform this action on this case (e.g. Awb 9:7)."""

    code = "KF-E104"

    def __init__(
        self,
        *,
        case_id: str,
        state: str,
        action: str,
        actor: str,
        rule: str,
        basis: Iterable[str],
        message: str,
    ) -> None:
        self.actor = actor
        self.rule = rule
        self.basis = tuple(basis)
        cited = f" ({'; '.join(self.basis)})" if self.basis else ""
        super().__init__(
            f"{message}{cited}",
            case_id=case_id,
            state=state,
            action=action,
            hint="Laat een medewerker die niet bij de zaak betrokken is de actie uitvoeren.",
        )


class ConsentMissing(TransitionError):
    """Consent of these parties is required and was not given (``missing``)."""

    code = "KF-E105"

    def __init__(
        self,
        *,
        case_id: str,
        state: str,
        action: str,
        missing: Iterable[str],
        written: bool,
        basis: Iterable[str] = (),
    ) -> None:
        self.missing = tuple(missing)
        self.written = written
        self.basis = tuple(basis)
        kind = "schriftelijke instemming" if written else "instemming"
        cited = f" ({'; '.join(self.basis)})" if self.basis else ""
        super().__init__(
            f"Voor '{action}' is {kind} nodig van: {', '.join(self.missing)}{cited}.",
            case_id=case_id,
            state=state,
            action=action,
            hint="Geef de instemming mee, bijv. consent={'klager': 'brief van 3 maart'}"
            + (" (met een verwijzing naar het document)." if written else "."),
        )


class ConditionNotMet(TransitionError):
    """One or more conditions or data checks failed; ``failed`` names each."""

    code = "KF-E106"

    def __init__(
        self, *, case_id: str, state: str, action: str, failed: Iterable[str]
    ) -> None:
        self.failed = tuple(failed)
        super().__init__(
            f"Voor '{action}' is niet voldaan aan: {'; '.join(self.failed)}.",
            case_id=case_id,
            state=state,
            action=action,
            hint="Zorg dat aan deze voorwaarden is voldaan en probeer het opnieuw.",
        )


class MissingData(TransitionError):
    """Required data fields (``fields``) were not supplied and are not on the case."""

    code = "KF-E107"

    def __init__(
        self, *, case_id: str, state: str, action: str, fields: Iterable[str]
    ) -> None:
        self.fields = tuple(fields)
        super().__init__(
            f"Voor '{action}' ontbreken gegevens: {', '.join(self.fields)}.",
            case_id=case_id,
            state=state,
            action=action,
            hint="Geef deze gegevens mee in data={...}.",
        )


class InvalidData(TransitionError):
    """Supplied data does not fit the procedure; ``problems`` maps field to reason."""

    code = "KF-E108"

    def __init__(
        self, *, case_id: str, state: str, action: str, problems: dict[str, str]
    ) -> None:
        self.problems = dict(problems)
        listed = "; ".join(f"{k}: {v}" for k, v in sorted(self.problems.items()))
        super().__init__(
            f"Ongeldige gegevens bij '{action}': {listed}.",
            case_id=case_id,
            state=state,
            action=action,
            hint="Gebruik de gegevens en types uit de procedure (gegevens:).",
        )


class UnlawfulAction(TransitionError):
    """The law does not allow this action now; ``article`` names the article.

    Raised for the run-time part of the law model: a verdaging after the term
    has passed, an ingebrekestelling before the decision term has, a hearing
    skipped on a ground the law does not list, a letter without its contents.
    """

    code = "KF-E112"

    def __init__(
        self,
        *,
        case_id: str,
        state: str,
        action: str,
        article: str,
        reason: str,
        hint: str,
    ) -> None:
        self.article = article
        self.reason = reason
        super().__init__(
            f"'{action}' mag niet: {reason} ({article}).",
            case_id=case_id,
            state=state,
            action=action,
            hint=hint,
        )


class NotAssigned(TransitionError):
    """The actor holds the role, but the case is assigned to someone else (``assigned``).

    ``assigned`` is None when nobody is assigned yet; ``assigning`` names the
    actions that assign the role (Awb 9:7 lid 1: the person, not the role,
    handles the complaint).
    """

    code = "KF-E130"

    def __init__(
        self,
        *,
        case_id: str,
        state: str,
        action: str,
        actor: str,
        role: str,
        assigned: str | None,
        assigning: Iterable[str] = (),
    ) -> None:
        self.actor = actor
        self.role = role
        self.assigned = assigned
        self.assigning = tuple(assigning)
        if assigned is None:
            first = self.assigning[0] if self.assigning else "een toewijzing"
            message = (
                f"{actor} mag '{action}' niet als {role} uitvoeren: in deze zaak is nog "
                f"geen {role} toegewezen."
            )
            hint = f"Wijs eerst een {role} toe met '{first}'."
        else:
            message = (
                f"{actor} mag '{action}' niet als {role} uitvoeren: alleen de "
                f"toegewezen {role} ({assigned}) mag dat."
            )
            hint = (
                f"Laat {assigned} de actie uitvoeren, of wijs opnieuw toe met "
                f"'{self.assigning[0] if self.assigning else 'de toewijzing'}'."
            )
        super().__init__(
            message, case_id=case_id, state=state, action=action, hint=hint
        )


class AssignmentRefused(TransitionError):
    """An assignment (``wijs_toe``) cannot be made or a field it owns was set by another action.

    ``field`` is the data field of the assignment; ``basis`` the cited articles.
    """

    code = "KF-E131"

    def __init__(
        self,
        *,
        case_id: str,
        state: str,
        action: str,
        field: str,
        message: str,
        hint: str,
        basis: Iterable[str] = (),
    ) -> None:
        self.field = field
        self.basis = tuple(basis)
        cited = f" ({'; '.join(self.basis)})" if self.basis else ""
        super().__init__(
            f"{message}{cited}", case_id=case_id, state=state, action=action, hint=hint
        )


class LetterRefused(TransitionError):
    """The letter of an action (``brief``) is missing or incomplete; ``problems`` lists why."""

    code = "KF-E132"

    def __init__(
        self,
        *,
        case_id: str,
        state: str,
        action: str,
        problems: Iterable[str],
        basis: Iterable[str] = (),
    ) -> None:
        self.problems = tuple(problems)
        self.basis = tuple(basis)
        cited = f" ({'; '.join(self.basis)})" if self.basis else ""
        super().__init__(
            f"De brief bij '{action}' voldoet niet: {'; '.join(self.problems)}{cited}.",
            case_id=case_id,
            state=state,
            action=action,
            hint="Geef de verzonden brief mee, bijv. letter={'verzonden_op': '2026-03-02', "
            "'aan': ['klager'], 'inhoud': [...], 'bijlagen': [...]}.",
        )


class ProcedureMismatch(KlachtflowError):
    """The case runs under another procedure version than this engine's."""

    code = "KF-E109"

    def __init__(
        self, *, case_id: str, case_procedure: str, engine_procedure: str
    ) -> None:
        self.case_id = case_id
        self.case_procedure = case_procedure
        self.engine_procedure = engine_procedure
        super().__init__(
            f"Zaak {case_id} loopt onder {case_procedure}, deze engine onder "
            f"{engine_procedure}.",
            hint="Gebruik een engine met de procedure van de zaak, of migreer de zaak "
            "expliciet met engine.migrate(case, to=..., state_map=...).",
        )


class UnknownCondition(KlachtflowError, LookupError):
    """The procedure names conditions the host did not register (``missing``)."""

    code = "KF-E110"

    def __init__(self, missing: Iterable[str], procedure: str) -> None:
        self.missing = tuple(sorted(missing))
        super().__init__(
            f"De procedure {procedure} noemt voorwaarden die niet geregistreerd zijn: "
            f"{', '.join(self.missing)}.",
            hint="Registreer ze: conditions = Conditions(); "
            "@conditions.register('naam') def ...",
        )


class MigrationError(KlachtflowError, ValueError):
    """A case cannot be migrated: its status has no counterpart in the new procedure."""

    code = "KF-E111"

    def __init__(
        self, *, case_id: str, state: str, procedure: str, known: Iterable[str]
    ) -> None:
        self.case_id = case_id
        self.state = state
        self.known = tuple(known)
        super().__init__(
            f"Status '{state}' van zaak {case_id} bestaat niet in {procedure}.",
            hint="Geef een state_map, bijv. state_map={'oud': 'nieuw'}; statussen daar: "
            + ", ".join(self.known)
            + ".",
        )


class MomentRefused(KlachtflowError, ValueError):
    """An event's moment is not allowed: before the previous event, too far in
    the future, or backdated beyond the window (``kind`` says which)."""

    code = "KF-E114"

    def __init__(
        self, *, case_id: str, at: str, kind: str, message: str, hint: str
    ) -> None:
        self.case_id = case_id
        self.at = at
        self.kind = kind
        super().__init__(message, hint=hint)


class MigrationRefused(KlachtflowError, ValueError):
    """A migration is not allowed: no migration right, or no new procedure version."""

    code = "KF-E113"

    def __init__(self, *, case_id: str, message: str, hint: str) -> None:
        self.case_id = case_id
        super().__init__(message, hint=hint)


class BatchItemRefused(KlachtflowError, ValueError):
    """An item of a batch (``Engine.start_many``, ``SqlStore.start_many``)
    could not be done; nothing of the batch was done.

    ``index`` is the item's position (from 0), ``error`` the klachtflow error
    the item raised on its own (also the ``__cause__``).
    """

    code = "KF-E120"

    def __init__(self, *, index: int, error: KlachtflowError) -> None:
        self.index = index
        self.error = error
        super().__init__(
            f"Zaak {index} van de reeks ({error.code}): {error.message} "
            "Er is niets van de reeks vastgelegd.",
            hint=error.hint,
        )


# --------------------------------------------------------------------------- storage


class StorageError(KlachtflowError):
    """Base of the storage errors."""

    code = "KF-S000"


class CaseNotFound(StorageError, LookupError):
    """No case with this id in the store."""

    code = "KF-S001"

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(
            f"Zaak '{case_id}' bestaat niet in deze database.",
            hint="Controleer het zaaknummer, of de database (--db).",
        )


class ClaimLost(StorageError):
    """A deadline claim is no longer this worker's: its lease ran out and another
    worker claimed it, it was completed or released, or the due date changed.

    ``key`` is the claim's idempotency key (the same for every attempt at the
    same due date), ``attempt`` the attempt the worker held.
    """

    code = "KF-S008"

    def __init__(self, *, key: str, attempt: int, worker: str) -> None:
        self.key = key
        self.attempt = attempt
        self.worker = worker
        super().__init__(
            f"Termijnclaim {key} (poging {attempt}) is niet meer van {worker}: de lease "
            "is verlopen en een andere verwerker heeft de termijn geclaimd, of de claim "
            "is al afgerond of de vervaldatum is veranderd.",
            hint="Verstuur niets meer voor deze claim; de nieuwe eigenaar doet dat, met "
            "dezelfde idempotentiesleutel.",
        )


class ConcurrentUpdate(StorageError):
    """Someone else saved the case first; ``expected_version`` vs ``actual_version``."""

    code = "KF-S002"

    def __init__(
        self, case_id: str, *, expected_version: int, actual_version: int | None
    ) -> None:
        self.case_id = case_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        super().__init__(
            f"Zaak '{case_id}' is intussen gewijzigd: verwacht versie {expected_version}, "
            f"in de database staat versie {actual_version}.",
            hint="Lees de zaak opnieuw en voer de actie opnieuw uit.",
        )


class SchemaNotAtHead(StorageError):
    """The database schema is behind this version of klachtflow."""

    code = "KF-S003"

    def __init__(self, *, url: str, current: str | None, head: str) -> None:
        self.url = url
        self.current = current
        self.head = head
        super().__init__(
            f"Het databaseschema is niet bijgewerkt (nu: {current or 'leeg'}, nodig: {head}).",
            hint=f"Voer uit: klachtflow db upgrade --db {url}",
        )


class MissingDependency(KlachtflowError, ImportError):
    """An optional dependency is not installed; ``extra`` names the extra to install."""

    code = "KF-S004"

    def __init__(self, *, extra: str, package: str) -> None:
        self.extra = extra
        self.package = package
        super().__init__(
            f"Hiervoor is het pakket '{package}' nodig, en dat is niet geïnstalleerd.",
            hint=f'Installeer het met: pip install "klachtflow[{extra}]"',
        )


def _listed(items: tuple[str, ...], limit: int, sep: str, rest: str = "; ") -> str:
    """The first ``limit`` items joined by ``sep``, then "en nog N" for the rest."""
    shown = sep.join(items[:limit])
    if len(items) > limit:
        shown += f"{rest}en nog {len(items) - limit}"
    return shown


class UntrustedCase(StorageError, ValueError):
    """A case given to ``save``/``add`` is not what the engine produces.

    ``problems`` says, per event or field, what does not follow. Only
    ``start``, ``fire`` and ``migrate`` (and erasure and retention) change a
    case: a case built or edited by hand is refused.
    """

    code = "KF-S005"

    def __init__(self, case_id: str, problems: Iterable[str]) -> None:
        self.case_id = case_id
        self.problems = tuple(problems)
        super().__init__(
            f"Zaak '{case_id}' wordt niet opgeslagen: zij volgt niet uit de procedure "
            f"({_listed(self.problems, 3, '; ')}).",
            hint="Verander een zaak alleen met engine.start, engine.fire of "
            "engine.migrate (of store.fire), en sla op wat die teruggeven.",
        )


class HistoryTampered(StorageError):
    """The stored rows of a case do not verify: ``problems`` says what is wrong.

    Read it anyway, for investigation, with ``store.inspect(case_id)``.
    """

    code = "KF-S006"

    def __init__(self, case_id: str, problems: Iterable[str]) -> None:
        self.case_id = case_id
        self.problems = tuple(problems)
        super().__init__(
            f"Zaak '{case_id}' is in de database aangetast: "
            f"{_listed(self.problems, 3, '; ')}.",
            hint="Er wordt niets op deze zaak uitgevoerd. Onderzoek haar met "
            "store.inspect(zaak) of 'klachtflow verifieer', en herstel uit een back-up.",
        )


class ErasureRefused(StorageError, ValueError):
    """Erasure is refused: the person is a party to cases still being handled."""

    code = "KF-S007"

    def __init__(self, person: str, case_ids: Iterable[str]) -> None:
        self.person = person
        self.case_ids = tuple(case_ids)
        super().__init__(
            f"De gegevens van '{person}' worden niet gewist: de klacht is nog in "
            f"behandeling ({_listed(self.case_ids, 5, ', ', ' ')}).",
            hint="Zolang een klacht loopt, is verwerking nodig voor de behandeling "
            "(AVG art 17 lid 3 onder b). Rond de zaak af, of geef de grond voor "
            "wissen mee: erase_person(..., ground=ErasureGround.INTREKKING) (AVG art 17 lid 1).",
        )


class OrganisationNotFound(StorageError, LookupError):
    """No organisation with this id (RSIN or OIN) is registered in the store."""

    code = "KF-S015"

    def __init__(self, organisation: str) -> None:
        self.organisation = organisation
        super().__init__(
            f"Organisatie '{organisation}' is niet in deze database geregistreerd.",
            hint="Registreer haar eerst met store.register_organisation(Organisation(...)).",
        )


class CaseNotInOrganisation(CaseNotFound):
    """The case is not one of this organisation's (or does not exist at all).

    A store scoped to an organisation (``store.scoped(rsin)``) cannot read,
    fire or save another organisation's case; it cannot tell whether the id
    exists elsewhere either. It is a :class:`CaseNotFound` for callers that
    catch that.
    """

    code = "KF-S016"

    def __init__(self, case_id: str, organisation: str) -> None:
        self.organisation = organisation
        super().__init__(case_id)
        self.message = f"Zaak '{case_id}' bestaat niet bij organisatie '{organisation or 'standaard'}'."
        self.args = (self.message,)
        self.hint = (
            "Een store voor één organisatie ziet alleen haar eigen zaken; gebruik "
            "store.scoped(organisatie) van de organisatie waar de zaak bij hoort."
        )


class ProcedureNotForOrganisation(StorageError, ValueError):
    """The organisation may not start cases on this procedure: it is not registered for it."""

    code = "KF-S017"

    def __init__(
        self, organisation: str, procedure: str, registered: Iterable[str]
    ) -> None:
        self.organisation = organisation
        self.procedure = procedure
        self.registered = tuple(registered)
        super().__init__(
            f"Organisatie '{organisation}' mag geen zaken starten met procedure "
            f"'{procedure}' (geregistreerd: {_listed(self.registered, 5, ', ', ' ') or 'geen'}).",
            hint="Neem de procedure op in Organisation(procedures=...) en registreer "
            "de organisatie opnieuw met store.register_organisation().",
        )


class ImportLineInvalid(StorageError, ValueError):
    """A line of a JSONL import is not a procedure or case line (``line``, ``reason``)."""

    code = "KF-S010"

    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(
            f"Regel {line} is geen geldige regel van een klachtflow-export: {reason}.",
            hint="Elke regel is één JSON-object met soort 'procedure' of 'zaak', zoals "
            "'klachtflow export' ze schrijft (docs/reference/jsonl.md).",
        )


class ImportConflict(StorageError, ValueError):
    """A case of an import is already stored with another history."""

    code = "KF-S011"

    def __init__(self, line: int, case_id: str) -> None:
        self.line = line
        self.case_id = case_id
        super().__init__(
            f"Regel {line}: zaak '{case_id}' staat al in de database, met een andere "
            "geschiedenis.",
            hint="Een import voegt alleen nieuwe zaken toe en slaat zaken met dezelfde "
            "geschiedenis over; onderzoek welke van de twee klopt.",
        )


class ZgwError(KlachtflowError):
    """Base of the errors of the ZGW export, publication and mirror."""

    code = "KF-Z000"


class ZgwExportRefused(ZgwError, ValueError):
    """The procedure cannot become a ZGW zaaktype; ``issues`` says why, all at once.

    Each issue is one refusal that Open Zaak (or the Catalogi API standard)
    would make, positioned at the YAML key that causes it.
    """

    code = "KF-Z001"

    def __init__(self, issues: Iterable[DefinitionIssue]) -> None:
        ordered = tuple(sorted(set(issues), key=_sort_key))
        if not ordered:
            msg = "ZgwExportRefused needs at least one DefinitionIssue."
            raise ValueError(msg)
        self.issues = ordered
        count = len(ordered)
        noun = "probleem" if count == 1 else "problemen"
        lines = [f"De procedure kan geen ZGW-zaaktype worden: {count} {noun}."]
        lines.extend(str(issue) for issue in ordered)
        super().__init__("\n".join(lines), hint=ordered[0].hint)


class ZgwUnreachable(ZgwError):
    """A ZGW API did not answer (refused, timed out, or answered 5xx)."""

    code = "KF-Z100"

    def __init__(self, *, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(
            f"De ZGW-API op {url} antwoordt niet goed: {reason}.",
            hint="Controleer de URL en of de API draait; probeer het later opnieuw "
            "(wat al bestaat, wordt dan gevonden en niet opnieuw gemaakt).",
        )


class ZgwRequestRefused(ZgwError):
    """A ZGW API refused a request (4xx); ``errors`` holds its invalidParams."""

    code = "KF-Z101"

    def __init__(
        self, *, url: str, status: int, errors: Iterable[str], detail: str = ""
    ) -> None:
        self.url = url
        self.status = status
        self.errors = tuple(errors)
        shown = "; ".join(self.errors) or detail or "geen toelichting"
        super().__init__(
            f"De ZGW-API weigert {url} (HTTP {status}): {shown}.",
            hint="Bij 401/403: controleer client-id en secret en de rechten van de "
            "applicatie in de autorisaties; anders de gegevens in de procedure.",
        )


class ZgwInvalidSetting(ZgwError, ValueError):
    """A ZGW setting of the host is malformed (an RSIN, an OIN, an API version)."""

    code = "KF-Z102"

    def __init__(self, *, setting: str, value: object, expected: str) -> None:
        self.setting = setting
        self.value = value
        super().__init__(
            f"{setting} moet {expected} zijn, maar is {value!r}.",
            hint=f"Geef {setting} in de vorm: {expected}.",
        )
