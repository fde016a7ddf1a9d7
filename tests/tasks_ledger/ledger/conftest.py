"""The ledger's tests use the shared world (tests/conftest.py: one task that department A
leads and B partners, C not assigned, and the personas)."""

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
