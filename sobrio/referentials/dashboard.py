"""The referentials' first step on the cockpit."""

from django.utils.translation import gettext_lazy as _

from sobrio.core import dashboard


def has_referential(institution):
    from sobrio.referentials.models import Referential

    return Referential.objects.for_institution(institution).exists()


def register():
    dashboard.register_step(
        dashboard.Step(
            "referential",
            20,
            _("Importer un référentiel"),
            "assess_referential_import",
            has_referential,
            _(
                "Le guide de bonnes pratiques numérique responsable (dossier markdown ou export "
                "JSON publiés par la DINUM sur ecoresponsable.numerique.gouv.fr, rubrique "
                "Publications) et le RGESN 2024 (fichier JSON du même site) se lisent tels "
                "quels ; toute grille au modèle de Sobrio aussi."
            ),
        )
    )
