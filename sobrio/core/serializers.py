"""Django's JSON serializer, keeping datetimes to the microsecond (its own encoder cuts
them to the millisecond), so that a backup restores the rows exactly as they were."""

import datetime

from django.core.serializers.json import (
    Deserializer,  # noqa: F401 - the format's reader
    DjangoJSONEncoder,
)
from django.core.serializers.json import Serializer as JSONSerializer


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder
