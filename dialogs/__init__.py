"""Conversation flows: small explicit state machines from a turn to the replies it gets.

No botbuilder here: the edge (bot/) turns an activity into an `Incoming` and sends the
`Outcome` back, so moving to another Teams SDK changes bot/ only.
"""
