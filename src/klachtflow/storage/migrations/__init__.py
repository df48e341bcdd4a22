"""Alembic migrations shipped inside the package (run with ``klachtflow db upgrade``)."""
