"""python -m scorer lint | score | test | explain

Exit codes: 0 ok; 1 a sheet, claim or case problem (message on stderr, no
traceback); 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .cases import case_claims, case_files, load_case_file, run_case_file
from .claims import Claims, claims_from_parsed, claims_from_text
from .engine import score
from .errors import ClaimError, DataError
from .loader import SheetLibrary, load_sheet, sheet_files, sheets_dir
from .model import Sheet
from .report import render_result, render_sheet

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


def _err(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def load_claims(path: str, sheets: dict[str, Sheet]) -> tuple[Sheet, Claims]:
    """A claim file, its size checked (stat) before it is read and never more than the limit + 1 bytes read."""
    from .batch import MAX_FILE_BYTES, InputError, read_limited

    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except InputError as exc:
        raise ClaimError([f"{path}: {exc.reason}"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ClaimError([f"{path}: 文件不是 UTF-8 编码，请另存为 UTF-8"]) from None
    return claims_from_text(text, path, sheets)


def _library(folder: str | None) -> SheetLibrary:
    library = SheetLibrary(folder)
    for error in library.errors.values():
        _err(*error.lines)
    return library


# --- lint ----------------------------------------------------------------------------------------


def _is_case_file(path: Path) -> bool:
    return path.parent.name == "cases"


def _lint_case_file(path: Path, library: SheetLibrary) -> tuple[int, list[str]]:
    """A case file is sound when each case's claims fit the sheet; expectations are `test`'s job."""
    case_file, parsed = load_case_file(path)
    if library.get(case_file.sheet) is None:
        return 0, [f"{path}: sheet: 未知的评分表「{case_file.sheet}」"]
    lines: list[str] = []
    for i in range(len(case_file.cases)):
        try:
            claims_from_parsed(case_claims(case_file, parsed, i), library.sheets)
        except DataError as exc:
            lines += exc.lines
    return len(case_file.cases), lines


def cmd_lint(args: argparse.Namespace) -> int:
    sheets: list[Path] = []
    cases: list[Path] = []
    for raw in args.paths:
        path = Path(raw)
        if path.is_dir():
            sheets += sheet_files(path)
            cases += case_files(path / "cases") if (path / "cases").is_dir() else []
        elif path.is_file():
            (cases if _is_case_file(path) else sheets).append(path)
        else:
            _err(f"{raw}: 文件或目录不存在")
            return EXIT_USAGE
    problems: list[str] = []
    for path in sheets:
        try:
            load_sheet(path)
        except DataError as exc:
            problems += exc.lines
    libraries: dict[Path, SheetLibrary] = {}
    n_cases = 0
    for path in cases:
        folder = path.parent.parent
        library = libraries.setdefault(folder, SheetLibrary(folder))
        try:
            count, lines = _lint_case_file(path, library)
        except DataError as exc:
            problems += exc.lines
            continue
        n_cases += count
        problems += lines
    _err(*problems)
    summary = f"检查了 {len(sheets)} 张评分表、{len(cases)} 个案例文件（{n_cases} 个案例）："
    summary += f"发现 {len(problems)} 个问题" if problems else "全部通过"
    print(summary)
    return EXIT_PROBLEM if problems else EXIT_OK


# --- score / explain / test ----------------------------------------------------------------------------


def cmd_score(args: argparse.Namespace) -> int:
    library = _library(args.sheets)
    try:
        sheet, claims = load_claims(args.claims, library.sheets)
    except DataError as exc:
        _err(*exc.lines)
        return EXIT_PROBLEM
    result = score(sheet, claims)
    if args.json:
        print(json.dumps(result.to_data(), ensure_ascii=False, indent=2))
    else:
        print(render_result(result, sheet, claims.applicant.name))
    if args.xlsx or args.html or args.csv:
        from .export import form_csv, to_html, to_xlsx

        if args.xlsx:
            Path(args.xlsx).write_bytes(to_xlsx(sheet, claims, result))
        if args.html:
            Path(args.html).write_text(to_html(sheet, claims, result), encoding="utf-8")
        if args.csv:
            Path(args.csv).write_bytes(form_csv(sheet, result))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    library = _library(args.sheets)
    sheet = library.get(args.sheet_id)
    if sheet is None:
        _err(f"未知的评分表「{args.sheet_id}」；可用：{'、'.join(sorted(library.sheets))}")
        return EXIT_PROBLEM
    print(render_sheet(sheet))
    return EXIT_OK


def cmd_test(args: argparse.Namespace) -> int:
    target = Path(args.path) if args.path else sheets_dir() / "cases"
    if not target.exists():
        _err(f"{target}: 文件或目录不存在")
        return EXIT_USAGE
    files = case_files(target) if target.is_dir() else [target]
    library = _library(args.sheets or str(files[0].parent.parent) if files else args.sheets)
    passed = failed = 0
    for path in files:
        try:
            outcomes = run_case_file(path, library.sheets)
        except DataError as exc:
            _err(*exc.lines)
            failed += 1
            continue
        for outcome in outcomes:
            if outcome.passed:
                passed += 1
                if args.verbose:
                    print(f"通过  {path.name}: {outcome.name}")
            else:
                failed += 1
                print(f"失败  {path.name}: {outcome.name}")
                for mismatch in outcome.mismatches:
                    print(f"      {mismatch}")
    print(f"{passed} passed, {failed} failed")
    return EXIT_PROBLEM if failed else EXIT_OK


def _workers(text: str) -> int:
    """--workers: a whole number of processes, 1 to 64."""
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"进程数应为 1 到 64 的整数，实际为「{text}」")
    return int(text)


def cmd_batch(args: argparse.Namespace) -> int:
    from collections import Counter

    from .batch import PathReader
    from .batchpool import run_rows
    from .export import batch_xlsx
    from .flags import DEFAULT_SETTINGS
    from .numbers import fmt
    from .publicity import recommendation_xlsx
    from .ranking import listed_verdict

    library = _library(args.sheets)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        _err(*(f"{p}: 文件或目录不存在" for p in missing))
        return EXIT_USAGE
    settings = None
    if args.settings:
        from .batch import InputError, read_limited
        from .flags import settings_from_text

        try:
            settings = settings_from_text(read_limited(args.settings).decode("utf-8-sig"), args.settings)
        except InputError as exc:
            _err(f"{args.settings}: {exc.reason}")
            return EXIT_PROBLEM
        except UnicodeDecodeError:
            _err(f"{args.settings}: 文件不是 UTF-8 编码，请另存为 UTF-8")
            return EXIT_PROBLEM
        except DataError as exc:
            _err(*exc.lines)
            return EXIT_PROBLEM
    reader = PathReader(args.paths, library.sheets)  # files read as the workers take them
    batch = run_rows(reader, library.sheets, settings or DEFAULT_SETTINGS, workers=args.workers)
    batch.errors = reader.errors + batch.errors
    if args.xlsx:
        Path(args.xlsx).write_bytes(batch_xlsx(batch.rows, batch.errors, settings))
    verdicts = Counter(listed_verdict(row.result.verdict, row.place) for row in batch.rows)
    flags = Counter(flag.label for row in batch.rows for flag in row.flags)
    flagged = sum(1 for row in batch.rows if row.flags)
    print(f"共 {len(batch.rows)} 名申报人，{flagged} 名有标记；{len(batch.errors)} 个文件未能读取")
    print("结论：" + ("，".join(f"{k} {v}" for k, v in sorted(verdicts.items())) or "（无）"))
    if flags:
        print("标记：" + "，".join(f"{k} {v}" for k, v in flags.most_common()))
    packets = [row.packet for row in batch.rows if row.packet is not None]
    if packets:
        listed = sum(len(p.documents) for p in packets)
        failed = sum(len(p.failed) for p in packets)
        print(f"申报材料包 {len(packets)} 个：佐证文件 {listed} 份，核对一致 {listed - failed} 份"
              + (f"，缺少或不符 {failed} 份" if failed else "") + "（单独的申报文件不核查佐证文件）")
    for row in batch.rows:
        if row.flags:
            rank = f"，第 {row.rank} 名" if row.rank else ""
            verdict = listed_verdict(row.result.verdict, row.place)
            print(f"  {row.name}（{row.sheet.short_title}，{fmt(row.result.total)} 分，{verdict}{rank}）")
            for flag in row.flags:
                print(f"    - {flag.text()}")
    for ranked in batch.ranked:
        sheet = library.sheets[ranked.sheet_id]
        print(f"{sheet.short_title}：按申报专业考试淘汰后排名")
        for group in ranked.groups:
            print(f"  {group.text()}")
        if args.list_xlsx:
            target = Path(args.list_xlsx)
            if len(batch.ranked) > 1:
                target = target.with_name(f"{ranked.sheet_id}-{target.name}")
            target.write_bytes(recommendation_xlsx(batch.rows, ranked, sheet.short_title))
            print(f"已写出推荐名单 {target}")
    if args.list_xlsx and not batch.ranked:
        _err("这批申报中没有按专业考试淘汰排名的评分表，未写出推荐名单")
    for error in batch.errors:
        _err(f"未能读取：{error.source}")
        _err(*(f"    {line}" for line in error.lines))
    if args.xlsx:
        print(f"已写出 {args.xlsx}")
    return EXIT_OK


def cmd_drafts_purge(args: argparse.Namespace) -> int:
    """Delete the drafts untouched for the retention period (ids only printed as a count: nothing personal)."""
    import datetime as dt

    from .drafts import DraftStoreError, open_store, retention_days

    days = args.days if args.days is not None else retention_days()
    if not 1 <= days <= 3650:
        _err("保留天数应在 1 到 3650 之间")
        return EXIT_USAGE
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    try:
        with open_store() as store:
            due = store.untouched_since(cutoff)
            if args.dry_run:
                print(f"超过 {days} 天未修改的草稿：{len(due)} 份（未删除）")
                return EXIT_OK
            gone = store.purge(cutoff)
    except DraftStoreError as exc:
        _err(f"草稿库：{exc.message}")
        return EXIT_PROBLEM
    print(f"已删除超过 {days} 天未修改的草稿 {len(gone)} 份（连同其附件）")
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from .export import review_html, review_xlsx
    from .numbers import fmt
    from .review import parse_review, review_claims, side_by_side

    library = _library(args.sheets)
    try:
        sheet, claims = load_claims(args.claims, library.sheets)
        if claims.review is None:
            _err(f"{args.claims}: 申报文件中没有 review（专家复核）部分")
            return EXIT_PROBLEM
        review = parse_review(claims.review, sheet, claims, args.claims)
    except DataError as exc:
        _err(*exc.lines)
        return EXIT_PROBLEM
    outcome = review_claims(sheet, claims, review)
    print(f"{sheet.title}　复核专家：{review.reviewer}（{review.date}）")
    for row in side_by_side(outcome):
        indent = "    " if row["kind"] == "item" else ""
        if row["kind"] != "item" or row["delta"]:
            print(f"{indent}{row['label']}：申报 {fmt(row['claimed'])} → 复核 {fmt(row['reviewed'])}（{fmt(row['delta'])}）")
    print(f"结论：{outcome.claimed.verdict} → {outcome.reviewed.verdict}")
    for change in outcome.changes:
        if change.action != "接受":
            print(f"  - {change.what}：{change.action}{'，' + change.detail if change.detail else ''}；理由：{change.reason}")
    if args.xlsx:
        Path(args.xlsx).write_bytes(review_xlsx(sheet, claims, outcome, review.reviewer, review.date))
    if args.html:
        Path(args.html).write_text(review_html(sheet, claims, outcome, review.reviewer, review.date), encoding="utf-8")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scorer", description="职称自评分计算器（命令行）")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("lint", help="检查评分表与案例文件")
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=cmd_lint)
    p = sub.add_parser("score", help="为申报文件计分")
    p.add_argument("claims")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--xlsx", help="另存填好的自评分表（xlsx）")
    p.add_argument("--html", help="另存可打印的自评分表（HTML）")
    p.add_argument("--csv", help="另存自评分表（CSV，UTF-8 带 BOM）")
    p.add_argument("--sheets", help="评分表目录（默认 scoresheets/）")
    p.set_defaults(func=cmd_score)
    p = sub.add_parser("test", help="运行案例（worked examples）")
    p.add_argument("path", nargs="?")
    p.add_argument("--sheets")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_test)
    p = sub.add_parser("batch", help="批量计分并标记可疑申报（用人单位复核）")
    p.add_argument("paths", nargs="+", help="申报文件、目录、zip（可以是申报材料包）或名册（xlsx/csv）")
    p.add_argument("--xlsx", help="把复核总表写入此 xlsx 文件")
    p.add_argument("--list", dest="list_xlsx", metavar="XLSX",
                   help="按专业考试淘汰后的推荐名单（公示格式）写入此 xlsx 文件；多张评分表时文件名前加评分表编号")
    p.add_argument("--settings", help="标记设置文件（YAML：相似度、占位词、启用的标记等；未写的取默认值）")
    p.add_argument("--workers", type=_workers, default=None,
                   help="同时计分的进程数（默认为可用的 CPU 核数；1 表示在本进程中逐个计分）")
    p.add_argument("--sheets")
    p.set_defaults(func=cmd_batch)
    p = sub.add_parser("review", help="显示申报文件中专家复核的结果（申报分与复核分对照）")
    p.add_argument("claims")
    p.add_argument("--xlsx", help="写出复核表（xlsx）")
    p.add_argument("--html", help="写出可打印的复核页（HTML）")
    p.add_argument("--sheets")
    p.set_defaults(func=cmd_review)
    p = sub.add_parser("drafts", help="草稿库维护：清理长期未修改的草稿（可由 cron 定期运行）")
    drafts_sub = p.add_subparsers(dest="drafts_command", required=True)
    q = drafts_sub.add_parser("purge", help="删除超过保留期未修改的草稿及其附件")
    q.add_argument("--days", type=int, default=None,
                   help="保留天数（默认取 ZHICHENG_RETENTION_DAYS，未设置时 180 天）")
    q.add_argument("--dry-run", action="store_true", help="只列出将删除的草稿数，不删除")
    q.set_defaults(func=cmd_drafts_purge)
    p = sub.add_parser("explain", help="以表格形式显示评分表")
    p.add_argument("sheet_id")
    p.add_argument("--sheets")
    p.set_defaults(func=cmd_explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except BrokenPipeError:  # `… | head` closed the pipe: stop quietly, as a Unix tool does
        import os
        import sys

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
