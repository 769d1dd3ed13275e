"""Shared shell, navigation, components and language switching for every page."""
