"""The writer: the update pipeline in named steps, the parallel rebuild, the watcher."""
