from netjournal.program import run

run()
