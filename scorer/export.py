"""The filled self-score sheet as xlsx, printable HTML and CSV.

Laid out like the paper form: title, sources, applicant, then one row per item
(claim, points, cap, evidence) under each section with its subtotal, and the
total.  Any free text a spreadsheet could read as a formula (= + - @ tab CR)
is neutralised with a leading apostrophe, in xlsx and CSV alike.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .catalogue import Document, catalogue, numbers_of
from .cells import append_row, safe_cell, safe_text
from .claims import Claims
from .describe import FIDELITY_TEXT, describe_rule, describe_threshold
from .evidence import EvidenceRow, checklist
from .flags import DEFAULT_SETTINGS, FlagSettings
from .model import Sheet
from .numbers import fmt
from .printlayout import body_font, fit_columns, fit_merged_rows, print_setup
from .ranking import listed_verdict
from .result import GATE_STATUS_TEXT, EntryResult, Result
from .rules.answers import CONTROL_CHARS

CN_NUMBERS = "一二三四五六七八九十"


@dataclass
class FormRow:
    """One row of the filled form; ``kind`` is section, item, entry, total or note.

    ``proof`` is the 佐证目录 (the catalogue numbers of the documents behind the row, ``scorer.catalogue``)
    and ``note`` the 得分符合情况描述: how the points were reached, and any cap that bit.
    """

    kind: str
    number: str
    label: str
    rule: str
    claim: str
    points: Decimal | None
    cap: Decimal | None
    evidence: str
    note: str
    proof: str = ""

    def values(self) -> list[Any]:
        """The row's cells in FORM_HEADER's order."""
        return [self.number, self.label, self.rule, self.claim, self.points, self.cap, self.evidence, self.proof,
                self.note]


def form_rows(sheet: Sheet, result: Result, claims: Claims | None = None, *,
              docs: list[Document] | None = None) -> list[FormRow]:
    rows: list[FormRow] = []
    items = {item.id: item for item in sheet.items.values()}
    if docs is None:
        docs = catalogue(sheet, claims) if claims is not None else []
    for s_index, section in enumerate(result.sections):
        number = CN_NUMBERS[s_index] if s_index < len(CN_NUMBERS) else str(s_index + 1)
        note = "本部分封顶" if section.cap_bit else ""
        rows.append(FormRow("section", number, section.title, "", "", section.subtotal, section.cap, "", note))
        for i_index, item_id in enumerate(section.item_ids, start=1):
            r = result.items[item_id]
            # how the points were reached: an item's own sentence, or (with entries) each entry's on its row
            said = () if r.entries else tuple(r.explanation)
            # the group that excluded it, unless the item's own sentence says so already (它以该组之名开头)
            excluded = r.excluded_by if r.excluded_by and not any(r.excluded_by in x for x in said) else ""
            parts = (*said, *r.sub_caps, r.cap_note or "", "本项封顶" if r.cap_bit else "", excluded)
            note = "；".join(x for x in dict.fromkeys(parts) if x)
            evidence = "；".join(r.evidence)
            proof = numbers_of(docs, f"answers.{item_id}", whole_item=True)
            rows.append(FormRow("item", str(i_index), r.label, describe_rule(items[item_id]), r.claimed, r.points,
                                r.cap, evidence, note, proof))
            fields = items[item_id].review_row_fields() if r.entries else []
            for er in r.entries:
                provided = "、".join(er.entry.evidence) if er.entry.evidence else "（未列佐证）"
                rows.append(
                    FormRow(
                        "entry", "", "", "", _entry_claim(er, fields), er.points if er.counted else None, None,
                        provided, er.explanation, numbers_of(docs, f"answers.{item_id}[{er.index}]") or "—",
                    )
                )
    return rows


def _entry_claim(er: EntryResult, fields: list[tuple[str, str, Any]]) -> str:
    """An entry as the applicant claimed it: its name and date, then what it was scored on (级别, 角色, 排名,
    申报分值 as the item titles them) and the applicant's 备注, so the printed form shows what is checked."""
    entry = er.entry
    facts = [str(entry.date)] if entry.date else []
    facts += entry.field_facts((name, "申报分值" if name == "points" else title, options)
                               for name, title, options in fields)
    if entry.note:
        facts.append(f"备注：{entry.note}")
    return er.name + (f"（{'；'.join(facts)}）" if facts else "")


def _verdict_line(result: Result) -> str:
    if result.kind == "count":
        line = f"满足条件 {fmt(result.total)} 项，需要 {fmt(result.threshold)} 项"
    elif result.kind == "none":
        line = f"总分 {fmt(result.total)}，不设分数线，由评委会审议"
    elif result.kind == "rank":
        line = f"总分 {fmt(result.total)}，不设分数线，按总分排名"
    else:
        line = f"总分 {fmt(result.total)}，分数线 {fmt(result.threshold)}"
    margin = ""
    if result.margin is not None:
        margin = f"，超出 {fmt(result.margin)}" if result.margin >= 0 else f"，还差 {fmt(-result.margin)}"
    return f"{line}{margin}。结论：{result.verdict}"


def _header_lines(sheet: Sheet, claims: Claims) -> list[str]:
    lines = [
        f"评价方式：{describe_threshold(sheet)}；版本：{sheet.version}；可信度：{FIDELITY_TEXT[sheet.fidelity]}",
        "依据：" + "；".join(" ".join(p for p in (s.doc, s.title or "", s.clause or "") if p) for s in sheet.sources),
    ]
    if sheet.fidelity == "reconstructed":
        lines.append(f"注意：本表为重建版本，以官方附件为准。{sheet.fidelity_note}")
    who = claims.applicant
    lines.append(
        f"申报人：{who.name or '—'}　单位：{who.unit or '—'}　申报级别：{claims.level or '—'}"
        f"　现职称取得日期：{who.current_title_date or '—'}"
    )
    return lines


# --- xlsx ------------------------------------------------------------------------------------------------


# seed 001 (二)13: beside each score the 得分符合情况描述, and the 佐证目录 once documents are attached
# (a column of dashes on a form with no documents would only cost the clerk a page)
FORM_HEADER = ["序号", "评分项目", "评分标准", "申报内容", "自评分", "封顶", "佐证材料", "佐证目录", "得分符合情况描述"]
# (floor, ceiling) of each column's width, in width units; see printlayout.fit_columns
FORM_COLUMNS = [(5, 6), (9, 20), (16, 36), (14, 30), (7, 8), (6, 7), (10, 24), (6, 10), (12, 30)]
FORM_HTML_WIDTHS = [4, 10, 21, 16, 5, 5, 13, 7, 19]  # percent of the page; the browser's own guess starves 申报内容
PROOF_COLUMN = FORM_HEADER.index("佐证目录")


def filled_form(sheet: Sheet, result: Result, claims: Claims) -> tuple[list[FormRow], list[int]]:
    """The form's rows, and which of FORM_HEADER's columns it shows: 佐证目录 only when some document is
    attached (the catalogue built once for both)."""
    docs = catalogue(sheet, claims)
    shown = [i for i in range(len(FORM_HEADER)) if docs or i != PROOF_COLUMN]
    return form_rows(sheet, result, claims, docs=docs), shown


def _pick(values: Sequence[Any], shown: list[int]) -> list[Any]:
    return [values[i] for i in shown]
GATE_COLUMNS = [(16, 44), (6, 11), (16, 40)]
NOTE_COLUMNS = [(8, 14), (30, 80)]
EVIDENCE_COLUMNS = [(8, 16), (10, 24), (14, 36), (5, 7), (20, 50), (12, 30), (6, 8)]
APPLICANT_SIGNATURE = "申报人签字：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿　　所在单位审核（盖章）：＿＿＿＿＿＿＿＿"


def _who(claims: Claims) -> str:
    return f"申报人：{claims.applicant.name or '—'}"


def _full_width_row(ws: Any, text: str, columns: int, **font: Any) -> None:
    """One line of text across the whole table (merged; wrapped and given its height by printlayout)."""
    from openpyxl.styles import Font

    ws.append([safe_text(text)])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=columns)
    if font:
        ws.cell(ws.max_row, 1).font = Font(**font)


def _header_row(ws: Any, header: Sequence[str]) -> int:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    ws.append(list(header))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return int(ws.max_row)


def _table_sheet(ws: Any, header: Sequence[str], rows: Iterable[Sequence[Any]], columns: Sequence[tuple[float, float]],
                 orientation: str, who: str) -> None:
    """A plain list: its header row (repeated on every printed page) and its rows, laid out for A4."""
    header_row = _header_row(ws, header)
    for values in rows:
        append_row(ws, values)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    body_font(ws)
    fit_columns(ws, columns, orientation, header_row)
    print_setup(ws, orientation=orientation, header_row=header_row, who=who)


UNSCORED = "以下填写有误或不完整，未计分（改正后才计入）"


def to_xlsx(sheet: Sheet, claims: Claims, result: Result, ready: dict[str, bool] | None = None,
            unscored: Sequence[str] = ()) -> bytes:
    """The filled form, the gates and notes, the 佐证清单; ``unscored``: what a draft holds that the claim check
    left out (``scorer.claims.draft_claims``' problems), said under the verdict so no typed row vanishes unsaid."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "自评分表"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    rows, shown = filled_form(sheet, result, claims)
    columns = len(shown)
    _full_width_row(ws, sheet.title, columns, bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    for line in _header_lines(sheet, claims):
        _full_width_row(ws, line, columns)
    ws.append([])
    header_row = _header_row(ws, _pick(FORM_HEADER, shown))
    section_fill = PatternFill("solid", fgColor="F2F2F2")
    for row in rows:
        append_row(ws, _pick(row.values(), shown))
        for cell in ws[ws.max_row]:
            cell.border = border
            cell.alignment = Alignment(vertical="top")
            if row.kind == "section":
                cell.font = Font(bold=True)
                cell.fill = section_fill
            elif row.kind == "entry":
                cell.font = Font(color="555555")
    append_row(ws, _pick(["", "合计", "", "", result.total, result.max_total, "", "", ""], shown))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.border = border
    _full_width_row(ws, _verdict_line(result), columns, bold=True)
    if unscored:
        _full_width_row(ws, f"{UNSCORED}：" + "；".join(unscored), columns)
    _full_width_row(ws, APPLICANT_SIGNATURE, columns)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    body_font(ws)
    fit_columns(ws, _pick(FORM_COLUMNS, shown), "landscape", header_row)
    fit_merged_rows(ws)
    print_setup(ws, orientation="landscape", header_row=header_row, who=_who(claims))

    gate_rows = [[g.question, GATE_STATUS_TEXT[g.status], g.detail] for g in result.gates]
    for v in result.vetoes:
        state = "未声明" if v.vetoed is None else ("是（否决）" if v.vetoed else "否")
        gate_rows.append([f"否决项：{v.question}", state, ""])
    _table_sheet(wb.create_sheet("申报条件"), ["申报条件", "结果", "情况"], gate_rows, GATE_COLUMNS, "portrait",
                 _who(claims))

    note_rows = [[title, line] for title, lines in result.note_groups() for line in lines]
    _table_sheet(wb.create_sheet("封顶与未计分"), ["类别", "内容"], note_rows, NOTE_COLUMNS, "portrait", _who(claims))

    evidence_rows = [
        [*_evidence_values(er), "是" if (ready or {}).get(er.key) else "否"] for er in checklist(sheet, result)
    ]
    _table_sheet(wb.create_sheet("佐证清单"), ["部分", "项目", "申报内容", "计分", "所需佐证", "已列材料", "已备好"],
                 evidence_rows, EVIDENCE_COLUMNS, "landscape", _who(claims))

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _evidence_values(er: EvidenceRow) -> list[str]:
    return [er.section, er.item, er.claim, er.points, "；".join(er.documents), "、".join(er.provided)]


# --- csv ---------------------------------------------------------------------------------------------------


def to_csv(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> bytes:
    """UTF-8 with BOM, so Excel on a Chinese Windows opens it correctly; every text cell neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow([fmt(v) if isinstance(v, Decimal) else safe_cell("" if v is None else v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def form_csv(sheet: Sheet, result: Result, claims: Claims | None = None) -> bytes:
    if claims is None:
        rows, shown = form_rows(sheet, result), [i for i in range(len(FORM_HEADER)) if i != PROOF_COLUMN]
    else:
        rows, shown = filled_form(sheet, result, claims)
    return to_csv([_pick(r.values(), shown) for r in rows], _pick(FORM_HEADER, shown))


# --- printable html ---------------------------------------------------------------------------------------------

_CSS = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 20px; text-align: center; } p.meta { margin: 2px 0; font-size: 13px; }
.warn { border: 1px solid #e0a800; background: #fff8e1; padding: 6px 10px; font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin-top: 12px; font-size: 13px; }
table.form { table-layout: fixed; } table.form td { overflow-wrap: anywhere; }
th, td { border: 1px solid #999; padding: 4px 6px; vertical-align: top; }
th { background: #dde7f0; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.section td { background: #f2f2f2; font-weight: bold; } tr.entry td { color: #555; }
tr.total td { font-weight: bold; } .verdict { font-size: 16px; font-weight: bold; margin-top: 12px; }
tr.sign td { border: none; padding-top: 28px; font-size: 14px; }
@media print {
  body { margin: 0; } .warn { break-inside: avoid; } tr { break-inside: avoid; }
  thead { display: table-header-group; } tbody.item { break-inside: avoid; } h2, h3 { break-after: avoid; }
}
"""


def _css_string(text: str) -> str:
    """A CSS string literal of ``text``: every character but letters and digits as a hex escape, so
    nothing a person typed can close the string or the style element."""
    text = CONTROL_CHARS.sub("", text).replace("\n", " ")
    return '"' + "".join(c if c.isalnum() else f"\\{ord(c):06x}" for c in text) + '"'


def _page_css(who: str) -> str:
    """A4 with margins a clerk would set, and a footer on every printed page: the person the paper is
    about, and 第 N 页 共 M 页 (Chromium draws @page margin boxes when it prints)."""
    small = "font-size: 9pt; color: #555;"
    return (
        "@page { size: A4; margin: 15mm 12mm 18mm 12mm; "
        f"@bottom-left {{ content: {_css_string(who)}; {small} }} "
        f"@bottom-center {{ content: \"第 \" counter(page) \" 页 共 \" counter(pages) \" 页\"; {small} }} }}"
    )


def _e(value: Any) -> str:
    if value is None:
        return ""
    return html.escape(fmt(value) if isinstance(value, Decimal) else str(value))


def _item_groups(rows: list[FormRow]) -> list[list[FormRow]]:
    """The form's rows as groups a printed page must not split: an item with its entries, and a section's
    heading with its first item (a heading alone at the foot of a page says nothing)."""
    groups: list[list[FormRow]] = []
    for row in rows:
        heading_only = bool(groups) and [r.kind for r in groups[-1]] == ["section"]
        if row.kind == "section" or (row.kind == "item" and not heading_only) or not groups:
            groups.append([row])
        else:
            groups[-1].append(row)
    return groups


def _thead(*labels: str) -> str:
    return "<thead><tr>" + "".join(f"<th>{_e(x)}</th>" for x in labels) + "</tr></thead>"


def to_html(sheet: Sheet, claims: Claims, result: Result, ready: dict[str, bool] | None = None,
            unscored: Sequence[str] = ()) -> str:
    """The printable form (``to_xlsx``'s content; ``unscored`` as there)."""
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>{_e(sheet.title)}</title><style>{_CSS}{_page_css(_who(claims))}</style></head><body>",
        f"<h1>{_e(sheet.title)}</h1>",
    ]
    for line in _header_lines(sheet, claims):
        cls = "warn" if line.startswith("注意") else "meta"
        parts.append(f"<p class='{cls}'>{_e(line)}</p>")
    rows, shown = filled_form(sheet, result, claims)
    widths = _pick(FORM_HTML_WIDTHS, shown)
    scale = 100 / sum(widths)
    parts.append("<table class='form'><colgroup>" + "".join(f"<col style='width:{w * scale:.1f}%'>" for w in widths)
                 + "</colgroup>" + _thead(*_pick(FORM_HEADER, shown)))
    numeric = {FORM_HEADER.index("自评分"), FORM_HEADER.index("封顶")}

    def cells(values: list[Any]) -> str:
        return "".join(f"<td class='num'>{_e(v)}</td>" if i in numeric else f"<td>{_e(v)}</td>"
                       for i, v in zip(shown, _pick(values, shown), strict=True))

    for group in _item_groups(rows):
        parts.append("<tbody class='item'>")
        for r in group:
            parts.append(f"<tr class='{r.kind}'>{cells(r.values())}</tr>")
        parts.append("</tbody>")
    parts.append(f"<tbody><tr class='total'>{cells(['', '合计', '', '', result.total, result.max_total, '', '', ''])}"
                 "</tr></tbody></table>")
    parts.append(f"<p class='verdict'>{_e(_verdict_line(result))}</p>")
    if unscored:
        parts.append(f"<p class='unscored'>{_e(UNSCORED)}：</p><ul>" + "".join(f"<li>{_e(x)}</li>" for x in unscored) + "</ul>")
    parts.append("<h2>申报条件</h2><table>" + _thead("条件", "结果", "情况") + "<tbody>")
    for g in result.gates:
        parts.append(f"<tr><td>{_e(g.question)}</td><td>{_e(GATE_STATUS_TEXT[g.status])}</td><td>{_e(g.detail)}</td></tr>")
    parts.append("</tbody></table>")
    for title, lines in result.note_groups():
        if lines:
            parts.append(f"<h3>{_e(title)}</h3><ul>" + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul>")
    rows = [
        f"<tr><td>{_e(er.item)}</td><td>{_e(er.claim)}</td><td>{_e('；'.join(er.documents))}</td>"
        f"<td>{_e('、'.join(er.provided))}</td><td>{'✓' if (ready or {}).get(er.key) else '☐'}</td></tr>"
        for er in checklist(sheet, result)
    ]
    parts.append("<h2>佐证清单</h2><table>" + _thead("项目", "申报内容", "所需佐证", "已列材料", "已备好"))
    parts.append(_signed(rows, 5, APPLICANT_SIGNATURE) + "</table></body></html>")
    return "".join(parts)


def _signed(rows: list[str], columns: int, signature: str) -> str:
    """The last table's rows, its last row and the signature line kept on one page (one unbreakable
    group), so the signature is on the last page and never there alone."""
    sign = f"<tr class='sign'><td colspan='{columns}'>{_e(signature)}</td></tr>"
    return "<tbody>" + "".join(rows[:-1]) + "</tbody><tbody class='item'>" + "".join(rows[-1:]) + sign + "</tbody>"


# --- batch table -------------------------------------------------------------------------------------------------

BATCH_COLUMNS = [
    "申报人", "单位", "来源", "评分表", "申报级别", "自评总分", "分数线", "结论", "超出/差距", "排名", "标记数", "标记",
    "标志性成果",
]


def batch_table(rows: Sequence[Any]) -> list[list[Any]]:
    """One row per applicant (``scorer.checks.Listed``: a full or a compact row), as the unit's table shows it."""
    out = []
    for row in rows:
        r = row.result
        threshold = r.threshold if r.kind != "rank" else None
        out.append([
            row.person, row.unit, row.source, row.sheet.short_title,
            row.level, r.total, threshold, listed_verdict(r.verdict, row.place), r.margin, row.rank, len(row.flags),
            "\n".join(f.text() for f in row.flags), "\n".join(r.findings),
        ])
    return out


PLACE_COLUMNS = ["申报人", "单位", "评分表", "申报专业", "考试成绩", "考试", "本专业排名"]
PLACE_WIDTHS = [(6, 12), (6, 20), (8, 20), (8, 18), (5, 8), (6, 10), (5, 8)]
BATCH_WIDTHS = [(6, 12), (6, 16), (8, 24), (8, 20), (5, 10), (5, 8), (5, 7), (6, 14), (7, 9), (4, 6), (4, 7),
                (20, 60), (8, 20)]
FLAG_COLUMNS = [(8, 12), (10, 30), (8, 12), (20, 60), (16, 60), (14, 40)]
ERROR_COLUMNS = [(16, 40), (30, 60)]
SETTINGS_COLUMNS = [(10, 20), (16, 50), (20, 60)]
BATCH_TITLE = "单位复核总表"


def batch_xlsx(rows: list[Any], errors: list[Any], settings: FlagSettings | None = None) -> bytes:
    """The checked table with its flags, one sheet of flags, the files that could not be read, and the
    flag settings the check ran with (``scorer.flags.FlagSettings``; the defaults when none is given).

    Written row by row (``scorer.streamsheet``), one sheet after another, each table made just before its
    sheet is written and let go after: a batch of 100,000 applicants fits in memory beside its rows."""
    from .streamsheet import StreamBook, Table

    book = StreamBook()
    who = f"{BATCH_TITLE}：共 {len(rows)} 名申报人"
    table = Table(BATCH_COLUMNS, [], BATCH_WIDTHS, "landscape", who, title=BATCH_TITLE, auto_filter=True, min_rows=1)
    for i, values in enumerate(batch_table(rows)):
        table.rows.append([safe_cell(v) for v in values])
        if values[10]:
            table.marked.add(i)
    book.write_table("复核总表", table)
    del table

    placed = [row for row in rows if row.place is not None]
    if placed:  # a sheet with an exam cut per 申报专业: the 排名 above is within the group, so say which group
        placed.sort(key=lambda row: (row.sheet.short_title, row.place.group, row.place.rank or 10**9))
        place_rows = [[safe_cell(v) for v in (row.person, row.unit, row.sheet.short_title, row.place.group,
                       "" if row.place.exam is None else row.place.exam, row.place.status or "推荐",
                       row.place.rank)] for row in placed]
        book.write_table("按专业排名", Table(PLACE_COLUMNS, place_rows, PLACE_WIDTHS, "portrait", who))
        del place_rows
    del placed

    flag_rows = [[safe_cell(v) for v in (row.name, row.source, flag.label, flag.reason, "；".join(flag.entries), flag.help)]
                 for row in rows for flag in row.flags]
    book.write_table("标记明细", Table(["申报人", "来源", "类别", "原因", "涉及业绩", "说明"], flag_rows, FLAG_COLUMNS,
                                      "landscape", who))
    del flag_rows
    error_rows = [[safe_cell(v) for v in (error.source, "\n".join(error.lines))] for error in errors]
    book.write_table("未能读取的文件", Table(["文件", "错误"], error_rows, ERROR_COLUMNS, "portrait", who))
    # the flag settings the batch ran with, so a reader of the export knows what was looked for
    settings_rows = [[safe_cell(v) for v in row] for row in (settings or DEFAULT_SETTINGS).rows()]
    book.write_table("标记设置", Table(["设置", "值", "说明"], settings_rows, SETTINGS_COLUMNS, "portrait", who))
    return book.save()


ROSTER_WIDTHS = [(6, 10), (6, 14), (10, 24), (5, 10), (6, 11), (5, 5), (10, 26), (4, 10), (5, 12), (4, 8), (4, 5),
                 (6, 11), (10, 28), (8, 20), (10, 30)]
ROSTER_TITLE = "职称自评分名册"


def roster_xlsx(claims: list[dict[str, Any]]) -> bytes:
    """The roster template as a workbook: the CSV's rows (one per answer) under the same header, every
    cell text, laid out to print on A4 landscape; read back as a roster it scores as the CSV does."""
    from openpyxl import Workbook

    from .batch import ROSTER_COLUMNS, roster_rows

    wb = Workbook()
    ws = wb.active
    ws.title = "名册"
    rows = ([row[c] or None for c in ROSTER_COLUMNS] for data in claims for row in roster_rows(data))
    _table_sheet(ws, ROSTER_COLUMNS, rows, ROSTER_WIDTHS, "landscape", f"{ROSTER_TITLE}：共 {len(claims)} 名申报人")
    ws.oddHeader.center.text = ROSTER_TITLE
    ws.oddHeader.center.size = 12
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- expert review ----------------------------------------------------------------------------------------------


def _review_lines(sheet: Sheet, claims: Claims, outcome: Any, reviewer: str, date: Any) -> list[str]:
    c, r = outcome.claimed, outcome.reviewed
    return [
        *_header_lines(sheet, claims),
        f"复核专家：{reviewer}　复核日期：{date}",
        f"申报总分 {fmt(c.total)}（{c.verdict}）→ 复核总分 {fmt(r.total)}（{r.verdict}），差额 {fmt(outcome.delta)}",
    ]


REVIEW_COLUMNS = [(44, 60), (7, 9), (7, 9), (7, 9)]  # 项目 wide: the lines above span the table
CHANGE_COLUMNS = [(16, 36), (5, 7), (14, 30), (16, 40)]
REVIEWER_SIGNATURE = "复核专家签字：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿"


def review_xlsx(sheet: Sheet, claims: Claims, outcome: Any, reviewer: str, date: Any) -> bytes:
    """Claimed vs reviewed per section and item, then every change with its reason."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from .review import side_by_side

    wb = Workbook()
    ws = wb.active
    ws.title = "复核对照"
    columns = len(REVIEW_COLUMNS)
    _full_width_row(ws, f"{sheet.title}　专家复核", columns, bold=True, size=14)
    for line in _review_lines(sheet, claims, outcome, reviewer, date):
        _full_width_row(ws, line, columns)
    ws.append([])
    header_row = _header_row(ws, ["项目", "申报分", "复核分", "差额"])
    for row in side_by_side(outcome):
        append_row(ws, [row["label"] if row["kind"] != "item" else "　" + row["label"],
                        *(row[k] for k in ("claimed", "reviewed", "delta"))])
        if row["kind"] != "item":
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        if row["delta"]:
            for cell in ws[ws.max_row]:
                cell.fill = PatternFill("solid", fgColor="FFF4E5")
    ws.append([])
    _full_width_row(ws, REVIEWER_SIGNATURE, columns)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    body_font(ws)
    fit_columns(ws, REVIEW_COLUMNS, "portrait", header_row)
    fit_merged_rows(ws)
    print_setup(ws, orientation="portrait", header_row=header_row, who=_who(claims))
    change_rows = [(ch.what, ch.action, ch.detail, ch.reason) for ch in outcome.changes]
    _table_sheet(wb.create_sheet("复核意见"), ["复核对象", "结论", "变化", "理由"], change_rows, CHANGE_COLUMNS,
                 "portrait", _who(claims))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def review_html(sheet: Sheet, claims: Claims, outcome: Any, reviewer: str, date: Any) -> str:
    from .review import side_by_side

    parts = ["<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
             f"<title>{_e(sheet.title)} 专家复核</title><style>{_CSS}{_page_css(_who(claims))}</style></head><body>",
             f"<h1>{_e(sheet.title)}　专家复核</h1>"]
    for line in _review_lines(sheet, claims, outcome, reviewer, date):
        parts.append(f"<p class='{'warn' if line.startswith('注意') else 'meta'}'>{_e(line)}</p>")
    parts.append("<table>" + _thead("项目", "申报分", "复核分", "差额") + "<tbody>")
    for row in side_by_side(outcome):
        cls = {"section": "section", "total": "total"}.get(row["kind"], "")
        parts.append(f"<tr class='{cls}'><td>{_e(row['label'])}</td><td class='num'>{_e(row['claimed'])}</td>"
                     f"<td class='num'>{_e(row['reviewed'])}</td><td class='num'>{_e(row['delta'])}</td></tr>")
    parts.append("</tbody></table><h2>复核意见</h2><table>" + _thead("复核对象", "结论", "变化", "理由"))
    rows = [f"<tr><td>{_e(ch.what)}</td><td>{_e(ch.action)}</td><td>{_e(ch.detail)}</td><td>{_e(ch.reason)}</td></tr>"
            for ch in outcome.changes]
    parts.append(_signed(rows, 4, REVIEWER_SIGNATURE) + "</table></body></html>")
    return "".join(parts)
