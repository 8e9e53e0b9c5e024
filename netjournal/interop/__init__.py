"""Import (and, later, export) of other tools' formats, above the journal facade.

Readers turn a file into ``Person`` records (``vcard``, ``csvin``) or jrnl entries
(``jrnl``); ``plan`` matches them with the journal's contacts and says what would
happen; ``plan.apply`` writes it through the journal facade (each file created
atomically; an existing contact only gets keys it leaves empty).  ``commands`` is
the command line's ``import``; the app uses ``plan`` the same way.

Nothing here writes a file itself, and nothing here imports Textual.
"""

from typing import Any

FORMATS = ("vcard", "linkedin", "google", "csv", "jrnl")


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
