"""A workbook as text, one line per fact a reader of the file sees (issue 16: exports stay
cell-identical while their writing changes).

Every cell that holds a value or a style: its kind (cell or merged cell), value, data type and
its whole style (number format, font, fill, border, alignment, protection, quote prefix, named
style), the styles listed once at the end; per sheet: merged ranges, column widths and hidden
columns, row heights, freeze panes, print settings, auto filter, data validations, conditional
formats (with their fonts and fills); the chart and drawing parts as stored. Paths under the
repository are written relative to it, so a golden file does not depend on the checkout.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from tests import ROOT


def _xml(obj: Any) -> str:
    from openpyxl.xml.functions import tostring

    if obj is None:
        return "-"
    return tostring(obj.to_tree()).decode()


def _text(value: object) -> str:
    text = repr(value)
    return text.replace(str(ROOT) + "/", "<ROOT>/").replace(str(ROOT), "<ROOT>")


def snapshot(path: Path) -> list[str]:
    """The lines describing the workbook at ``path``."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    styles: dict[str, int] = {}
    lines = [f"workbook {_text(wb.properties.title)} {_text(wb.properties.creator)} {wb.sheetnames!r}"]
    lines.append(f"named styles {sorted(wb.named_styles)!r}")
    for ws in wb.worksheets:
        lines.append(f"== sheet {ws.title!r} state={ws.sheet_state}")
        lines.append(f"freeze {ws.freeze_panes}")
        lines.append(f"merged {sorted(str(r) for r in ws.merged_cells.ranges)}")
        for letter, dim in sorted(ws.column_dimensions.items()):
            lines.append(
                f"column {letter} min={dim.min} max={dim.max} width={dim.width} custom={dim.customWidth} "
                f"hidden={dim.hidden}"
            )
        for number, dim in sorted(ws.row_dimensions.items()):
            if dim.height is not None or dim.hidden:
                lines.append(f"row {number} height={dim.height} hidden={dim.hidden}")
        setup = ws.page_setup
        lines.append(
            f"print titles={ws.print_title_rows}|{ws.print_title_cols} area={ws.print_area} "
            f"orientation={setup.orientation} paper={setup.paperSize} fit={setup.fitToWidth}x{setup.fitToHeight} "
            f"fit_to_page={ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None}"
        )
        lines.append(f"auto_filter {ws.auto_filter.ref}")
        for dv in ws.data_validations.dataValidation:
            lines.append(f"validation {_xml(dv)}")
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                dxf = rule.dxf
                look = f"font={_xml(dxf.font)} fill={_xml(dxf.fill)}" if dxf is not None else "-"
                lines.append(f"conditional {cf.sqref} {rule.type} {rule.formula} {look}")
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                style = " ".join(
                    (
                        f"fmt={cell.number_format!r}",
                        f"named={cell.style!r}",
                        f"quote={cell.quotePrefix}",
                        f"font={_xml(cell.font)}",
                        f"fill={_xml(cell.fill)}",
                        f"border={_xml(cell.border)}",
                        f"alignment={_xml(cell.alignment)}",
                        f"protection={_xml(cell.protection)}",
                    )
                )
                number = styles.setdefault(style, len(styles))
                kind = type(cell).__name__
                lines.append(f"{cell.coordinate} {kind} {cell.data_type} {_text(cell.value)} style={number}")
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if name.startswith(("xl/charts/", "xl/drawings/")):
                lines.append(f"part {name} {z.read(name).decode()}")
    lines.append("== styles")
    lines += [f"style {number} {style}" for style, number in styles.items()]
    return lines
