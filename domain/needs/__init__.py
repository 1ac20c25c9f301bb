"""The needs report (behovsmelding): its rules live here, not in the cards."""
