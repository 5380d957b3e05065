"""Adapters: the only modules that talk to AWS. Each turns AWS errors into domain errors."""
