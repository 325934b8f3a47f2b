"""WordprocessingML details python-docx leaves to its user: the order of the properties in each
``*Pr`` element (ECMA-376 Part 1, transitional), which Word enforces by repairing the file."""

from __future__ import annotations

from typing import Any

#: The order of the properties each ``*Pr`` element may hold (ECMA-376 Part 1, transitional):
#: Word repairs, and may drop, a property written out of this order.
_SCHEMA_ORDER = {
    "pPr": [
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ],
    "tblPr": [
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
        "tblCaption",
        "tblDescription",
        "tblPrChange",
    ],
    "trPr": [
        "cnfStyle",
        "divId",
        "gridBefore",
        "gridAfter",
        "wBefore",
        "wAfter",
        "cantSplit",
        "trHeight",
        "tblHeader",
        "tblCellSpacing",
        "jc",
        "hidden",
    ],
    "sectPr": [
        "headerReference",
        "footerReference",
        "footnotePr",
        "endnotePr",
        "type",
        "pgSz",
        "pgMar",
        "paperSrc",
        "pgBorders",
        "lnNumType",
        "pgNumType",
        "cols",
        "formProt",
        "vAlign",
        "noEndnote",
        "titlePg",
        "textDirection",
        "bidi",
        "rtlGutter",
        "docGrid",
        "printerSettings",
        "sectPrChange",
    ],
}


def put_in_order(parent: Any, child: Any) -> None:
    """Put ``child`` into the properties element ``parent`` (``w:pPr``, ``w:tblPr``, ``w:trPr``,
    ``w:sectPr``) where the schema orders it (:data:`_SCHEMA_ORDER`), replacing one of the same name."""
    from docx.oxml.ns import qn

    order = _SCHEMA_ORDER[parent.tag.rsplit("}", 1)[1]]
    name = child.tag.rsplit("}", 1)[1]
    for old in parent.findall(child.tag):
        parent.remove(old)
    later = {qn(f"w:{tag}") for tag in order[order.index(name) + 1 :]}
    for k, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(k, child)
            return
    parent.append(child)
