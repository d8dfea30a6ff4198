"""
Demo content for `manage.py load_demo`: the sections of the original site's
menu, the people and works the first essays discuss, and a handful of short
essays (Markdown files in texts/). Slugs are the natural keys the loader
matches on, so change a slug and the loader creates a new record.
"""
