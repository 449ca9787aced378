"""Retries are safe: a create asked for twice happens once. See keys.py."""
