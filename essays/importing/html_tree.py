"""Small helpers the html modules share: comparing texts, dropping elements."""

import lxml.html

from .parsed import clean_line


def key(text):
    return clean_line(text).casefold().strip(" .,;:|-–—")


def drop(element):
    # Removes an element but keeps the text that follows it.
    if isinstance(element, lxml.html.HtmlElement):
        element.drop_tree()
    else:
        parent = element.getparent()
        if parent is not None:
            tail = element.tail
            previous = element.getprevious()
            if tail:
                if previous is not None:
                    previous.tail = (previous.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
            parent.remove(element)
