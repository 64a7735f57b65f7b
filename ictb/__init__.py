"""ictb: Inter-facility Credentials Transfer Briefs (DoDM 6025.13 Encl. 4 §5).

Build ICTBs from credential records, check them against the policy rules, sign and
verify them, and redact them for host-nation release.
"""

__version__ = "0.1.0"
