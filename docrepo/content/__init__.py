"""The content side: taxonomy, Markdown, files to Documents or Problems, relations."""
