"""The web faces: the Starlette application, pages, the JSON API, feeds, labels, URLs."""
