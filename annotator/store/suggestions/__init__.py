"""Suggestions in the database (migration 0006): tables and the reads and writes of the services."""
