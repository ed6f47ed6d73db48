"""Widgets only: views over bridge objects, no business logic."""
