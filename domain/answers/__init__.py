"""Spør Kompis: one pure question engine over content/ (terms, rules, dates, how-to)."""
