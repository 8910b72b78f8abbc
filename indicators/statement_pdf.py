"""A GP's compensation statement as a PDF (fpdf2, A4 portrait, core fonts in cp1252 so
French accents and the euro sign print)."""

from __future__ import annotations

from datetime import date

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from indicators.compensation import DEFINITIONS, MonthLine, month_label

HEADERS = ("Mois", "Consultations SNP", "Actes éligibles majoration", "Heures avec créneaux")
WIDTHS = (50, 40, 50, 40)


def statement_pdf(
    cpts_name: str, name: str, year: int, lines: list[MonthLine], printed: date
) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(f"Relevé SNP {year} - {name}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, "Relevé d'activité SNP et indemnisation", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    for text in (cpts_name, f"Médecin : {name}", f"Année {year} (mois civils, heure de Paris)"):
        pdf.cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 9)
    for header, width in zip(HEADERS, WIDTHS, strict=True):
        pdf.cell(width, 7, header, border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 9)
    totals = [0, 0, 0]
    for line in lines:
        values = (line.consultations, line.fee_eligible, line.hours_with_slots)
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        pdf.cell(WIDTHS[0], 6, month_label(line.month), border=1)
        for value, width in zip(values, WIDTHS[1:], strict=True):
            pdf.cell(width, 6, str(value), border=1, align="R")
        pdf.ln()
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(WIDTHS[0], 6, "Total", border=1)
    for value, width in zip(totals, WIDTHS[1:], strict=True):
        pdf.cell(width, 6, str(value), border=1, align="R")
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 8)
    for title, text in DEFINITIONS:
        pdf.multi_cell(0, 4, f"{title} : {text}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.cell(0, 4, f"Édité le {printed.strftime('%d/%m/%Y')}.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
