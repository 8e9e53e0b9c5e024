"""The full-screen app. It reaches the journal only through ``netjournal.journal``."""
