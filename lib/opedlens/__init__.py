"""opedlens: compare op-eds with reproducible, validated notebook reports."""

__version__ = "0.1.0"
