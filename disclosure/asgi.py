import os

from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disclosure.settings")
application = get_asgi_application()
if settings.SECRET_KEY_MISSING:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
