"""The annual wheel (årshjul): events of a cycle as data, and the reminders they give."""
