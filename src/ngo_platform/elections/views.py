"""Views of the elections app."""
