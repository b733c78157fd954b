"""The `ta-advisor` command: a thin argparse front that hands each subcommand to its module.

Imports are lazy so that `ta-advisor ask` does not pay for the Telegram stack at start-up.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence


def _ask(args: argparse.Namespace) -> int:
    from bot.commands.ask import run

    return run(args.question, as_json=args.json, kb_dir=args.kb, lang=args.lang)


def _eval(args: argparse.Namespace) -> int:
    from bot.commands.evaluate import run

    return run(args.file, kb_dir=args.kb, min_on=args.min_on, min_off=args.min_off)


def _kb_check(args: argparse.Namespace) -> int:
    from bot.commands.kb import run_check

    return run_check(kb_dir=args.kb)


def _glossary(args: argparse.Namespace) -> int:
    from bot.commands.glossary import run

    return run(args.term, kb_dir=args.kb)


def _assess(args: argparse.Namespace) -> int:
    from bot.claims.cli import run

    return run(args.file, as_json=args.json, lang=args.lang)


def _chat(args: argparse.Namespace) -> int:
    from bot.terminal import run

    return run(kb_dir=args.kb, save=not args.no_save, lang=args.lang)


def _run(args: argparse.Namespace) -> int:
    from bot.telegram.run import run_from_env

    return run_from_env(args.env_file, kb_dir=args.kb, log_format=args.log_format)


def _report(args: argparse.Namespace) -> int:
    from bot.commands.admin import run_report

    return run_report(args.period, args.csv, args.db)


def _db_backup(args: argparse.Namespace) -> int:
    from bot.commands.admin import run_backup

    keep_days = args.keep_days
    if args.prune and keep_days is None:
        from bot.settings import load_settings

        keep_days = load_settings().backup_keep_days
    return run_backup(args.dest, args.db, force=args.force, keep_days=keep_days)


def language(value: str) -> str:
    """`--lang`: a supported language ("en", or "pt-BR" once Portuguese is); else a usage error
    naming the supported ones, rather than a silent fall-back to English."""
    from bot.i18n import SUPPORTED_LANGS, language_tag

    tag = language_tag(value)
    if tag not in SUPPORTED_LANGS:
        supported = ", ".join(SUPPORTED_LANGS)
        raise argparse.ArgumentTypeError(f"{value!r} is not a supported language ({supported})")
    return tag


def _add_lang(parser: argparse.ArgumentParser, *, detect: bool = False) -> None:
    """`--lang`; with `detect`, leaving it out means "the language of what is typed"."""
    parser.add_argument(
        "--lang",
        type=language,
        default=None if detect else "en",
        metavar="LANG",
        help="the language to talk in (default: "
        + ("the language you write in, else en)" if detect else "en)"),
    )


def _db_migrate_to(args: argparse.Namespace) -> int:
    from bot.commands.admin import run_migrate_to

    return run_migrate_to(args.url, args.db)


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree; each leaf sets `handler`."""
    parser = argparse.ArgumentParser(
        prog="ta-advisor",
        description="Trade Assurance advice for Alibaba.com importers.",
    )
    parser.add_argument(
        "--kb", metavar="DIR", default=None, help="knowledge base folder (default: the bundled one)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = sub.add_parser("ask", help="answer a question from the knowledge base")
    ask.add_argument("question", nargs="?", help="the question; omit with --json to read stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    _add_lang(ask, detect=True)
    ask.set_defaults(handler=_ask)

    ev = sub.add_parser("eval", help="accuracy, misses and confusions on a question set")
    ev.add_argument("file", help="YAML file with `questions: [{q, topic}]`")
    ev.add_argument("--min-on", type=float, default=0.95, help="on-topic top-1 to pass")
    ev.add_argument("--min-off", type=float, default=0.8, help="off-topic abstention to pass")
    ev.set_defaults(handler=_eval)

    kb = sub.add_parser("kb", help="knowledge base tools")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)
    check = kb_sub.add_parser("check", help="validate every topic; non-zero exit on any defect")
    check.set_defaults(handler=_kb_check)

    glossary = sub.add_parser("glossary", help="trade words the answers use, explained")
    glossary.add_argument("term", nargs="*", help="one term (FOB, QC, escrow…); omit for all")
    glossary.set_defaults(handler=_glossary)

    assess = sub.add_parser("assess", help="assess a claim from a facts JSON object")
    assess.add_argument("file", help="facts JSON file, or - for standard input")
    assess.add_argument("--json", action="store_true", help="print the assessment as JSON")
    _add_lang(assess)
    assess.set_defaults(handler=_assess)

    report = sub.add_parser("report", help="usage figures of a period (and a CSV)")
    report.add_argument("--period", default="7d", help="24h, 7d, 4w, today or all (default 7d)")
    report.add_argument("--csv", metavar="FILE", help="also write the figures as CSV")
    report.add_argument("--db", metavar="PATH", help="database file (default: from settings)")
    report.set_defaults(handler=_report)

    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    backup = db_sub.add_parser("backup", help="online backup of the database to PATH")
    backup.add_argument("dest", metavar="PATH", help="where to write the copy")
    backup.add_argument("--db", metavar="PATH", help="database file (default: from settings)")
    backup.add_argument("--force", action="store_true", help="replace PATH if it exists")
    backup.add_argument(
        "--prune",
        action="store_true",
        help="delete ta-advisor-*.sqlite3 backups in PATH's folder older than "
        "TA_ADVISOR_BACKUP_KEEP_DAYS (default 14)",
    )
    backup.add_argument(
        "--keep-days", type=int, metavar="N", default=None, help="with --prune: keep N days"
    )
    backup.set_defaults(handler=_db_backup)
    migrate = db_sub.add_parser(
        "migrate-to", help="copy the SQLite database into an empty PostgreSQL database at URL"
    )
    migrate.add_argument("url", metavar="URL", help="postgresql://user:password@host/database")
    migrate.add_argument("--db", metavar="PATH", help="SQLite file (default: from settings)")
    migrate.set_defaults(handler=_db_migrate_to)

    chat = sub.add_parser("chat", help="chat with the advisor in this terminal (no token needed)")
    chat.add_argument(
        "--no-save", action="store_true", help="do not keep an open check in the database"
    )
    _add_lang(chat, detect=True)
    chat.set_defaults(handler=_chat)

    run = sub.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    run.add_argument(
        "--env-file", default=".env", help="settings file read if it exists (default: .env)"
    )
    run.add_argument(
        "--log-format",
        choices=("text", "json"),
        default=None,
        help="log as readable text or JSON lines (default: TA_ADVISOR_LOG_FORMAT, else text)",
    )
    run.set_defaults(handler=_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
