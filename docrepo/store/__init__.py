"""The Whoosh index: schema, generations, writer lock, manifest, the door to internals."""
