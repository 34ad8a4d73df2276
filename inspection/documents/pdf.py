"""A small PDF layer over fpdf2 with an embedded CJK font, so Chinese renders on any machine that has one.

The font is a file on disk (no network): ``LABOURWATCH_PDF_FONT`` when set, else the first of the usual
Debian CJK fonts found. ``scripts/dev.py`` installs Debian's ``fonts-wqy-microhei`` (TrueType outlines,
5 MB, subset into each PDF) when none is present.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
FAMILY = "cjk"


class PdfFontError(RuntimeError):
    """No CJK font file was found; the message says how to install one."""


def find_cjk_font(configured: str = "") -> Path:
    """The CJK font file to embed: the configured one, else the first usual one that exists."""
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise PdfFontError(f"LABOURWATCH_PDF_FONT names no file: {configured}")
        return path
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    raise PdfFontError(
        "no Chinese font found for PDFs: apt-get install fonts-wqy-microhei (or set LABOURWATCH_PDF_FONT)"
    )


class Document(FPDF):
    """An A4 document with a CJK font, a running title and page numbers 第 n 页."""

    def __init__(self, *, title: str, font: Path) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc_title = title
        self.add_font(FAMILY, "", str(font))
        self.add_font(FAMILY, "B", str(font))  # table headings ask for bold; one face serves both
        self.set_title(title)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.cell(0, 6, f"{self.doc_title} · 第 {self.page_no()} 页", align="C")

    def heading(self, text: str, size: int = 16) -> None:
        self.set_font(FAMILY, size=size)
        self.multi_cell(
            0, size * 0.55, text, align="C" if size >= 16 else "L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(2)

    def section(self, text: str) -> None:
        self.ln(2)
        self.set_font(FAMILY, size=12)
        self.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(160, 160, 160)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1)

    def para(self, text: str, size: int = 10) -> None:
        self.set_font(FAMILY, size=size)
        self.multi_cell(0, size * 0.5, text or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def fields(self, rows: Sequence[tuple[str, str]]) -> None:
        """Label: value lines (labels in a fixed column)."""
        self.set_font(FAMILY, size=10)
        for label, value in rows:
            self.cell(34, 6, label)
            self.multi_cell(0, 6, value or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> None:
        """A simple grid; long cells wrap."""
        self.set_font(FAMILY, size=9)
        with super().table(col_widths=tuple(widths), text_align="LEFT", line_height=5) as grid:
            grid.row([str(h) for h in header])
            for values in rows:
                grid.row([str(v) for v in values])
        self.ln(2)

    def signatures(self, labels: Sequence[str]) -> None:
        self.ln(6)
        self.set_font(FAMILY, size=10)
        for label in labels:
            self.cell(
                0,
                10,
                f"{label}：________________    日期：________________",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )

    def to_bytes(self) -> bytes:
        return bytes(self.output())
