"""People in the API: their name beside the username that identifies them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from departments.people import display_name


@extend_schema_field(OpenApiTypes.STR)
class PersonNameField(serializers.Field):
    """A person's name as the pages show it (`departments.people`), read-only."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return display_name(value)
