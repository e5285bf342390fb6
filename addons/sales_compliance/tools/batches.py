"""Running a batched job to the end in the current transaction (scripts, tests, benchmark),
as its cron does batch after batch."""


def run_batches(step, *args, **kwargs):
    """Call ``step(*args, **kwargs)``, which handles one batch and returns
    ``(done, remaining)``, until nothing remains or a batch does nothing (so that a batch
    that cannot progress never loops). Returns the total done."""
    total = 0
    while True:
        done, remaining = step(*args, **kwargs)
        total += done
        if not done or not remaining:
            return total
