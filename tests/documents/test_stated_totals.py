"""A plan's text that states its funds is checked against the budget it attaches (phụ lục dự toán):
the text is written by hand, the appendix is computed, and they must agree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run

Cli = Callable[..., Run]
SAID = "khác tổng dự toán kèm theo"


def _stated(folder: Path) -> str:
    plan = (folder / "ke-hoach.yaml").read_text(encoding="utf-8")
    start = plan.index("Kinh phí thực hiện")
    return plan[start : plan.index("đồng", start) + 4]


def test_the_starter_plan_states_its_budget_total(cli: Cli, starter: Path) -> None:
    assert SAID not in cli("render", "plan", "ke-hoach.yaml", "-o", "kh.md").stderr
    assert SAID not in cli("validate", "ke-hoach.yaml").stderr


def test_a_plan_stating_another_amount_is_warned(cli: Cli, starter: Path) -> None:
    plan = starter / "ke-hoach.yaml"
    stated = _stated(starter)
    figure = stated.split(" là ")[-1].removesuffix(" đồng")
    other = "61.000.000" if figure != "61.000.000" else "62.000.000"
    plan.write_text(plan.read_text(encoding="utf-8").replace(f"{figure} đồng", f"{other} đồng", 1), encoding="utf-8")
    rendered = cli("render", "plan", "ke-hoach.yaml", "-o", "kh.md")
    assert rendered.exit_code == 0  # a warning: the office decides
    assert f"nội dung nêu kinh phí `{other} đồng`, {SAID} ({figure} đồng)" in rendered.stderr
    assert SAID in cli("validate", "ke-hoach.yaml").stderr
    # written in millions, the same amount agrees
    plan.write_text(plan.read_text(encoding="utf-8").replace(f"{other} đồng", _millions(figure), 1), encoding="utf-8")
    assert SAID not in cli("render", "plan", "ke-hoach.yaml", "-o", "kh.md").stderr


def _millions(figure: str) -> str:
    value = int(figure.replace(".", "")) / 1_000_000
    return f"{value:g} triệu đồng".replace(".", ",")


def test_amounts_outside_a_sentence_on_funds_and_rates_are_not_compared(cli: Cli, starter: Path) -> None:
    plan = starter / "ke-hoach.yaml"
    text = plan.read_text(encoding="utf-8").replace(
        "body:\n",
        "body:\n  - Mức hỗ trợ tiền ăn theo quy định là 150.000 đồng/người/ngày.\n"
        "  - Chi hỗ trợ theo dự toán, mức chi bồi dưỡng 150.000 đồng / người / ngày.\n",
        1,
    )
    plan.write_text(text, encoding="utf-8")
    assert SAID not in cli("render", "plan", "ke-hoach.yaml", "-o", "kh.md").stderr


def test_a_total_kept_in_millions_is_said_in_millions_and_in_dong(starter: Path) -> None:
    from decimal import Decimal

    from isoprov.documents.budget_appendix import _stated_totals
    from isoprov.documents.model import load_document

    document, source = load_document(starter / "ke-hoach.yaml")
    (warning,) = _stated_totals(document, source, Decimal(61_154_000), "triệu đồng")
    assert "khác tổng dự toán kèm theo (61,154 triệu đồng = 61.154.000 đồng)" in warning.message
    assert warning.code == "stated-total"
