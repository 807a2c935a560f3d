"""The desk's suggestions: drawn as outlines, acted on from the keyboard, computed in the background."""
