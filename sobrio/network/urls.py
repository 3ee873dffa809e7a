from django.urls import path

from sobrio.network import views as v

urlpatterns = [
    path("", v.home, name="network"),
    path("<int:network_id>/", v.detail, name="network_detail"),
    path("<int:network_id>/partage/", v.share, name="network_share"),
    path("<int:network_id>/actions/", v.actions, name="network_actions"),
    path("<int:network_id>/rapport/", v.report, name="network_report"),
    path("<int:network_id>/rapport.pdf", v.report_pdf, name="network_report_pdf"),
    path("<int:network_id>/rapport.odt", v.report_odt, name="network_report_odt"),
    path("cles/<slug:slug>.json", v.public_key, name="network_public_key"),
]
