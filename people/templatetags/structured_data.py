import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Inside <script> the HTML parser ends the block at "</script" and treats "<!--"
# specially, so these characters become JSON escapes, as Django's json_script
# does. The result can no longer close the element, which is what makes it safe.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(value):
    """A dict as a schema.org JSON-LD block.

    json_script cannot be used: it fixes type="application/json", and search
    engines read only application/ld+json. A data block is not executed, so the
    site's script-src policy does not apply to it.
    """
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
