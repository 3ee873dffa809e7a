from django.urls import path

from sobrio.reports import views

urlpatterns = [
    path("", views.report_list, name="report"),
    path("nouveau/", views.report_create, name="report_create"),
    path("<int:report_id>/", views.report_detail, name="report_detail"),
    path("<int:report_id>/figer/", views.report_freeze, name="report_freeze"),
    path("<int:report_id>/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("<int:report_id>/rapport.odt", views.report_odt, name="report_odt"),
]
