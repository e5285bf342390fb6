"""Small helpers of the seed: progress lines, chunks, prices, people's names, dates set in SQL."""

import math
import time

from .data import EN_FIRST, EN_LAST, ZH_GIVEN, ZH_SURNAMES


class AlreadySeeded(Exception):
    pass


class Progress:
    def __init__(self, log):
        self.log = log
        self.t0 = time.monotonic()

    def __call__(self, what, done=None, total=None):
        elapsed = time.monotonic() - self.t0
        if total is None:
            self.log(f"[seed] {what} ({elapsed:.1f}s)")
        else:
            self.log(f"[seed] {what} {done}/{total} ({elapsed:.1f}s)")


def chunks(seq, size):
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def money(rng, low, high):
    """Log-uniform price between low and high, rounded like a price list."""
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    if value < 20:
        return round(value, 2)
    if value < 200:
        return round(value, 1)
    return float(round(value))


def zh_person(rng):
    return rng.choice(ZH_SURNAMES) + rng.choice(ZH_GIVEN)


def en_person(rng):
    return f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"


def sql_set_dates(cr, table, column, pairs):
    """Bulk ``UPDATE table SET column = value`` for (id, value) pairs."""
    if not pairs:
        return
    for chunk in chunks(pairs, 5000):
        values = ",".join(cr.mogrify("(%s,%s)", (rid, val)).decode() for rid, val in chunk)
        cr.execute(
            f"UPDATE {table} t SET {column} = v.val::timestamp "
            f"FROM (VALUES {values}) AS v(id, val) WHERE t.id = v.id"
        )
