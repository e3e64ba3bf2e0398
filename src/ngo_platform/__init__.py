"""Cooperation platform for Polish NGOs and local governments (JST)."""
