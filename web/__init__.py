"""Templates and static assets of the web interface and the widget (shipped as package data)."""
