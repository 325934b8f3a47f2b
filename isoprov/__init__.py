"""isoprov — ISO 9001 work in Vietnamese state agencies: scoring, budgets, documents."""

__version__ = "0.1.0"
