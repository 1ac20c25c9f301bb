"""Kompis' domain: plain Python and pydantic, no botbuilder, no aiohttp, no database.

Sub-packages hold the rules of each job (needs reports, the annual wheel, the glossary);
this level holds what they share: content loading and Norwegian formatting.
"""
