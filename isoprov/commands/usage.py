"""Usage errors and system errors in Vietnamese, without a traceback (lỗi cách dùng).

Click, under typer, words its usage errors in English ("Missing argument 'files'."). The
command group here runs click in non-standalone mode and says the same things in Vietnamese,
with the exit codes of SPEC: 2 for a usage error, 1 for a file the system would not write,
130 for Ctrl-C. It also makes sure Vietnamese can be printed at all (a C locale or an ASCII
``PYTHONIOENCODING`` would otherwise end in ``UnicodeEncodeError``).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args

import typer
from typer.core import TyperCommand, TyperGroup

from isoprov.core.diagnostics import ExitCode, os_error_text


def _click_exceptions() -> Any:
    """The exceptions of the click that typer runs: its own copy (typer ≥ 0.20) or click."""
    try:
        return importlib.import_module("typer._click.exceptions")
    except ImportError:
        return importlib.import_module("click.exceptions")


cx = _click_exceptions()

#: Ctrl-C: the shell's own code for a program ended by SIGINT (128 + 2).
INTERRUPTED = 130
#: Signals that ask a command to stop (a scheduler's SIGTERM, a closed terminal's SIGHUP): the
#: command stops as for Ctrl-C — outputs not half-written, workers ended — and exits 128 + N.
STOP_SIGNALS = {signal.SIGTERM: "SIGTERM", signal.SIGHUP: "SIGHUP"}


class Stopped(BaseException):
    """A stop signal arrived (raised by the handler, like KeyboardInterrupt for SIGINT)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum: int, frame: object) -> None:
    raise Stopped(signum)


_EXTRA = re.compile(r"Got unexpected extra argument(s|\(s\))? \((?P<args>.*)\)")
_NOT_ONE_OF = re.compile(r"'(?P<value>[^']*)' is not (one of )?(?P<choices>'.*')")
_REQUIRES = re.compile(r"requires (an argument|(?P<count>\d+) arguments)")
_TAKES = re.compile(r"takes (?P<count>\d+) values")
#: typer's own checks of a path (``exists``, ``file_okay``, ``dir_okay``, ``readable``, ``writable``).
_PATH_CHECK = re.compile(
    r"^(?:file|directory|path) '(?P<path>.*)' "
    r"(?P<problem>does not exist|is a file|is a directory|is not readable|is not writable)\.$"
)
_PATH_PROBLEMS = {
    "does not exist": "không tìm thấy `{path}`",
    "is a file": "`{path}` là một tệp; cần một thư mục",
    "is a directory": "`{path}` là một thư mục; cần một tệp",
    "is not readable": "không có quyền đọc `{path}`",
    "is not writable": "không có quyền ghi `{path}`",
}


def usage_error_text(exc: Any) -> str:
    """A click usage error, said in Vietnamese."""
    if isinstance(exc, cx.NoSuchOption):
        text = f"không có tùy chọn `{exc.option_name}`"
        if exc.option_name[1:2].isdigit():  # `-5`: a number read as an option
            text += "; một số âm không dùng được ở đây (số tiền, số lượng không âm)"
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
        path = _PATH_CHECK.match(exc.message)
        if path:
            return f"`{hint}`: " + _PATH_PROBLEMS[path["problem"]].format(path=path["path"])
        return f"giá trị không hợp lệ cho `{hint}`: {exc.message}"
    if isinstance(exc, cx.BadOptionUsage):
        return _option_usage_text(exc.option_name, exc.message)
    if isinstance(exc, cx.BadArgumentUsage):
        takes = _TAKES.search(exc.message)
        if takes:
            return f"tham số cần đủ {takes['count']} giá trị"
    extra = _EXTRA.search(exc.message)
    if extra:
        return f"thừa tham số: {extra['args']}"
    if exc.message.startswith("No such command"):
        name = exc.message.split("'")[1] if "'" in exc.message else exc.message
        return f"không có lệnh `{name}`"
    if exc.message.startswith("Missing command"):
        return "thiếu lệnh"
    return str(exc.message)


def _option_usage_text(option: str, message: str) -> str:
    """Click's words for an option used the wrong way ("requires an argument", "does not take a
    value"), in Vietnamese."""
    requires = _REQUIRES.search(message)
    if requires:
        count = requires["count"]
        return f"tùy chọn `{option}` cần " + (f"{count} giá trị" if count else "một giá trị") + " theo sau"
    if "does not take a value" in message:
        return f"tùy chọn `{option}` không nhận giá trị (chỉ ghi `{option}`)"
    return f"tùy chọn `{option}` dùng sai: {message}"


def _param_name(param: Any) -> str:
    if param is None:
        return "?"
    opts = getattr(param, "opts", None)
    if getattr(param, "param_type_name", None) == "option" and opts:
        return str(max(opts, key=len))
    metavar = getattr(param, "metavar", None)
    if metavar:
        return str(metavar)  # as the help page writes it: `DATA.yaml`, not `DATA.YAML`
    name = getattr(param, "human_readable_name", None) or getattr(param, "name", None) or "?"
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
    (re.compile(r"\[required\]"), "[bắt buộc]"),
    (re.compile(r"\[default: "), "[mặc định: "),
)
#: typer's type hints for a value without a metavar (``--x <str>``): English, and an option
#: whose placeholder was dropped reads as a flag. Every option of isoprov has a metavar; these
#: only keep a forgotten one readable.
_TYPE_HINTS = (
    (re.compile(r" <(?:list\[)?(?:Path|path)\]?>$"), " PATH"),
    (re.compile(r" <(?:list\[)?(?:str|text)\]?>$"), " TEXT"),
    (re.compile(r" <(?:list\[)?(?:int|integer)\]?>$"), " N"),
)
#: typer writes a required argument as ``{PATH}`` in the usage line; SPEC and README write
#: ``PATH`` (click's own way: brackets only for what may be left out).
_REQUIRED_PIECE = re.compile(r"^\{(?P<name>[^{}]*)\}")


def translate_help(text: str) -> str:
    """The headings and fixed words of a help page in Vietnamese."""
    for pattern, vietnamese in _HELP_WORDS:
        text = pattern.sub(vietnamese, text)
    return text


def _argument_name(param: Any) -> str:
    """An argument as the usage line writes it: ``PATH...``, ``KIND``."""
    name = str(param.metavar or (param.name or "?").upper())
    return name + ("..." if param.nargs != 1 else "")


def _option_name(name: str) -> str:
    """An option's names and placeholder, without typer's English type hints."""
    for pattern, placeholder in _TYPE_HINTS:
        name = pattern.sub(placeholder, name)
    return name


class _VietnameseHelp:
    """Help pages in Vietnamese: the options click and typer add, the headings, the usage line."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if param.name in _PARAM_HELP:
                param.help = _PARAM_HELP[param.name]
        return params

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """Arguments and options under Vietnamese headings, each written once as it will be
        printed, so that the help texts line up (typer's ``DATA.yaml <path>`` would be measured
        with its type hint)."""
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            name, text = record
            if param.param_type_name == "argument":
                arguments.append((_argument_name(param), translate_help(text)))
            else:
                options.append((_option_name(name), translate_help(text)))
        for heading, rows in (("Tham số", arguments), ("Tùy chọn", options)):
            if rows:
                with formatter.section(heading):
                    formatter.write_dl(rows)
        format_commands = getattr(self, "format_commands", None)
        if format_commands is not None:
            format_commands(ctx, formatter)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [_REQUIRED_PIECE.sub(r"\g<name>", piece) for piece in pieces]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        skip_pydantic_for_plain_values(self, ctx)
        try:
            rest: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
        except cx.UsageError as exc:
            if exc.ctx is None:  # click's parser leaves it out: "see --help" names this command
                exc.ctx = ctx
            raise
        return rest

    def get_help(self, ctx: Any) -> str:
        return translate_help(super().get_help(ctx))  # type: ignore[misc]

    def get_usage(self, ctx: Any) -> str:
        return translate_help(super().get_usage(ctx))  # type: ignore[misc]


def _takes_paths(param: Any) -> bool:
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    return annotation is Path or Path in get_args(annotation)


def refuse_empty_paths(command: Any, ctx: Any, args: list[str]) -> None:
    """An empty path is a usage error: ``Path("")`` is ``.``, so ``isoprov score "$DIR"`` with
    ``DIR`` unset would score the current folder, and ``isoprov init ""`` would write into it."""
    try:
        raw, _, _ = command.make_parser(ctx).parse_args(args=list(args))
    except cx.UsageError:
        return  # said by the real parse, with its own words
    for param in command.get_params(ctx):
        value = raw.get(param.name)
        values = value if isinstance(value, list | tuple) else [value]
        if _takes_paths(param) and "" in values:
            raise cx.UsageError(
                f'đường dẫn rỗng ("") cho `{_param_name(param)}`; '
                "hãy ghi một tệp hoặc thư mục (có thể một biến chưa được đặt)",
                ctx,
            )


def _plain_value_coercion() -> Any:
    """typer's coercion of a ``str`` or ``bool`` parameter, without pydantic for the values
    that need none, or None where this typer has no such hook.

    Since typer 0.2x every parameter value goes through a pydantic ``TypeAdapter``, built on
    first use; for a text from the command line (or a flag's True/False) that returns the same
    value, but importing pydantic is two thirds of a light command's start-up (``budget words``
    took 0,28 s against 0,07 s for ``import typer``). Any other value is handed to typer's own
    coercion, built then."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param, resolve_type_descriptor
    except ImportError:  # an older typer: click converts the values itself
        return None

    class PlainValue(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if type(value) is self.annotation:
                return value
            typer_own = build_runtime_param(resolve_type_descriptor(self.annotation, self.parameter_info))
            return typer_own._coerce_value(value, param=param, ctx=ctx)

    return PlainValue


_PLAIN_VALUE: Any = None


def skip_pydantic_for_plain_values(command: Any, ctx: Any) -> None:
    """Give each ``str`` or ``bool`` parameter of ``command`` (its own and the help option; no
    parser, no file) the coercion of :func:`_plain_value_coercion` before its value is processed."""
    global _PLAIN_VALUE
    for param in command.get_params(ctx):
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            continue  # not a typer parameter of this version, or already prepared
        info = descriptor.parameter_info
        if descriptor.annotation not in (str, bool) or descriptor.file_annotation is not None or info.parser:
            continue
        if _PLAIN_VALUE is None:
            _PLAIN_VALUE = _plain_value_coercion()
            if _PLAIN_VALUE is None:
                return
        param._runtime_param = _PLAIN_VALUE(parameter_info=info, annotation=descriptor.annotation)


class VietnameseCommand(_VietnameseHelp, TyperCommand):
    """A command whose help page is in Vietnamese."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        refuse_empty_paths(self, ctx, args)
        return super().parse_args(ctx, args)


def ensure_vietnamese_output() -> None:
    """Make stdout and stderr able to print Vietnamese.

    Python takes their encoding from the locale or ``PYTHONIOENCODING``; under ``LC_ALL=C`` with
    ``PYTHONUTF8=0``, or an ASCII or Latin-1 ``PYTHONIOENCODING``, printing "Lỗi" ends in
    ``UnicodeEncodeError``. A stream that cannot encode Vietnamese is switched to UTF-8 (what
    the JSON and CSV outputs are documented to be); one that can (UTF-8, UTF-16…) is left alone.
    """
    closed_stdout = sys.stdout is None
    if sys.stderr is None:  # `2>&-`: messages have nowhere to go
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if closed_stdout:  # `>&-`: what the command prints is dropped, its files are still written
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    sys.unraisablehook = _quiet_unraisable
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            "Lỗi đường dẫn: Một trăm đồng".encode(encoding)
        except (LookupError, UnicodeEncodeError):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(encoding="utf-8")
    if closed_stdout:
        _say("Cảnh báo: đầu ra chuẩn (stdout) đã bị đóng; những gì lệnh in ra bị bỏ qua.")


def _quiet_unraisable(unraisable: Any) -> None:
    """An error Python cannot raise (in a finaliser): a file left open by a write that already
    failed and was reported (a full disk) tries to close itself again. Said in one line, never as
    a traceback; an OSError there repeats the reported one and is dropped."""
    if isinstance(unraisable.exc_value, OSError):
        return
    _say(f"Cảnh báo: lỗi khi dọn dẹp bị bỏ qua: {type(unraisable.exc_value).__name__}: {unraisable.exc_value}")


def _say(message: str) -> None:
    """A last message on stderr; a closed stderr is no reason for a traceback."""
    with contextlib.suppress(OSError, ValueError):
        print(message, file=sys.stderr)


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
        ensure_vietnamese_output()
        for number in STOP_SIGNALS:
            signal.signal(number, _raise_stopped)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except cx.NoArgsIsHelpError as exc:
            print(exc.ctx.get_help() if exc.ctx is not None else "")
            sys.exit(int(ExitCode.USAGE))
        except cx.UsageError as exc:
            usage = exc.ctx.command_path if exc.ctx is not None else "isoprov"
            _say(f"Lỗi cách dùng: {usage_error_text(exc)}")
            _say(f"Xem `{usage} --help`.")
            sys.exit(int(ExitCode.USAGE))
        except KeyboardInterrupt:
            code = INTERRUPTED
        except Stopped as exc:
            _say(f"Đã dừng (nhận tín hiệu {STOP_SIGNALS[signal.Signals(exc.signum)]}); không tệp nào bị ghi dở.")
            sys.exit(128 + exc.signum)
        except typer.Abort:
            _say("Đã hủy.")
            sys.exit(int(ExitCode.INVALID))
        except OSError as exc:
            _say(f"Lỗi: {os_error_text(exc)}")
            sys.exit(int(ExitCode.INVALID))
        if code == INTERRUPTED:  # typer turns Ctrl-C into exit code 130, silently
            _say("Đã dừng (Ctrl-C); không tệp nào bị ghi dở.")
            sys.exit(INTERRUPTED)
        sys.exit(code if isinstance(code, int) else 0)
