"""conflictlens: documents about an armed conflict in, a sourced, time-aware model out."""

__version__ = "0.1.0"
