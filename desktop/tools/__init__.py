"""Developer tools that drive the app (not part of what a clinic runs)."""
