"""PostgreSQL: long essay texts and versions compressed with lz4 (sergesite/compression.py)."""

from django.db import migrations

from sergesite.compression import use_lz4

COLUMNS = [
    ("essays_essay", "body"),
    ("essays_essay", "body_html"),
    ("essays_essay", "toc"),
    # django-reversion's table: every essay saved or imported adds a version
    # holding its whole body and HTML.
    ("reversion_version", "serialized_data"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("essays", "0007_essay_date_indexes"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [migrations.RunPython(*use_lz4(COLUMNS))]
