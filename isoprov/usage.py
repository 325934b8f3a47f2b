"""Usage errors and system errors in Vietnamese, without a traceback (lỗi cách dùng).

Click, under typer, words its usage errors in English ("Missing argument 'files'."). The
command group here runs click in non-standalone mode and says the same things in Vietnamese,
with the exit codes of SPEC: 2 for a usage error, 1 for a file the system would not write.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from isoprov.diagnostics import ExitCode, os_error_text


def _click_exceptions() -> Any:
    """The exceptions of the click that typer runs: its own copy (typer ≥ 0.20) or click."""
    try:
        return importlib.import_module("typer._click.exceptions")
    except ImportError:
        return importlib.import_module("click.exceptions")


cx = _click_exceptions()

_EXTRA = re.compile(r"Got unexpected extra argument(s|\(s\))? \((?P<args>.*)\)")
_NOT_ONE_OF = re.compile(r"'(?P<value>[^']*)' is not (one of )?(?P<choices>'.*')")


def usage_error_text(exc: Any) -> str:
    """A click usage error, said in Vietnamese."""
    if isinstance(exc, cx.NoSuchOption):
        text = f"không có tùy chọn `{exc.option_name}`"
        if exc.possibilities:
            text += "; có phải là " + ", ".join(f"`{p}`" for p in sorted(exc.possibilities)) + "?"
        return text
    if isinstance(exc, cx.MissingParameter):
        name = _param_name(exc.param)
        kind = "tùy chọn" if getattr(exc.param, "param_type_name", None) == "option" else "tham số"
        return f"thiếu {kind} `{name}`"
    if isinstance(exc, cx.BadParameter):
        hint = _param_name(exc.param)
        found = _NOT_ONE_OF.search(exc.message)
        if found:
            listed = ", ".join(f"`{c}`" for c in re.findall(r"'([^']*)'", found["choices"]))
            return f"giá trị `{found['value']}` không hợp lệ cho `{hint}`; chỉ nhận một trong: {listed}"
        return f"giá trị không hợp lệ cho `{hint}`: {exc.message}"
    if isinstance(exc, cx.BadOptionUsage):
        return f"tùy chọn `{exc.option_name}` dùng sai: {exc.message}"
    extra = _EXTRA.search(exc.message)
    if extra:
        return f"thừa tham số: {extra['args']}"
    if exc.message.startswith("No such command"):
        name = exc.message.split("'")[1] if "'" in exc.message else exc.message
        return f"không có lệnh `{name}`"
    return str(exc.message)


def _param_name(param: Any) -> str:
    if param is None:
        return "?"
    opts = getattr(param, "opts", None)
    if getattr(param, "param_type_name", None) == "option" and opts:
        return str(max(opts, key=len))
    name = (
        getattr(param, "metavar", None) or getattr(param, "human_readable_name", None) or getattr(param, "name", None)
    )
    name = name or "?"
    return str(name).upper()


#: The help texts click and typer write themselves, and what the help says instead.
_PARAM_HELP = {
    "help": "In hướng dẫn này rồi thoát.",
    "install_completion": "Cài gợi ý lệnh bằng phím Tab cho shell đang dùng.",
    "show_completion": "In đoạn cài gợi ý lệnh cho shell đang dùng (để chép hoặc tự cài).",
}
_HELP_WORDS = (
    (re.compile(r"^Usage: ", re.MULTILINE), "Cách dùng: "),
    (re.compile(r"^Options:$", re.MULTILINE), "Tùy chọn:"),
    (re.compile(r"^Arguments:$", re.MULTILINE), "Tham số:"),
    (re.compile(r"^Commands:$", re.MULTILINE), "Lệnh:"),
    (re.compile(r"\[OPTIONS\]"), "[TÙY CHỌN]"),
    (re.compile(r"COMMAND \[ARGS\]\.\.\."), "LỆNH [THAM SỐ]..."),
    (re.compile(r" <(list\[Path\]|path|text|str)>"), ""),  # typer's type hints, in English
    (re.compile(r"\[required\]"), "[bắt buộc]"),
    (re.compile(r"\[default: "), "[mặc định: "),
)


def translate_help(text: str) -> str:
    """The headings and fixed words of a help page in Vietnamese."""
    for pattern, vietnamese in _HELP_WORDS:
        text = pattern.sub(vietnamese, text)
    return text


class _VietnameseHelp:
    """Help pages in Vietnamese: the options click and typer add, and the headings."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if param.name in _PARAM_HELP:
                param.help = _PARAM_HELP[param.name]
        return params

    def get_help(self, ctx: Any) -> str:
        return translate_help(super().get_help(ctx))  # type: ignore[misc]

    def get_usage(self, ctx: Any) -> str:
        return translate_help(super().get_usage(ctx))  # type: ignore[misc]


class VietnameseCommand(_VietnameseHelp, TyperCommand):
    """A command whose help page is in Vietnamese."""


class VietnameseGroup(_VietnameseHelp, TyperGroup):
    """The top-level command group: click's own errors and help pages come out in Vietnamese."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except cx.NoArgsIsHelpError as exc:
            print(exc.ctx.get_help() if exc.ctx is not None else "")
            sys.exit(int(ExitCode.USAGE))
        except cx.UsageError as exc:
            usage = exc.ctx.command_path if exc.ctx is not None else "isoprov"
            print(f"Lỗi cách dùng: {usage_error_text(exc)}", file=sys.stderr)
            print(f"Xem `{usage} --help`.", file=sys.stderr)
            sys.exit(int(ExitCode.USAGE))
        except (typer.Abort, KeyboardInterrupt):
            print("Đã hủy.", file=sys.stderr)
            sys.exit(int(ExitCode.INVALID))
        except OSError as exc:
            print(f"Lỗi: {os_error_text(exc)}", file=sys.stderr)
            sys.exit(int(ExitCode.INVALID))
        sys.exit(code if isinstance(code, int) else 0)
