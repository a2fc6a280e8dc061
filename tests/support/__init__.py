"""What the tests share: content trees, index read-back, web clients and a small DOM, real
servers and browsers, timing. Imported as `support.<module>` (tests/ is on `pythonpath`)."""
