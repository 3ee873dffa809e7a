from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Canonical categories; institutions add their own (CustomCategory)."""

    LAPTOP = "laptop", _("Ordinateur portable")
    DESKTOP = "desktop", _("Ordinateur fixe")
    WORKSTATION = "workstation", _("Station de travail")
    THIN_CLIENT = "thin_client", _("Client léger")
    MONITOR = "monitor", _("Écran")
    TABLET = "tablet", _("Tablette")
    SMARTPHONE = "smartphone", _("Smartphone")
    DESK_PHONE = "desk_phone", _("Téléphone fixe")
    PRINTER = "printer", _("Imprimante")
    PROJECTOR = "projector", _("Vidéoprojecteur")
    VIDEOCONFERENCE = "videoconference", _("Visioconférence")
    NETWORK_SWITCH = "network_switch", _("Commutateur réseau")
    WIFI_ACCESS_POINT = "wifi_access_point", _("Borne wifi")
    ROUTER = "router", _("Routeur")
    SERVER = "server", _("Serveur")
    STORAGE = "storage", _("Baie de stockage")
    PERIPHERAL = "peripheral", _("Périphérique")


class AssetStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("En service")
    IN_STOCK = "in_stock", _("En stock")
    IN_REPAIR = "in_repair", _("En réparation")
    RETIRED = "retired", _("Réformé")


class Media(models.TextChoices):
    SSD = "ssd", _("SSD")
    HDD = "hdd", _("Disque dur")
    TAPE = "tape", _("Bande")


class Retention(models.TextChoices):
    UNDECIDED = "undecided", _("À décider")
    KEEP = "keep", _("Conserver")
    ARCHIVE = "archive", _("Archiver")
    DELETE = "delete", _("Supprimer")


class CloudProvider(models.TextChoices):
    AWS = "aws", "AWS"
    AZURE = "azure", "Azure"
    GCP = "gcp", "Google Cloud"
    OVHCLOUD = "ovhcloud", "OVHcloud"
    SCALEWAY = "scaleway", "Scaleway"
    OTHER = "other", _("Autre")
