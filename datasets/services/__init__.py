"""Use cases: every write goes through a function in these modules (one module per resource).

Services take the acting user and plain values (never a request), validate with the pure core, write in one
transaction, and schedule follow-up work (events, Celery tasks) with transaction.on_commit.
"""
