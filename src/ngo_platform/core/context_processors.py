from django.conf import settings

from ngo_platform.core import preferences


def platform(request):
    return {
        "site_name": settings.NGO_SITE_NAME,
        "display": preferences.read(request),
    }
