"""Reminders: the annual wheel turned into due messages, and the outbox that delivers them.

No botbuilder here: messages leave through a `ProactiveSender` that bot/ provides.
"""
