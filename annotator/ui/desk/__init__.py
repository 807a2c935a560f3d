"""Pieces of the annotating desk: reading layout, panels, dialogs and the window's helpers."""
