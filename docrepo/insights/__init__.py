"""Search insights for editors: what staff searched, found, did not find and opened,
kept per day and naming no one (SPEC §9, README "Search insights").

`events` says what is kept of a search and of an opened result; `intents` folds the
requests of one typing into one search; `storage` is the SQLite file; `recorder` buffers
the events of a web worker and writes them in the background; `report` reads the file
for `/insights`, `/api/insights` and `docrepo insights`. Neither the index's writer nor
the search: the web faces and the command line call it (docs/design.md).
"""
