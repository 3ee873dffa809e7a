from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class StaticFilesConfig(BaseStaticFilesConfig):
    """Collect only the DSFR files Sobrio's pages use: its main CSS, the fonts, a few icons.

    django-dsfr ships 17 MB of assets; collecting (and compressing) all of them
    would slow every deployment for files no page asks for.
    """

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "*.legacy.*",
        "*.nomodule.*",
        "*.map",
        "*.md",
        "dsfr/dist/dsfr.min.css",
        "dsfr/dist/dsfr.print.min.css",
        "dsfr/dist/dsfr.module.min.js",
        "dsfr/dist/dsfr/*",
        "dsfr/dist/analytics/*",
        "dsfr/dist/artwork/*",
        "dsfr/dist/component/*",
        "dsfr/dist/core/*",
        "dsfr/dist/layout/*",
        "dsfr/dist/legacy/*",
        "dsfr/dist/scheme/*",
        "dsfr/dist/utility/*",
        "dsfr/dist/favicon/*",
        "django-dsfr/*",
        "css/dsfr-code.css",
    ]
