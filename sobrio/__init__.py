"""Sobrio: the cockpit of an institution's responsible-digital programme."""

__version__ = "0.1.0"
