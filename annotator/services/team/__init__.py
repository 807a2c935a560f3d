"""Supervising a team (issue 13): assignments and queues, progress, agreement on the sample."""
