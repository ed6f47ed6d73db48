"""Quorum: trust AI-generated code by verifying it."""

__all__ = ["__version__"]

__version__ = "0.1.0"
