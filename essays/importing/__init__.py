"""
Importing essays from an old static site: HTML pages, plain text saved from a
browser, and Markdown drafts with YAML front matter.

The pipeline, one module per step:

    sources.py   files, folders and zip archives -> Source (bytes + a path)
    detect.py    bytes -> text and a format (by content first, then extension)
    html.py      old page -> Parsed (readability, then markdownify)
    html_*.py    its topics: html_titles (the title), html_layout (layout tables,
                 loose lines, menus, headings), html_notes (hand-made footnotes),
                 html_markdown (markdownify and tidying), html_tree (shared helpers)
    text.py      plain text -> Parsed (menu dropped, headings, quotations)
    markdown.py  front matter + Markdown -> Parsed
    links.py     links between pages of the batch and local images
    store.py     Parsed -> Essay, one transaction per file, idempotent
    batch.py     all of it for a batch, with one report per file

The management command `import_essays` and the admin's import page both call
batch.run_import().
"""
