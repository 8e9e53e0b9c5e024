from netjournal.cli import run

run()
