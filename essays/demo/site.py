"""The demo site's identity (siteinfo.SiteSettings): its author is a demo person."""

SITE = {
    "tagline": "Essays on the history of the left, with the people and works they discuss.",
    "author": "helene-marchetti",
    "footer_text": "Demo content: the site's author is an invented historian.",
}
