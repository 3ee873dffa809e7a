"""PDF documents from HTML (WeasyPrint), with the one print stylesheet and the Marianne
font every PDF of Sobrio shares (reports, assessment campaigns, certificates)."""

from pathlib import Path

from django.contrib.staticfiles import finders


def _font_faces():
    rules = []
    for weight, name in ((400, "Marianne-Regular"), (700, "Marianne-Bold")):
        path = finders.find(f"dsfr/dist/fonts/{name}.woff2")
        if path:
            rules.append(
                f'@font-face {{ font-family: "Marianne"; font-weight: {weight}; '
                f'src: url("{Path(path).as_uri()}"); }}'
            )
    return "\n".join(rules)


def render_pdf(html, extra_css=""):
    from weasyprint import CSS, HTML

    stylesheets = [CSS(string=_font_faces()), CSS(filename=finders.find("sobrio/print.css"))]
    if extra_css:
        stylesheets.append(CSS(string=extra_css))
    return HTML(string=html).write_pdf(stylesheets=stylesheets)
