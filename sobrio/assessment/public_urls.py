from django.urls import path

from sobrio.assessment import views

# Published eco-design declarations: open to anyone who has the link.
urlpatterns = [
    path("<uuid:token>/", views.declaration_public, name="declaration_public"),
    path(
        "<uuid:token>/declaration.pdf",
        views.declaration_public,
        {"fmt": "pdf"},
        name="declaration_public_pdf",
    ),
]
