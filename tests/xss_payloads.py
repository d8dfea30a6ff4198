"""
Hostile Markdown and HTML that the site must never turn into executable markup.

XSS_PAYLOADS is a plain list so the browser tests can import it too.
find_executable_markup() says what, if anything, in a piece of HTML could run.
"""

from html.parser import HTMLParser

XSS_PAYLOADS = [
    # Script elements, plain and disguised.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/xss src=//evil.example/x.js></script>",
    '"><script>alert(1)</script>',
    "</p></div><script>alert(1)</script>",
    # Event handlers.
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<img src=x onerror\n=alert(1)>",
    "<body onload=alert(1)>",
    '<p onmouseover="alert(1)">hover</p>',
    "<details open ontoggle=alert(1)>",
    "<a href=# onclick=alert(1)>click</a>",
    "<input autofocus onfocus=alert(1)>",
    # SVG and MathML.
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # javascript:, vbscript: and data: URLs, with odd case, entities and whitespace.
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    # The same through Markdown's own link and image syntax.
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click]( javascript:alert(1) )",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&#58;alert(1))",
    "![pic](javascript:alert(1))",
    '![pic](x "title" onerror="alert(1)")',
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[click](data:text/html,<script>alert(1)</script>)",
    # Styles.
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<link rel="stylesheet" href="//evil.example/x.css">',
    # Embedding and framing.
    "<iframe src=//evil.example></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    # Forms and form actions.
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    '<input type="image" src=x formaction="javascript:alert(1)">',
    # Document-level tags.
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    # Malformed and unclosed markup.
    "<img src=x onerror=alert(1)",
    "<a href='javascript:alert(1)'",
    "<<img src=x onerror=alert(1)//<",
    '<img """><script>alert(1)</script>">',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # Inside code, where Markdown should leave it as text.
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    # Footnotes and headings carrying markup.
    "Text[^1]\n\n[^1]: <img src=x onerror=alert(1)>",
    "## <img src=x onerror=alert(1)> Heading",
]

FORBIDDEN_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "textarea", "select", "meta", "base", "link", "style", "svg", "math", "noscript",
    "template",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "srcset", "poster",
    "background", "cite",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


def _squeeze(value):
    # What a browser's URL parser does before reading the scheme: trim control
    # characters and spaces at both ends, drop tabs and newlines anywhere.
    trimmed = value.strip("".join(chr(code) for code in range(0x21)))
    return "".join(char for char in trimmed if char not in "\t\n\r").lower()


class _Finder(HTMLParser):
    def __init__(self, allow):
        super().__init__(convert_charrefs=True)
        self.allow = allow
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FORBIDDEN_TAGS and not self.allow(tag, attributes):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in ("style", "srcdoc"):
                self.problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and value and _squeeze(value).startswith(BAD_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def find_executable_markup(html, allow=lambda tag, attributes: False):
    """A list of what could run in `html`; empty when it is safe. `allow(tag,
    attributes)` accepts a forbidden tag the page itself put there."""
    finder = _Finder(allow)
    finder.feed(html)
    finder.close()
    return finder.problems
