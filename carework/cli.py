"""The ``carework`` command.

``carework validate DIR``   check a data folder: rows read, accepted and set aside, by reason
``carework score``          per-customer churn risk, expected purchases and CLV to a file
``carework kpis``           survey and service KPIs per period to an Excel workbook
``carework report``         the headline, charts and notes as one self-contained HTML file
``carework sample``         write the synthetic sample data set
``carework dashboards``     serve the notebooks as Voila dashboards: on 127.0.0.1, or for the
                            team with ``--host 0.0.0.0`` behind a login token

A data problem ends with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from carework.errors import DataError, ModelError
from carework.i18n import (
    LANGUAGES,
    fmt_decimal,
    fmt_number,
    fmt_percent,
    fmt_period,
    fmt_undefined,
    get_language,
    language,
    t,
)

EXIT_DATA_PROBLEM = 2
EXIT_INTERNAL = 3
TABLE_FORMATS = (".csv", ".xlsx", ".parquet")  # carework.export.FORMATS, without pandas


def _date(text: str) -> str:
    """A YYYY-MM-DD date for argparse (a wrong one is a usage error, not a traceback)."""
    try:
        date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.arg.date", value=text)) from None
    return text


def _add_data_options(parser: argparse.ArgumentParser, *, figures: bool = True) -> None:
    parser.add_argument("--set", dest="settings", action="append", type=_setting, default=[],
                        metavar="SECTION.NAME=VALUE",
                        help="a setting over carework.toml's, e.g. --set reading.max_amount=1e13 "
                             "--set churn.penalizer=0.001 (docs/settings.md); repeatable")
    order = parser.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                       help="read a/b/yyyy dates as day/month (Vietnamese habit)")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="read a/b/yyyy dates as month/day")
    if figures:
        parser.add_argument("--as-of", type=_date,
                            help="the day the figures describe (default: CAREWORK_AS_OF, "
                                 "as_of in carework.toml, else the data's last purchase day)")
        parser.add_argument("--force", action="store_true",
                            help="compute churn risk and CLV even when the history is too "
                                 "thin to trust")
        parser.add_argument("--penalizer", type=_penalty,
                            help="L2 penalty of the churn model fit (default: [churn] "
                                 "penalizer, 0); raise it when a fit is refused")
        parser.add_argument("--spend-penalizer", type=_penalty,
                            help="L2 penalty of the spend model fit (default: [churn] "
                                 "spend_penalizer, 0)")
    else:
        parser.add_argument("--as-of", type=_date,
                            help="judge 'in the future' against this date (default: now)")


def _base(args: argparse.Namespace, **settings: object):  # noqa: ANN202 — a CustomerBase
    """Load the data and build its customer base (with ``settings`` overriding the folder's,
    as ``"section.name"`` keys); print the as-of date and the gate's warnings (to stderr: the
    same lines every command prints)."""
    from carework.customer_base import build_base
    from carework.io import load

    data = load(args.data, dayfirst=args.dayfirst, settings=dict(args.settings))
    data.settings.display.apply(language_chosen=args.lang is not None)
    settings = {"churn.penalizer": args.penalizer,
                "churn.spend_penalizer": args.spend_penalizer, **settings}
    chosen = {k: v for k, v in settings.items() if v is not None}
    base = build_base(data, as_of=args.as_of, force=args.force,
                      settings=data.settings.replace(**chosen) if chosen else None)
    print(base.gate.label(), file=sys.stderr)
    for line in base.gate.warnings() + base.notes:
        print(f"! {line}", file=sys.stderr)
    return base


def cmd_validate(args: argparse.Namespace) -> int:
    from carework.export import write_table
    from carework.io import load

    data = load(args.folder, dayfirst=args.dayfirst, as_of=args.as_of,
                settings=dict(args.settings))
    data.settings.display.apply(language_chosen=args.lang is not None)
    print(format_report(data))
    if args.rejects:
        out = Path(args.rejects)
        write_table(data.rejects, out, index=False)
        print(t("cli.rejects_written", rows=len(data.rejects), path=out))
    return 0


def format_report(data) -> str:  # noqa: ANN001 — a carework.io.Dataset
    """The per-table report of a loaded data set, as aligned plain text (no customer data)."""
    from carework.findings import file_note_lines, join_lines, returns_line

    headers = t("cli.report_header").split("|")
    report = data.report()
    rows = []
    for rec in report.itertuples(index=False):
        present = rec.table in data.files
        counts = [fmt_number(n) if present else "" for n in (rec.rows_read, rec.accepted,
                                                              rec.rejected)]
        rows.append([t(f"table.{rec.table}"), rec.file if present else t("cli.absent"), *counts])
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = [t("cli.report_title", folder=data.source), ""]
    lines.append("  ".join(h.ljust(w) if i < 2 else h.rjust(w)
                           for i, (h, w) in enumerate(zip(headers, widths, strict=True))))
    reasons = data.reject_reasons()
    for rec, row in zip(report.itertuples(index=False), rows, strict=True):
        lines.append("  ".join(str(v).ljust(w) if i < 2 else str(v).rjust(w)
                               for i, (v, w) in enumerate(zip(row, widths, strict=True))))
        for reason in reasons[reasons["table"] == rec.table].itertuples(index=False):
            column = f" [{reason.column}]" if reason.column else ""
            lines.append(f"    - {t(f'reason.{reason.reason}')}{column}: "
                         f"{fmt_number(reason.rows)}")
        notes = data.notes[data.notes["table"] == rec.table]
        for (column, note), count in notes.groupby(["column", "note"], sort=False).size().items():
            lines.append(f"    · {t(f'note.{note}')} [{column}]: {fmt_number(count)}")
        lines += [f"    · {line}" for line in file_note_lines(data, rec.table)]
        if data.ignored_columns.get(rec.table):
            lines.append(f"    · {t('cli.ignored_columns')}: "
                         + ", ".join(repr(c) for c in data.ignored_columns[rec.table]))
    if (netted := returns_line(data)) is not None:
        lines += ["", netted]
    if joins := join_lines(data):
        lines += ["", *joins]
    if data.ignored_files:
        lines += ["", t("cli.ignored", files=", ".join(data.ignored_files))]
    lines += ["", t("cli.ok")]
    return "\n".join(lines)


def cmd_score(args: argparse.Namespace) -> int:
    from carework.export import write_table

    base = _base(args, **{"churn.horizon_days": args.horizon_days, "churn.model": args.model,
                          "churn.annual_discount": args.discount})
    if not base.has_scores:
        raise base.gate.refusal()
    scores = base.scores()
    table = base.table[["frequency", "recency", "T", "monetary_value", "rule_group", "stage"]] \
        .join(scores)
    table.insert(0, "as_of", base.as_of.date())
    path = write_table(table, args.out)
    print(t("cli.scores_written", rows=fmt_number(len(table)), path=path))
    return 0


def _cluster_count(text: str) -> int | str:
    if text == "auto":
        return text
    if not text.isdigit() or not 2 <= int(text) <= 12:
        raise argparse.ArgumentTypeError(t("cli.arg.clusters", value=text))
    return int(text)


def cmd_segment(args: argparse.Namespace) -> int:
    from carework.export import write_table
    from carework.segments import RuleConfig, segment

    rules = RuleConfig.from_file(args.rules) if args.rules else None
    base = _base(args, segments=rules)
    result = segment(base, k=args.k)
    table = result.table.copy()
    if result.clusters is not None:
        table["cluster_name"] = table["cluster"].map(result.clusters.names_)
    table.insert(0, "as_of", base.as_of.date())
    path = write_table(table, args.out)
    print(t("cli.segments_written", rows=fmt_number(len(table)), path=path))
    if result.clusters is not None:
        print(t("cli.segments_summary", k=result.clusters.k_,
                stability=fmt_decimal(result.clusters.stability_["mean"], 2),
                ari=fmt_decimal(result.ari, 2)))
    for name, needs in result.unavailable.items():
        print(t("cli.segments_unavailable", name=name, needs=needs))
    if args.model and result.clusters is not None:
        print(t("cli.model_saved", path=result.clusters.save(args.model)))
    return 0


def cmd_calls(args: argparse.Namespace) -> int:
    from carework.calls import plan
    from carework.calls.sheet import write_sheet

    base = _base(args)
    rules = {"cooldown_days": args.cooldown_days} if args.cooldown_days is not None else {}
    sheet = plan(base, agents=args.agents, per_agent=args.per_agent, **rules)
    path = write_sheet(sheet, args.out)
    print(t("cli.calls_written", rows=fmt_number(len(sheet)), agents=args.agents, path=path))
    for note in sheet.attrs["not_applied"]:
        print(f"- {note}")
    stale = len(sheet.attrs["stale_tickets"])
    if stale:
        print(t("cli.stale_tickets", tickets=fmt_number(stale)))
    return 0


def cmd_kpis(args: argparse.Namespace) -> int:
    from carework.kpis.report import kpi_report
    from carework.kpis.workbook import report_sheets, write_workbook

    base = _base(args)
    report = kpi_report(base, args.period, active_days=args.active_days,
                        satisfied_min=args.satisfied_min)
    path = write_workbook(report, args.out)
    print(t("cli.kpis_written", sheets=len(report_sheets(report)),
            periods=len(report.overview), path=path))
    complete = report.overview[~report.overview["partial"]]
    if len(complete):
        last = complete.iloc[-1]
        undefined = last.get("crr_undefined")
        crr = (fmt_undefined(undefined) if isinstance(undefined, str) and undefined else
               fmt_percent(last.get("retention_rate", float("nan")) / 100, 1))
        print(t("cli.kpis_latest", period=fmt_period(last["period_label"], report.period),
                nps=fmt_decimal(last.get("nps", float("nan"))),
                csat=fmt_decimal(last.get("csat", float("nan"))), crr=crr))
    printed = {base.gate.label(), *base.gate.warnings()}  # already on stderr
    for note in report.notes:
        if note not in printed:
            print(f"- {note}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from carework.report import write_report

    base = _base(args)
    path = write_report(base, args.out, period=args.period)
    print(t("cli.report_written", path=path))
    return 0


def _xlsx(text: str) -> str:
    if not text.lower().endswith(".xlsx"):
        raise argparse.ArgumentTypeError(t("cli.arg.workbook", value=text))
    return text


def _setting(text: str) -> tuple[str, object]:
    """``section.name=value`` with the value read as in carework.toml (numbers, true/false,
    [lists], "text"), bare text otherwise."""
    import tomllib

    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(t("cli.bad_setting", text=text))
    try:
        parsed = tomllib.loads(f"v = {value.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value.strip()
    return key.strip(), parsed


def _penalty(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 10:
        raise argparse.ArgumentTypeError(t("settings.must.penalizer"))
    return value


def _output(*suffixes: str) -> Callable[[str], str]:
    """An argparse type for an output file: its extension is checked before any work."""
    def check(text: str) -> str:
        if Path(text).suffix.lower() not in suffixes:
            raise argparse.ArgumentTypeError(t("cli.arg.output", value=text,
                                               formats=", ".join(suffixes)))
        return text
    return check


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(t("cli.arg.positive", value=text))
    return int(text)


def cmd_sample(args: argparse.Namespace) -> int:
    from carework.sample import generate, write

    data = generate(customers=args.customers, seed=args.seed)
    write(data, args.out)
    summary = ", ".join(f"{t(f'table.{name}')} {fmt_number(len(frame))}"
                        for name, frame in data.tables().items())
    print(t("cli.sample_written", folder=args.out, summary=summary))
    return 0


def cmd_dashboards(args: argparse.Namespace) -> int:
    from carework.serve import serve

    return serve(Path(args.notebooks), port=args.port, host=args.host, token=args.token,
                 data_dir=args.data, language=args.lang, preheat=not args.no_preheat)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="carework", description=__doc__.split("\n")[0])
    lang_help = "language of messages (default: CAREWORK_LANG, [display] language, else vi)"
    parser.add_argument("--lang", choices=LANGUAGES, help=lang_help)
    # --lang after the subcommand too: it sets the same value, and is absent when not given
    anywhere = argparse.ArgumentParser(add_help=False)
    anywhere.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                          help=lang_help)
    subparsers = parser.add_subparsers(dest="command", required=True)
    command = functools.partial(subparsers.add_parser, parents=[anywhere])

    validate = command("validate", help="check a data folder")
    validate.add_argument("folder", help="the data folder (or a .duckdb file)")
    validate.add_argument("--rejects", metavar="FILE.csv",
                          help="also write the rows set aside, with their reasons")
    _add_data_options(validate, figures=False)
    validate.set_defaults(func=cmd_validate)

    score = command("score", help="per-customer churn risk, purchases and CLV")
    score.add_argument("--data", required=True, help="the data folder (or a .duckdb file)")
    score.add_argument("--horizon-days", type=_positive,
                       help="the churn risk's horizon (default: [churn] horizon_days, 90)")
    score.add_argument("--out", required=True, metavar="FILE", type=_output(*TABLE_FORMATS),
                       help="where to write: .csv, .xlsx or .parquet")
    score.add_argument("--model", choices=["bgnbd", "pnbd", "mbgnbd"],
                       help="BG/NBD, Pareto/NBD or MBG/NBD (default: [churn] model, bgnbd)")
    score.add_argument("--discount", type=float,
                       help="yearly discount rate for CLV (default: [churn] annual_discount, "
                            "0.10)")
    _add_data_options(score)
    score.set_defaults(func=cmd_score)

    seg = command("segment", help="rule groups, RFM segments and clusters per "
                                              "customer")
    seg.add_argument("--data", required=True, help="the data folder (or a .duckdb file)")
    seg.add_argument("--out", required=True, metavar="FILE", type=_output(*TABLE_FORMATS),
                     help="where to write: .csv, .xlsx or .parquet")
    seg.add_argument("--rules", metavar="FILE.toml",
                     help="rule thresholds (default: [segments] in the folder's carework.toml)")
    seg.add_argument("--k", default="auto", type=_cluster_count,
                     help="number of clusters (2-12), or auto (default)")
    seg.add_argument("--model", metavar="FILE.json", type=_output(".json"),
                     help="also save the fitted clustering (plain JSON), to assign new "
                          "customers later")
    _add_data_options(seg)
    seg.set_defaults(func=cmd_segment)

    call = command("calls", help="today's call list: one sheet per agent")
    call.add_argument("--data", required=True, help="the data folder (or a .duckdb file)")
    call.add_argument("--out", required=True, metavar="FILE", type=_output(".xlsx", ".csv"),
                      help="where to write: .xlsx (a sheet per agent) or .csv")
    call.add_argument("--agents", type=_positive, required=True, help="care agents calling")
    call.add_argument("--per-agent", type=_positive, required=True,
                      help="calls each agent can make")
    call.add_argument("--cooldown-days", type=int,
                      help="never call anyone contacted this recently (default: 7)")
    _add_data_options(call)
    call.set_defaults(func=cmd_calls)

    kpi = command("kpis", help="survey and service KPIs per period (Excel)")
    kpi.add_argument("--data", required=True, help="the data folder (or a .duckdb file)")
    kpi.add_argument("--out", required=True, metavar="FILE.xlsx", type=_xlsx,
                     help="the workbook to write")
    kpi.add_argument("--period", default="month", choices=["week", "month", "quarter"],
                     help="default: %(default)s")
    kpi.add_argument("--active-days", type=_positive, default=90,
                     help="activity window: a customer bought within this many days "
                          "(default: %(default)s)")
    kpi.add_argument("--satisfied-min", type=int, default=4, choices=[4, 5],
                     help="CSAT rating counted as satisfied (default: %(default)s)")
    _add_data_options(kpi)
    kpi.set_defaults(func=cmd_kpis)

    report = command("report", help="the headline, charts and notes as one HTML file")
    report.add_argument("--data", required=True, help="the data folder (or a .duckdb file)")
    report.add_argument("--out", required=True, metavar="FILE.html", type=_output(".html"),
                        help="the report to write (self-contained: opens without a network)")
    report.add_argument("--period", default="month", choices=["week", "month", "quarter"],
                        help="the periods compared (default: %(default)s)")
    _add_data_options(report)
    report.set_defaults(func=cmd_report)

    sample = command("sample", help="write the synthetic sample data set")
    sample.add_argument("--out", default="data/sample", help="default: %(default)s")
    sample.add_argument("--customers", type=int, default=3000, help="default: %(default)s")
    sample.add_argument("--seed", type=int, default=42, help="default: %(default)s")
    sample.set_defaults(func=cmd_sample)

    dashboards = command("dashboards", help="serve the dashboards (on 127.0.0.1 unless --host)")
    dashboards.add_argument("--notebooks", default="notebooks", help="default: %(default)s")
    dashboards.add_argument("--data", help="data folder (default: CAREWORK_DATA or data/sample)")
    dashboards.add_argument("--port", type=int, default=8866, help="default: %(default)s")
    dashboards.add_argument("--host", default="127.0.0.1",
                            help="address to listen on (default: %(default)s, this computer "
                                 "only); 0.0.0.0 shares the dashboards with the network, "
                                 "behind a token")
    dashboards.add_argument("--token", help="the login token off 127.0.0.1 (default: "
                                            "CAREWORK_TOKEN, else a generated one)")
    dashboards.add_argument("--no-preheat", action="store_true",
                            help="load the data at every visit instead of keeping a warm "
                                 "kernel per dashboard (slower to open, never stale)")
    dashboards.set_defaults(func=cmd_dashboards)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    with language(_lang_given(argv) or get_language()):  # from Python, it leaves no trace
        args = build_parser().parse_args(argv)  # its messages already in that language
        return _run(args)


def _lang_given(argv: list[str]) -> str | None:
    """The ``--lang`` of the command line, wherever it stands (``--lang en``, ``--lang=en``)."""
    for i, word in enumerate(argv):
        value = word.split("=", 1)[1] if word.startswith("--lang=") else (
            argv[i + 1] if word == "--lang" and i + 1 < len(argv) else None)
        if value in LANGUAGES:
            return value
    return None


def _run(args: argparse.Namespace) -> int:
    handler: Callable[[argparse.Namespace], int] = args.func
    try:
        return handler(args)
    except (DataError, ModelError) as exc:
        print(t("cli.error", message=str(exc)), file=sys.stderr)
        return EXIT_DATA_PROBLEM
    except OSError as exc:  # unreadable path, permission denied, disk full
        print(t("cli.error", message=f"{exc.filename or ''}: {exc.strerror or exc}"),
              file=sys.stderr)
        return EXIT_DATA_PROBLEM
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 — a bug: one line for the user, never a traceback
        if os.environ.get("CAREWORK_DEBUG"):
            raise
        print(t("cli.internal_error", error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
