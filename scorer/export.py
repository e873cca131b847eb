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

from .claims import Claims
from .describe import FIDELITY_TEXT, describe_rule, describe_threshold
from .evidence import EvidenceRow, checklist
from .flags import DEFAULT_SETTINGS, FlagSettings
from .model import Sheet
from .numbers import fmt
from .result import GATE_STATUS_TEXT, Result
from .rules.answers import CONTROL_CHARS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CN_NUMBERS = "一二三四五六七八九十"


CELL_LIMIT = 32_767  # Excel's most characters in one cell


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as text, whole: control characters removed (openpyxl refuses them and the
    workbook would be lost), a leading formula character behind an apostrophe, and a cell over Excel's
    limit cut with a note saying so (Excel would cut it silently)."""
    value = CONTROL_CHARS.sub("", value)
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    if len(value) > CELL_LIMIT:
        note = f"……（内容过长，已截断；原文共 {len(value)} 个字符）"
        value = value[: CELL_LIMIT - len(note)] + note
    return value


def safe_cell(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    return value


@dataclass
class FormRow:
    """One row of the filled form; ``kind`` is section, item, entry, total or note."""

    kind: str
    number: str
    label: str
    rule: str
    claim: str
    points: Decimal | None
    cap: Decimal | None
    evidence: str
    note: str


def form_rows(sheet: Sheet, result: Result) -> list[FormRow]:
    rows: list[FormRow] = []
    items = {item.id: item for item in sheet.items.values()}
    for s_index, section in enumerate(result.sections):
        number = CN_NUMBERS[s_index] if s_index < len(CN_NUMBERS) else str(s_index + 1)
        note = "本部分封顶" if section.cap_bit else ""
        rows.append(FormRow("section", number, section.title, "", "", section.subtotal, section.cap, "", note))
        for i_index, item_id in enumerate(section.item_ids, start=1):
            r = result.items[item_id]
            parts = (*r.sub_caps, r.cap_note or "", "本项封顶" if r.cap_bit else "", r.excluded_by or "")
            note = "；".join(x for x in parts if x)
            evidence = "；".join(r.evidence)
            rows.append(
                FormRow("item", str(i_index), r.label, describe_rule(items[item_id]), r.claimed, r.points, r.cap, evidence, note)
            )
            for er in r.entries:
                provided = "、".join(er.entry.evidence) if er.entry.evidence else "（未列佐证）"
                date = f"（{er.entry.date}）" if er.entry.date else ""
                rows.append(
                    FormRow(
                        "entry", "", "", "", f"{er.name}{date}", er.points if er.counted else None, None,
                        provided, er.explanation,
                    )
                )
    return rows


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


def to_xlsx(sheet: Sheet, claims: Claims, result: Result, ready: dict[str, bool] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "自评分表"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = {"A": 6, "B": 28, "C": 40, "D": 30, "E": 9, "F": 8, "G": 36, "H": 30}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    ws.append([safe_text(sheet.title)])
    ws.merge_cells("A1:H1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    for line in _header_lines(sheet, claims):
        ws.append([safe_text(line)])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=8)
        ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True)
    ws.append([])
    header = ["序号", "评分项目", "评分标准", "申报内容", "自评分", "封顶", "佐证材料", "说明"]
    ws.append(header)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.border = border
    section_fill = PatternFill("solid", fgColor="F2F2F2")
    for row in form_rows(sheet, result):
        values = [row.number, row.label, row.rule, row.claim, row.points, row.cap, row.evidence, row.note]
        ws.append([safe_cell(v) for v in values])
        for cell in ws[ws.max_row]:
            cell.border = border
            cell.alignment = wrap
            if row.kind == "section":
                cell.font = Font(bold=True)
                cell.fill = section_fill
            elif row.kind == "entry":
                cell.font = Font(color="555555")
        for col in (5, 6):
            ws.cell(ws.max_row, col).number_format = "0.###"
    ws.append(["", "合计", "", "", result.total, result.max_total, "", ""])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.border = border
    ws.append([safe_text(_verdict_line(result))])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=8)
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1

    gates = wb.create_sheet("申报条件")
    gates.append(["申报条件", "结果", "情况"])
    for g in result.gates:
        gates.append([safe_text(g.question), GATE_STATUS_TEXT[g.status], safe_text(g.detail)])
    for v in result.vetoes:
        state = "未声明" if v.vetoed is None else ("是（否决）" if v.vetoed else "否")
        gates.append([safe_text(f"否决项：{v.question}"), state, ""])
    _autowidth(gates, [50, 10, 60])

    notes = wb.create_sheet("封顶与未计分")
    notes.append(["类别", "内容"])
    for title, lines in result.note_groups():
        for line in lines:
            notes.append([title, safe_text(line)])
    _autowidth(notes, [10, 100])

    evidence = wb.create_sheet("佐证清单")
    evidence.append(["部分", "项目", "申报内容", "计分", "所需佐证", "已列材料", "已备好"])
    for er in checklist(sheet, result):
        evidence.append(
            [safe_cell(x) for x in _evidence_values(er)] + ["是" if (ready or {}).get(er.key) else "否"]
        )
    _autowidth(evidence, [12, 28, 36, 8, 50, 30, 8])

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _evidence_values(er: EvidenceRow) -> list[str]:
    return [er.section, er.item, er.claim, er.points, "；".join(er.documents), "、".join(er.provided)]


def _autowidth(ws: Any, widths: Sequence[int]) -> None:
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width


# --- csv ---------------------------------------------------------------------------------------------------


def to_csv(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> bytes:
    """UTF-8 with BOM, so Excel on a Chinese Windows opens it correctly; every text cell neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow([fmt(v) if isinstance(v, Decimal) else safe_cell("" if v is None else v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def form_csv(sheet: Sheet, result: Result) -> bytes:
    header = ["序号", "评分项目", "评分标准", "申报内容", "自评分", "封顶", "佐证材料", "说明"]
    rows = [[r.number, r.label, r.rule, r.claim, r.points, r.cap, r.evidence, r.note] for r in form_rows(sheet, result)]
    return to_csv(rows, header)


# --- printable html ---------------------------------------------------------------------------------------------

_CSS = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 20px; text-align: center; } p.meta { margin: 2px 0; font-size: 13px; }
.warn { border: 1px solid #e0a800; background: #fff8e1; padding: 6px 10px; font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin-top: 12px; font-size: 13px; }
th, td { border: 1px solid #999; padding: 4px 6px; vertical-align: top; }
th { background: #dde7f0; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.section td { background: #f2f2f2; font-weight: bold; } tr.entry td { color: #555; }
tr.total td { font-weight: bold; } .verdict { font-size: 16px; font-weight: bold; margin-top: 12px; }
@media print { body { margin: 0; } .warn { break-inside: avoid; } tr { break-inside: avoid; } }
"""


def _e(value: Any) -> str:
    if value is None:
        return ""
    return html.escape(fmt(value) if isinstance(value, Decimal) else str(value))


def to_html(sheet: Sheet, claims: Claims, result: Result, ready: dict[str, bool] | None = None) -> str:
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>{_e(sheet.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(sheet.title)}</h1>",
    ]
    for line in _header_lines(sheet, claims):
        cls = "warn" if line.startswith("注意") else "meta"
        parts.append(f"<p class='{cls}'>{_e(line)}</p>")
    parts.append(
        "<table><thead><tr><th>序号</th><th>评分项目</th><th>评分标准</th><th>申报内容</th>"
        "<th>自评分</th><th>封顶</th><th>佐证材料</th><th>说明</th></tr></thead><tbody>"
    )
    for r in form_rows(sheet, result):
        parts.append(
            f"<tr class='{r.kind}'><td>{_e(r.number)}</td><td>{_e(r.label)}</td><td>{_e(r.rule)}</td>"
            f"<td>{_e(r.claim)}</td><td class='num'>{_e(r.points)}</td><td class='num'>{_e(r.cap)}</td>"
            f"<td>{_e(r.evidence)}</td><td>{_e(r.note)}</td></tr>"
        )
    parts.append(
        f"<tr class='total'><td></td><td>合计</td><td></td><td></td><td class='num'>{_e(result.total)}</td>"
        f"<td class='num'>{_e(result.max_total)}</td><td></td><td></td></tr></tbody></table>"
    )
    parts.append(f"<p class='verdict'>{_e(_verdict_line(result))}</p>")
    parts.append("<h2>申报条件</h2><table><tr><th>条件</th><th>结果</th><th>情况</th></tr>")
    for g in result.gates:
        parts.append(f"<tr><td>{_e(g.question)}</td><td>{_e(GATE_STATUS_TEXT[g.status])}</td><td>{_e(g.detail)}</td></tr>")
    parts.append("</table>")
    for title, lines in result.note_groups():
        if lines:
            parts.append(f"<h3>{_e(title)}</h3><ul>" + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul>")
    parts.append("<h2>佐证清单</h2><table><tr><th>项目</th><th>申报内容</th><th>所需佐证</th><th>已列材料</th><th>已备好</th></tr>")
    for er in checklist(sheet, result):
        mark = "✓" if (ready or {}).get(er.key) else "☐"
        parts.append(
            f"<tr><td>{_e(er.item)}</td><td>{_e(er.claim)}</td><td>{_e('；'.join(er.documents))}</td>"
            f"<td>{_e('、'.join(er.provided))}</td><td>{mark}</td></tr>"
        )
    parts.append("</table></body></html>")
    return "".join(parts)


# --- batch table -------------------------------------------------------------------------------------------------

BATCH_COLUMNS = [
    "申报人", "单位", "来源", "评分表", "申报级别", "自评总分", "分数线", "结论", "超出/差距", "排名", "标记数", "标记",
    "标志性成果",
]


def batch_table(rows: list[Any]) -> list[list[Any]]:
    """One row per applicant (``scorer.checks.Checked``), as the unit's table shows it."""
    out = []
    for row in rows:
        r = row.result
        threshold = r.threshold if r.kind != "rank" else None
        out.append([
            row.claims.applicant.name or "", row.claims.applicant.unit or "", row.source, row.sheet.short_title,
            row.claims.level or "", r.total, threshold, r.verdict, r.margin, row.rank, len(row.flags),
            "\n".join(f.text() for f in row.flags), "\n".join(r.findings),
        ])
    return out


def batch_xlsx(rows: list[Any], errors: list[Any], settings: FlagSettings | None = None) -> bytes:
    """The checked table with its flags, one sheet of flags, the files that could not be read, and the
    flag settings the check ran with (``scorer.flags.FlagSettings``; the defaults when none is given)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "复核总表"
    ws.append(BATCH_COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
    flagged = PatternFill("solid", fgColor="FFF4E5")
    for values in batch_table(rows):
        ws.append([safe_cell(v) for v in values])
        if values[10]:
            for cell in ws[ws.max_row]:
                cell.fill = flagged
        ws.cell(ws.max_row, 12).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(ws.max_row, 13).alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFGHIJKLM", (10, 18, 30, 18, 10, 9, 8, 12, 9, 6, 7, 90, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions

    flags = wb.create_sheet("标记明细")
    flags.append(["申报人", "来源", "类别", "原因", "涉及业绩", "说明"])
    for row in rows:
        for flag in row.flags:
            flags.append([safe_cell(v) for v in (row.name, row.source, flag.label, flag.reason, "；".join(flag.entries),
                                                 flag.help)])
    _autowidth(flags, [12, 30, 12, 60, 80, 60])

    bad = wb.create_sheet("未能读取的文件")
    bad.append(["文件", "错误"])
    for error in errors:
        bad.append([safe_text(error.source), safe_text("\n".join(error.lines))])
    _autowidth(bad, [40, 100])
    _settings_sheet(wb, settings)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _settings_sheet(wb: Any, settings: FlagSettings | None) -> None:
    """The flag settings the batch ran with, so a reader of the export knows what was looked for."""
    sheet = wb.create_sheet("标记设置")
    sheet.append(["设置", "值", "说明"])
    for values in (settings or DEFAULT_SETTINGS).rows():
        sheet.append([safe_text(v) for v in values])
    _autowidth(sheet, [20, 60, 70])


# --- expert review ----------------------------------------------------------------------------------------------


def _review_lines(sheet: Sheet, claims: Claims, outcome: Any, reviewer: str, date: Any) -> list[str]:
    c, r = outcome.claimed, outcome.reviewed
    return [
        *_header_lines(sheet, claims),
        f"复核专家：{reviewer}　复核日期：{date}",
        f"申报总分 {fmt(c.total)}（{c.verdict}）→ 复核总分 {fmt(r.total)}（{r.verdict}），差额 {fmt(outcome.delta)}",
    ]


def review_xlsx(sheet: Sheet, claims: Claims, outcome: Any, reviewer: str, date: Any) -> bytes:
    """Claimed vs reviewed per section and item, then every change with its reason."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from .review import side_by_side

    wb = Workbook()
    ws = wb.active
    ws.title = "复核对照"
    ws.append([safe_text(f"{sheet.title}　专家复核")])
    ws["A1"].font = Font(bold=True, size=14)
    for line in _review_lines(sheet, claims, outcome, reviewer, date):
        ws.append([safe_text(line)])
    ws.append([])
    ws.append(["项目", "申报分", "复核分", "差额"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in side_by_side(outcome):
        ws.append([safe_text(row["label"] if row["kind"] != "item" else "　" + row["label"]),
                   row["claimed"], row["reviewed"], row["delta"]])
        if row["kind"] != "item":
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        if row["delta"]:
            for cell in ws[ws.max_row]:
                cell.fill = PatternFill("solid", fgColor="FFF4E5")
    _autowidth(ws, [44, 10, 10, 10])
    changes = wb.create_sheet("复核意见")
    changes.append(["复核对象", "结论", "变化", "理由"])
    for ch in outcome.changes:
        changes.append([safe_text(ch.what), ch.action, safe_text(ch.detail), safe_text(ch.reason)])
    _autowidth(changes, [50, 8, 40, 60])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def review_html(sheet: Sheet, claims: Claims, outcome: Any, reviewer: str, date: Any) -> str:
    from .review import side_by_side

    parts = ["<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
             f"<title>{_e(sheet.title)} 专家复核</title><style>{_CSS}</style></head><body>",
             f"<h1>{_e(sheet.title)}　专家复核</h1>"]
    for line in _review_lines(sheet, claims, outcome, reviewer, date):
        parts.append(f"<p class='{'warn' if line.startswith('注意') else 'meta'}'>{_e(line)}</p>")
    parts.append("<table><tr><th>项目</th><th>申报分</th><th>复核分</th><th>差额</th></tr>")
    for row in side_by_side(outcome):
        cls = {"section": "section", "total": "total"}.get(row["kind"], "")
        parts.append(f"<tr class='{cls}'><td>{_e(row['label'])}</td><td class='num'>{_e(row['claimed'])}</td>"
                     f"<td class='num'>{_e(row['reviewed'])}</td><td class='num'>{_e(row['delta'])}</td></tr>")
    parts.append("</table><h2>复核意见</h2><table><tr><th>复核对象</th><th>结论</th><th>变化</th><th>理由</th></tr>")
    for ch in outcome.changes:
        parts.append(f"<tr><td>{_e(ch.what)}</td><td>{_e(ch.action)}</td><td>{_e(ch.detail)}</td><td>{_e(ch.reason)}</td></tr>")
    parts.append("</table><p class='meta'>复核专家签字：________________</p></body></html>")
    return "".join(parts)
