"""What backpacks and validators fetch from an Open Badges issuer (public by design), and
the public verification pages: at the root of the site, where badges already point."""

from django.urls import path

from sobrio.badges import public as ob

urlpatterns = [
    path("ob/emetteurs/<uuid:uid>", ob.issuer_json, name="ob_issuer"),
    path("ob/emetteurs/<uuid:uid>/logo.png", ob.issuer_image, name="ob_issuer_image"),
    path("ob/emetteurs/<uuid:uid>/v3", ob.issuer_v3, name="ob3_issuer"),
    path("ob/emetteurs/<uuid:uid>/statuts", ob.status_list, name="ob3_status"),
    path("ob/cles/<uuid:kid>", ob.key_json, name="ob_key"),
    path("ob/badges/<uuid:uid>", ob.badge_json, name="ob_badge"),
    path("ob/badges/<uuid:uid>/image", ob.badge_image, name="ob_badge_image"),
    path("ob/badges/<uuid:uid>/vignette.png", ob.badge_thumbnail, name="ob_badge_thumb"),
    path("ob/assertions/<uuid:uid>", ob.assertion_json, name="ob_assertion"),
    path("ob/assertions/<uuid:uid>.png", ob.assertion_png, name="ob_assertion_png"),
    path("ob/assertions/<uuid:uid>.svg", ob.assertion_svg, name="ob_assertion_svg"),
    path("ob/assertions/<uuid:uid>/ob3.jwt", ob.credential_jwt, name="ob3_jwt"),
    path("ob/assertions/<uuid:uid>/ob3.png", ob.credential_png, name="ob3_png"),
    path("badges/verifier/", ob.check_baked, name="badge_check"),
    path("badges/<uuid:uid>/", ob.verify_page, name="badge_verify"),
]
