"""Russian words for the command line's own frame: usage lines, headings, error messages.

typer (and the click it carries) prints «Usage:», «Options», «Error: Missing option …» in
English and offers no translation hook for most of them. :func:`install` replaces those
few words. Each patch is guarded: with another typer version a missing hook leaves that
word in English and never breaks a command.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Any

WORDS = {
    "Options": "Параметры",
    "Commands": "Команды",
    "Arguments": "Аргументы",
    "[required]": "[обязательно]",
    "required": "обязательно",
    "Missing command.": "Не указана команда.",
    "No such command {name!r}.": "Нет такой команды {name!r}. Список команд: journal --help",
    "[default: {}]": "[по умолчанию: {}]",
    "default: {default}": "по умолчанию: {default}",
    "Error": "Ошибка",
    "Aborted!": "Прервано.",
}
USAGE = "Использование: "
USAGE_WORDS = (("[OPTIONS]", "[ПАРАМЕТРЫ]"), ("COMMAND", "КОМАНДА"), ("[ARGS]", "[АРГУМЕНТЫ]"))
TYPES = {"<path>": "<путь>", "<str>": "<текст>", "<int>": "<число>", "<float>": "<число>",
         "<list[Path]>": "<пути>", "<list[str]>": "<тексты>"}
HELP_OPTION = "Показать эту справку и выйти."
MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Missing option (.+)\.$"), "не указан параметр {0}"),
    (re.compile(r"^Missing argument (.+)\.$"), "не указан аргумент {0}"),
    (re.compile(r"^Missing parameter:? (.+)$"), "не указан параметр {0}"),
    (re.compile(r"^No such option: (.+?)(?: Did you mean (.+)\?)?$"), "нет такого параметра: {0}"),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), "лишние аргументы: {0}"),
    (re.compile(r"^Invalid value for (.+?): (.+)$"), "недопустимое значение {0}: {1}"),
    (re.compile(r"^Option (.+) requires an argument\.$"), "параметру {0} нужно значение"),
    (re.compile(r"^(.+) option requires an argument\.$"), "параметру {0} нужно значение"),
)


def translate(text: str) -> str:
    """The Russian for one of typer's own words, or the text as it is."""
    return WORDS.get(text, text)


def translate_message(text: str) -> str:
    """The Russian for a usage error's message, or the message as it is."""
    for pattern, russian in MESSAGES:
        match = pattern.match(text)
        if match:
            return russian.format(*match.groups())
    return text


def install() -> None:
    """Put the Russian words in place (once; safe to call again)."""
    _patch_gettext()
    _patch_usage_prefix()
    _patch_help_option()
    _patch_errors()
    _patch_type_names()


def _guard(patch: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        with contextlib.suppress(ImportError, AttributeError, TypeError):
            patch()

    return run


@_guard
def _patch_gettext() -> None:
    import typer.core

    typer.core._ = translate  # type: ignore[attr-defined,assignment,unused-ignore]


@_guard
def _patch_usage_prefix() -> None:
    from typer._click.formatting import HelpFormatter

    original = HelpFormatter.write_usage
    if getattr(original, "_journal_ru", False):
        return

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, russian in USAGE_WORDS:
            args = args.replace(english, russian)
        original(self, prog, args, USAGE if prefix is None else prefix)

    write_usage._journal_ru = True  # type: ignore[attr-defined]
    HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]


@_guard
def _patch_help_option() -> None:
    from typer._click.core import Command

    original = Command.get_help_option
    if getattr(original, "_journal_ru", False):
        return

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    get_help_option._journal_ru = True  # type: ignore[attr-defined]
    Command.get_help_option = get_help_option  # type: ignore[method-assign]


@_guard
def _patch_errors() -> None:
    from typer._click import exceptions
    from typer._click.utils import echo

    def show_usage_error(self: Any, file: Any = None) -> None:
        err = file if file is not None else exceptions.get_text_stderr()
        if self.ctx is not None:
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = f"Справка: {self.ctx.command_path} {self.ctx.help_option_names[0]}\n"
            echo(f"{self.ctx.get_usage()}\n{hint}", file=err, color=self.ctx.color)
        echo(f"Ошибка: {translate_message(self.format_message())}", file=err)

    def show_exception(self: Any, file: Any = None) -> None:
        err = file if file is not None else exceptions.get_text_stderr()
        echo(f"Ошибка: {translate_message(self.format_message())}", file=err)

    exceptions.UsageError.show = show_usage_error  # type: ignore[method-assign]
    exceptions.ClickException.show = show_exception  # type: ignore[method-assign]


@_guard
def _patch_type_names() -> None:
    from typer.core import _TyperParameter

    original = _TyperParameter.display_type
    if getattr(original, "_journal_ru", False):
        return

    def display_type(self: Any, ctx: Any) -> str:
        shown = original(self, ctx)
        return TYPES.get(shown, shown)

    display_type._journal_ru = True  # type: ignore[attr-defined]
    _TyperParameter.display_type = display_type  # type: ignore[method-assign]
