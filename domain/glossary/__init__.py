"""The glossary and the allocation criteria, and the matcher that finds them in questions."""
