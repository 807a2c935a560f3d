"""The Team dialog: who is on this database and with which role (supervisors grant roles)."""
