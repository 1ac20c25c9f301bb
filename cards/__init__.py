"""Adaptive Card builders: pure functions, data in, card (dict) out.

No I/O, no botbuilder, no database: a card can be built and checked in a unit test.
"""
