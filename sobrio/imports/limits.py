"""How much of a file Sobrio reads: every limit is a setting, named in its message."""

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 200 * MB  # SOBRIO_IMPORT_MAX_MB
    max_rows: int = 1_000_000  # SOBRIO_IMPORT_MAX_ROWS
    max_columns: int = 200  # SOBRIO_IMPORT_MAX_COLUMNS
    max_cell_chars: int = 32_767  # SOBRIO_IMPORT_MAX_CELL_CHARS (a spreadsheet cell's own)
    max_unpacked: int = 500 * MB  # SOBRIO_IMPORT_MAX_UNPACKED_MB, an archive once unpacked
    max_ratio: int = 200  # SOBRIO_IMPORT_MAX_RATIO, unpacked ÷ packed size of an entry
    # Fewer columns than this is taken for a wrong separator; a list of addresses has one.
    min_columns: int = 2

    @classmethod
    def from_settings(cls, **overrides):
        from django.conf import settings

        values = dict(getattr(settings, "SOBRIO_IMPORT_LIMITS", {}))
        values.update(overrides)
        return cls(**values)

    def too_big(self, size):
        """The reason a file of `size` bytes is refused, or None."""
        if size > self.max_bytes:
            return (
                f"fichier trop gros : {size / MB:.1f} Mo pour {self.max_bytes / MB:g} Mo au plus "
                "(réglage SOBRIO_IMPORT_MAX_MB)"
            )
        return None
