"""
Citation formats that know no app. Each object the site cites (an essay, a
work) builds one CSL-JSON item with its model's csl_item(); everything a
reader or a program sees is written from that item by these modules, so the
visible citation, the downloads and the page metadata cannot disagree.

- names.py: a person's name parts, from the sort name an editor keeps
- styles.py: the "Cite this" box, citeproc-py with real CSL style files
- files.py: BibTeX, RIS and CSL-JSON downloads
- tags.py: Highwire citation_* tags, COinS and the schema.org core
"""
