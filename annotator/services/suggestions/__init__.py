"""Suggestions (issue 14): storing, showing, accepting and rejecting proposed spans; training data
for recommenders; importing model output as suggestions."""
