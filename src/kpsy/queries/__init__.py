"""Questions asked of the plan: who does what, where each unit leads, who is missing, what the
targets and milestones are, and one item in full.

Everything here returns plain records in document order with units in protocol order; the
reporters in `kpsy.outputs` decide how they look.
"""
