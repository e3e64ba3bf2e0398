"""Views of the consultations app."""
