"""The results pages: self-contained, every user text escaped, accessible, Vietnamese numbers."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from isoprov.pages.compare import compare_page
from isoprov.pages.html import Bar, bar_chart, change_chart, esc, signed
from isoprov.pages.score import score_page
from isoprov.pages.self_team import self_team_page
from isoprov.pipeline.score import score_paths
from isoprov.scoring.catalog import Catalog
from isoprov.scoring.compare import compare_results, self_team_gaps
from isoprov.scoring.registry import RegisteredAgency
from isoprov.scoring.rules import Result
from tests import DATA, GOLDEN

HERE = DATA / "compare"
DAY = date(2021, 12, 15)
EVIL = '<script>alert("x")</script> & <img src=http://evil.example/a.png> "quoted" \'single\''


def scored(path: Path) -> list[Result]:
    catalog = Catalog.default([HERE / "criteria"])
    catalog.load_explicit()
    return score_paths([path], catalog).results


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text (to check what a reader sees)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Tags:
    p = Tags()
    p.feed(page)
    return p


def assert_self_contained(page: str) -> None:
    tags = parse(page).tags
    names = {t for t, _ in tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "base"}, names
    for tag, attrs in tags:
        for key in ("src", "href", "srcset", "action", "data"):
            value = attrs.get(key) or ""
            assert not re.match(r"\s*(https?:)?//", value), (tag, key, value)
            if key == "href" and key in attrs:
                assert value.startswith("#"), (tag, value)  # links stay inside the page
    assert "@import" not in page and "url(" not in page


@pytest.fixture(scope="module")
def comparison_page() -> str:
    old, new = scored(HERE / "y2020"), scored(HERE / "y2021")
    return compare_page(compare_results(old, new), new, old, detail=True, today=DAY)


def test_compare_page_is_self_contained(comparison_page: str) -> None:
    assert_self_contained(comparison_page)


def test_score_page_is_self_contained() -> None:
    page = score_page(scored(HERE / "y2020"), [RegisteredAgency(code="X", name="Sở X", level="tinh")], today=DAY)
    assert_self_contained(page)


def test_every_user_text_is_escaped() -> None:
    [r] = scored(HERE / "y2020" / "a2.yaml")
    evil = replace(r, agency_name=EVIL, agency_code="A&2", band="<b>Tốt</b>", criteria="<i>", period="2020")
    later = replace(evil, period="2021", agency_name=EVIL + " mới")
    pages = [
        score_page([evil], [RegisteredAgency(code="<X>", name=EVIL, level="tinh")], today=DAY),
        compare_page(compare_results([evil], [later]), [later], [evil], detail=True, today=DAY),
    ]
    for page in pages:
        assert "<script" not in page and "<img" not in page and "<b>Tốt" not in page and "<i>" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in page
        assert "A&amp;2" in page and "A&2" not in page
        assert_self_contained(page)
        # what a reader sees is the text as written
        assert EVIL in "".join(parse(page).text)


def test_charts_have_a_text_alternative_and_tables_headers(comparison_page: str) -> None:
    tags = parse(comparison_page).tags
    svgs = [a for t, a in tags if t == "svg"]
    # one change chart per level of the new side (tinh only) and one ranking chart per level
    assert len(svgs) == 2
    for a in svgs:
        assert a.get("role") == "img"
        labelled = (a.get("aria-labelledby") or "").split()
        assert len(labelled) == 2 and all(f'id="{x}"' in comparison_page for x in labelled)
    assert "<desc" in comparison_page and "Sở B (A2): +40,00" in comparison_page
    assert comparison_page.count("<caption>") == comparison_page.count("<table")
    assert all(a.get("scope") in ("col", "row") for t, a in tags if t == "th")
    assert '<html lang="vi">' in comparison_page and 'name="viewport"' in comparison_page


def test_compare_page_counts_and_figures(comparison_page: str) -> None:
    # bars: 4 matched agencies in the change chart, 5 new results in the ranking chart
    assert comparison_page.count('<rect class="bar') == 9
    assert re.search(r'class="bar down"[^>]*>\s*<title>Sở A \(tên mới\) \(a1\): −20,00</title>', comparison_page)
    assert "Trung bình → Tốt" in comparison_page
    assert "2020: Sở A" in comparison_page and "2020: cấp huyện" in comparison_page  # renamed, changed level
    assert "Sở Cũ (G1)" in comparison_page and "Sở Mới (N1)" in comparison_page  # one side only
    assert "Tiêu chí thay đổi nhiều nhất" in comparison_page  # --detail
    assert "@page{size:A4" in comparison_page and "@media print" in comparison_page
    assert "@media (max-width:600px)" in comparison_page


def test_score_page_ranking_and_profiles() -> None:
    results = scored(HERE / "y2020")
    page = score_page(results, [RegisteredAgency(code="X", name="Sở X", level="tinh")], today=DAY)
    assert page.count('<rect class="bar') == 5
    # a chart and a table per level: tinh (4 agencies) and huyen (1)
    assert page.count("<svg") == 2
    assert "1. Sở A (A1)" in page and "100,00 · Tốt" in page
    # profile of A3: group 1: 15/20 = 75,0 %, group 2: 20/30 = 66,7 %
    assert "15/20</td>" in page and "75,0 %" in page and "66,7 %" in page
    assert "Cơ quan chưa nộp bản tự đánh giá" in page and "Sở X (X)" in page
    assert "ngày 15 tháng 12 năm 2021" in page


def test_chart_widths_follow_the_values() -> None:
    svg = bar_chart("c", "t", [Bar("a", Decimal(100), "100"), Bar("b", Decimal(50), "50")], Decimal(100))
    assert 'width="80.00%"' in svg and 'width="40.00%"' in svg
    svg = change_chart("d", "t", [Bar("up", Decimal(4), "+4"), Bar("down", Decimal(-2), "-2")])
    # the largest change spans 38 % from the centre; -2 is half of it, to the left of the centre
    assert 'class="bar up" x="50%" y="20" width="38.00%"' in svg
    assert 'class="bar down" x="31.00%" y="64" width="19.00%"' in svg


def test_helpers() -> None:
    assert esc('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert (signed(Decimal("2.5")), signed(Decimal("-1.25")), signed(Decimal(0))) == ("+2,50", "−1,25", "0,00")
    assert signed(Decimal("1234.5")) == "+1.234,50"


# ---------------------------------------------------------------------------
# Golden files: the whole pages, refreshed only with ISOPROV_UPDATE_GOLDEN=1
# ---------------------------------------------------------------------------


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ISOPROV_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"thiếu {path}; tạo bằng ISOPROV_UPDATE_GOLDEN=1 python -m pytest {__file__}"
    assert text == path.read_text(encoding="utf-8"), f"{name}: khác tệp mẫu {path}"


def test_golden_compare_page(comparison_page: str) -> None:
    check_golden("trang-so-sanh.html", comparison_page)


def test_golden_score_page() -> None:
    page = score_page(scored(HERE / "y2020"), [RegisteredAgency(code="X", name="Sở X", level="tinh")], today=DAY)
    check_golden("trang-ket-qua.html", page)


def test_pages_with_nothing_to_show() -> None:
    empty = compare_page(compare_results([], []), [], [], today=DAY)
    assert "Không có cơ quan nào có kết quả ở cả hai kỳ." in empty and "<svg" not in empty
    assert_self_contained(empty)
    page = score_page([], today=DAY)
    assert "Không có bản tự đánh giá hợp lệ nào để chấm điểm." in page and "<svg" not in page


def test_self_team_page_escaped_self_contained_and_accessible() -> None:
    results = scored(HERE / "self-team")
    results[0] = replace(results[0], agency_name=EVIL)
    page = self_team_page(self_team_gaps(results), today=DAY)
    assert_self_contained(page)
    assert "<script" not in page and EVIL in "".join(parse(page).text)
    assert page.count('<rect class="bar') == 4 + 3
    assert page.count("<caption>") == page.count("<table") == 2
    assert 'role="img"' in page and "<desc" in page
    empty = self_team_page(self_team_gaps([]), today=DAY)
    assert "Chưa có điểm thẩm định nào" in empty and "<svg" not in empty


def test_long_labels_are_cut_in_the_chart_only_and_gap_colours() -> None:
    long = "Gửi quyết định công bố về cơ quan thường trực Ban chỉ đạo ISO tỉnh; niêm yết tại trụ sở"
    svg = change_chart("g", "t", [Bar(long, Decimal(1), "+1")], higher_is_better=False)
    label = re.search(r'<text class="label"[^>]*>(.*?)</text>', svg)
    assert label is not None and label.group(1).endswith("…") and len(label.group(1)) == 60
    assert f"<title>{long}: +1</title>" in svg and f"{long}: +1." in svg  # tooltip and description in full
    assert 'class="bar down"' in svg  # self above team is the worse side
