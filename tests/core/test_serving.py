"""`sobrio serve` collects static files again when, and only when, a source changed."""

import os

from django.test import override_settings

from sobrio.core.management import serving


def test_static_files_are_collected_again_only_after_a_change(tmp_path):
    source, root = tmp_path / "src", tmp_path / "static"
    source.mkdir()
    css = source / "site.css"
    css.write_text("body { color: black }")
    with override_settings(
        STATICFILES_DIRS=[source],
        STATIC_ROOT=root,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        assert serving.collect_static_if_changed() is True
        assert serving.collect_static_if_changed() is False  # nothing changed: seconds saved
        css.write_text("body { color: navy }")
        os.utime(css, ns=(css.stat().st_atime_ns, css.stat().st_mtime_ns + 10**9))
        assert serving.collect_static_if_changed() is True
        served = [p for p in root.glob("site*.css") if "navy" in p.read_text()]
        assert served, "the edited stylesheet was not collected"
