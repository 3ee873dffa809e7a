"""An editable document (ODT, odfpy) for those who edit in LibreOffice: headings,
paragraphs, bordered tables with a shaded header row and right-aligned figures, lists.
The reports and the network report write through it (one home for document layout)."""

import io

from odf.opendocument import OpenDocumentText
from odf.style import (
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TextProperties,
)
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P

BORDER = "0.5pt solid #929292"
SIZES = {1: ("20pt", "Title"), 2: ("15pt", "H2"), 3: ("12pt", "H3")}


class Document:
    def __init__(self):
        self.doc = OpenDocumentText()
        self.column = self._style("Col", "table-column", TableColumnProperties(columnwidth="4cm"))
        self.cell = self._style(
            "Cell", "table-cell", TableCellProperties(border=BORDER, padding="0.1cm")
        )
        self.head = self._style(
            "Head", "table-cell",
            TableCellProperties(border=BORDER, padding="0.1cm", backgroundcolor="#eeeeee"),
        )  # fmt: skip
        self.bold = self._style("Bold", "paragraph", TextProperties(fontweight="bold"))
        self.right = self._style("Right", "paragraph", ParagraphProperties(textalign="end"))
        self.headings = {
            level: self._style(
                name,
                "paragraph",
                TextProperties(fontsize=size, fontweight="bold"),
                ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"),
            )  # fmt: skip
            for level, (size, name) in SIZES.items()
        }

    def _style(self, name, family, *properties):
        item = Style(name=name, family=family)
        for prop in properties:
            item.addElement(prop)
        self.doc.automaticstyles.addElement(item)
        return item

    def heading(self, text, level=1):
        self.doc.text.addElement(
            H(outlinelevel=level, stylename=self.headings[level], text=str(text))
        )

    def para(self, text):
        for line in str(text or "").splitlines() or [""]:
            self.doc.text.addElement(P(text=line))

    def table(self, header, rows):
        t = Table(name=f"T{len(self.doc.text.childNodes)}")
        t.addElement(TableColumn(numbercolumnsrepeated=len(header), stylename=self.column))
        for n, values in enumerate([header, *rows]):
            tr = TableRow()
            for i, value in enumerate(values):
                cell = TableCell(valuetype="string", stylename=self.head if n == 0 else self.cell)
                paragraph = self.bold if n == 0 else (self.right if i else None)
                cell.addElement(
                    P(text=str(value), stylename=paragraph) if paragraph else P(text=str(value))
                )
                tr.addElement(cell)
            t.addElement(tr)
        self.doc.text.addElement(t)

    def bullet(self, items):
        lst = List()
        for text in items:
            item = ListItem()
            item.addElement(P(text=str(text)))
            lst.addElement(item)
        self.doc.text.addElement(lst)

    def bytes(self):
        out = io.BytesIO()
        self.doc.write(out)
        return out.getvalue()
