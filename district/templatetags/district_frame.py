"""`{% render_once as name %}…{% end_render_once %}`: render a block once, show it where it is needed.

The page header shows the same navigation and language switch twice, in the phone's menu and in
the wide screen's row (templates/base.html). Rendering the two includes once and writing the
result in both places gives the same HTML at half the cost of the frame every page shares.
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


class RenderOnceNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        # The block's output is already escaped HTML (what it would have written in place).
        context[self.name] = mark_safe(self.nodelist.render(context))
        return ""


@register.tag
def render_once(parser, token):
    """Render the block into the context variable named after `as`; write nothing in place."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% render_once as name %}…{% end_render_once %}")
    nodelist = parser.parse(("end_render_once",))
    parser.delete_first_token()
    return RenderOnceNode(nodelist, bits[2])
