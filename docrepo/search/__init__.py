"""The read side: requests, the query language, the index as arrays, results."""
