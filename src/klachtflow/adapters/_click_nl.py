"""click's own messages in Dutch, so the command line speaks one language.

click marks its strings for gettext (``from gettext import gettext as _``)
but ships no catalogues. :func:`dutch_click` swaps the ``_`` and
``ngettext`` of click's modules for a lookup in :data:`MESSAGES` for the
duration of one command-line run and puts the originals back afterwards, so
a host application that imports klachtflow keeps click as it was. A message
click adds in a later release stays English until it is added here; the
test ``test_every_click_message_is_translated`` lists the ones missing.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator, Mapping
from types import MappingProxyType, ModuleType

__all__ = ["MESSAGES", "PLURALS", "dutch_click", "translate", "translate_plural"]

#: click's English message → Dutch. Placeholders stay as they are.
MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        "Usage:": "Gebruik:",
        "Options": "Opties",
        "Commands": "Commando's",
        "Positional arguments": "Argumenten",
        "Aborted!": "Afgebroken.",
        "Missing command.": "Er ontbreekt een commando.",
        "Value must be an iterable.": "De waarde moet een reeks zijn.",
        "default: {default}": "standaard: {default}",
        "deprecated": "verouderd",
        "required": "verplicht",
        "env var: {var}": "omgevingsvariabele: {var}",
        "(dynamic)": "(afhankelijk van de situatie)",
        "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
        "Show the version and exit.": "Toon de versie en stop.",
        "Show this message and exit.": "Toon deze hulp en stop.",
        "Confirm the action without prompting.": "Bevestig zonder te vragen.",
        "Do you want to continue?": "Wilt u doorgaan?",
        "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
            "Let op: het commando {name!r} is verouderd.{extra_message}"
        ),
        "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
            "Let op: {param_type} {name!r} is verouderd.{extra_message}"
        ),
        "Could not open file {filename!r}: {message}": (
            "Kan bestand {filename!r} niet openen: {message}"
        ),
        "Error: {message}": "Fout: {message}",
        "Invalid value for {param_hint}: {message}": (
            "Ongeldige waarde voor {param_hint}: {message}"
        ),
        "Invalid value: {message}": "Ongeldige waarde: {message}",
        "Missing argument": "Ontbrekend argument",
        "Missing option": "Ontbrekende optie",
        "Missing parameter": "Ontbrekende parameter",
        "Missing parameter: {param_name}": "Ontbrekende parameter: {param_name}",
        "Missing {param_type}": "Ontbrekend: {param_type}",
        "argument": "argument",
        "option": "optie",
        "parameter": "parameter",
        "No such command {name!r}.": "Onbekend commando {name!r}.",
        "No such option {name!r}.": "Onbekende optie {name!r}.",
        "Try '{command} {option}' for help.": "Hulp: '{command} {option}'.",
        "unknown error": "onbekende fout",
        "Argument {name!r} takes {nargs} values.": (
            "Argument {name!r} krijgt {nargs} waarden."
        ),
        "Invalid start character for option ({option})": (
            "Ongeldig eerste teken voor een optie ({option})"
        ),
        "Option {name!r} does not take a value.": "Optie {name!r} krijgt geen waarde.",
        "Error: The two entered values do not match.": (
            "Fout: de twee ingevoerde waarden zijn niet gelijk."
        ),
        "Error: invalid input": "Fout: ongeldige invoer",
        "Press any key to continue...": "Druk op een toets om door te gaan...",
        "Repeat for confirmation": "Herhaal ter bevestiging",
        "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
        "directory": "map",
        "file": "bestand",
        "path": "pad",
        "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
        "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
        "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
        "{name} {filename!r} is not executable.": (
            "{name} {filename!r} is niet uitvoerbaar."
        ),
        "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
        "{name} {filename!r} is not writable.": (
            "{name} {filename!r} is niet schrijfbaar."
        ),
        "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
        "{value!r} is not a valid boolean. Recognized values: {states}": (
            "{value!r} is geen geldige ja/nee-waarde. Mogelijk: {states}"
        ),
        "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
        "integer": "geheel getal",
        "float": "getal",
        "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
        "Shell completion is not supported for Bash versions older than 4.4.": (
            "Aanvullen in de shell werkt niet met Bash ouder dan 4.4."
        ),
        "Couldn't detect Bash version, shell completion is not supported.": (
            "De versie van Bash is onbekend; aanvullen in de shell werkt niet."
        ),
    }
)

#: click's (singular, plural) → Dutch (singular, plural).
PLURALS: Mapping[tuple[str, str], tuple[str, str]] = MappingProxyType(
    {
        (
            "Got unexpected extra argument ({args})",
            "Got unexpected extra arguments ({args})",
        ): (
            "Onverwacht extra argument ({args})",
            "Onverwachte extra argumenten ({args})",
        ),
        (
            "Takes {nargs} values but 1 was given.",
            "Takes {nargs} values but {len} were given.",
        ): (
            "Verwacht {nargs} waarden, maar kreeg er 1.",
            "Verwacht {nargs} waarden, maar kreeg er {len}.",
        ),
        ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
            "Bedoelde u {possibility}?",
            "(Bedoelde u een van: {possibilities}?)",
        ),
        (
            "Option {name!r} requires an argument.",
            "Option {name!r} requires {nargs} arguments.",
        ): (
            "Optie {name!r} heeft een waarde nodig.",
            "Optie {name!r} heeft {nargs} waarden nodig.",
        ),
        (
            "{len_type} values are required, but {len_value} was given.",
            "{len_type} values are required, but {len_value} were given.",
        ): (
            "Er zijn {len_type} waarden nodig, maar er is er {len_value} gegeven.",
            "Er zijn {len_type} waarden nodig, maar er zijn er {len_value} gegeven.",
        ),
        (
            "{value!r} does not match the format {format}.",
            "{value!r} does not match the formats {formats}.",
        ): (
            "{value!r} past niet bij het formaat {format}.",
            "{value!r} past niet bij de formaten {formats}.",
        ),
        ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
            "{value!r} is niet {choice}.",
            "{value!r} is niet een van {choices}.",
        ),
    }
)

_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.shell_completion",
    "click.termui",
    "click.types",
)


def translate(message: str) -> str:
    """``message`` in Dutch, or unchanged when it has no translation."""
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    """The Dutch singular or plural of a click message, by ``n``."""
    dutch = PLURALS.get((singular, plural), (singular, plural))
    return dutch[0] if n == 1 else dutch[1]


@contextlib.contextmanager
def dutch_click() -> Iterator[None]:
    """Within the block, click writes its messages in Dutch."""
    modules: list[ModuleType] = [importlib.import_module(m) for m in _MODULES]
    saved = [(m, m.__dict__.get("_"), m.__dict__.get("ngettext")) for m in modules]
    for module, gettext, ngettext in saved:
        if gettext is not None:
            module._ = translate  # type: ignore[attr-defined]
        if ngettext is not None:
            module.ngettext = translate_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module, gettext, ngettext in saved:
            if gettext is not None:
                module._ = gettext  # type: ignore[attr-defined]
            if ngettext is not None:
                module.ngettext = ngettext  # type: ignore[attr-defined]
