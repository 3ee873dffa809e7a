"""Django's JSON serializer, keeping datetimes to the microsecond (its own encoder cuts
them to the millisecond), so that a backup restores the rows exactly as they were; and its
reader, which knows where models have moved since an archive was written (a registry the
apps fill in their AppConfig.ready(): the core names no app)."""

import datetime

from django.core.serializers.json import Deserializer as JSONDeserializer
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

# "old_app.model" -> "new_app.model", for the rows and for the natural keys of content
# types and permissions that name them
MOVED_MODELS = {}


def moved(old_label, new_label):
    MOVED_MODELS[old_label.lower()] = new_label.lower()


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder


def _natural_key(value):
    """A content type's natural key [app, model] or a permission's [codename, app, model],
    renamed when it names a moved model; any other value as it is."""
    if isinstance(value, list) and len(value) in (2, 3) and all(isinstance(v, str) for v in value):
        label = f"{value[-2]}.{value[-1]}".lower()
        if label in MOVED_MODELS:
            return [*value[:-2], *MOVED_MODELS[label].split(".")]
    return value


class Deserializer(JSONDeserializer):
    def _handle_object(self, obj):
        if MOVED_MODELS and isinstance(obj, dict):
            label = str(obj.get("model", "")).lower()
            obj["model"] = MOVED_MODELS.get(label, obj.get("model"))
            fields = obj.get("fields")
            if isinstance(fields, dict):
                for name, value in fields.items():
                    if isinstance(value, list) and value and isinstance(value[0], list):
                        fields[name] = [_natural_key(v) for v in value]  # many-to-many
                    else:
                        fields[name] = _natural_key(value)
        yield from super()._handle_object(obj)
