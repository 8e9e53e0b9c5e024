"""netjournal: a terminal journal for reciprocal networking."""

__version__ = "0.1.0"
