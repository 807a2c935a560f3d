"""Suggestions: spans proposed by a recommender, kept apart from annotators' spans (issue #14)."""
