"""Import and export of other tools' formats, above the journal facade.

Readers turn a file into ``Person`` records (``vcard``, ``csvin``) or jrnl entries
(``jrnl``); ``plan`` matches them with the journal's contacts and says what would
happen; ``plan.apply`` writes it through the journal facade (each file created
atomically; an existing contact only gets keys it leaves empty).  ``commands`` is
the command line's ``import``; the app uses ``plan`` the same way.

Export (``export``) chooses contacts, reads their files and hands them to a writer
per format (``vcard_out``, ``csv_out``, ``json_out``, ``ics``, ``digest``); the one file
it writes is the user's ``--out``, atomically.

Nothing here writes a journal file itself, and nothing here imports Textual.
"""

from typing import Any

FORMATS = ("vcard", "linkedin", "google", "csv", "jrnl")
EXPORT_FORMATS = ("vcard", "csv", "json", "ics", "markdown")


def add_arguments(parser: Any) -> None:
    """The ``import`` command's arguments (here, where importing costs nothing: the
    command line builds its parser before it knows which command runs)."""
    parser.add_argument("format", choices=FORMATS, metavar="FORMAT", help=f"one of: {', '.join(FORMATS)}")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files (vcard: folders of .vcf files too)")
    parser.add_argument("--dry-run", action="store_true", help="print the plan; write nothing")
    parser.add_argument("--map", action="append", default=[], metavar="'Column=key,…'",
                        help="csv: which column gives which contact key (repeatable)")
    parser.add_argument("--kind", default="note", help="jrnl: the kind of the reflections (default: note)")
    parser.add_argument("--json", action="store_true", help="the plan (and what was done) as JSON")


def add_export_arguments(parser: Any, day: Any) -> None:
    """The ``export`` command's arguments (``day``: the command line's date type)."""
    parser.add_argument("format", choices=EXPORT_FORMATS, metavar="FORMAT", help=f"one of: {', '.join(EXPORT_FORMATS)}")
    parser.add_argument("--contact", action="extend", nargs="+", default=[], metavar="SLUG",
                        help="only these contacts (repeatable); markdown: a digest of each")
    parser.add_argument("--tag", help="only contacts with this tag")
    parser.add_argument("--out", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    parser.add_argument("--version", dest="vcard_version", choices=("4.0", "3.0"), default=None,
                        help="vcard: 4.0 (default) or 3.0 for older address books")
    parser.add_argument("--since", type=day, metavar="DATE", help="json: only reflections on or after DATE")
    parser.add_argument("--week", type=day, metavar="DATE", help="markdown: the week holding DATE (default: this week)")
