"""18.0.1.1.0: the states of an approval request's steps say what they mean.

A step was "waiting" (not reached yet) or "pending" (the one to decide), while "pending"
also is the state of a request awaiting its decision. The step states are now
"upcoming" and "to_decide"; "pending" only means a request awaiting its decision.
Renamed before the registry loads the new selection, so that no step is left with a
value the field no longer has.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE sales_compliance_approval_step
           SET state = CASE state WHEN 'waiting' THEN 'upcoming' ELSE 'to_decide' END
         WHERE state IN ('waiting', 'pending')
        """
    )
