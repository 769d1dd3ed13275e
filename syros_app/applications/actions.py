"""Writes of e-applications (resident side): drafts, submission, information, rating."""
