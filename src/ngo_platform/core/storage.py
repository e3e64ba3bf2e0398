"""Uploaded files on S3-compatible object storage (django-storages), when NGO_S3_BUCKET is set.

Every object in the bucket is private. The platform hands files out only through its own views, which
check who may have them and stream the file: the address of a public file (an organisation's logo, the
one `.url` the templates use) is therefore on the platform's own origin, under MEDIA_URL, as with the
filesystem, and the pages load nothing from another origin (the Content-Security-Policy allows none).
"""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class MediaStorage(S3Storage):
    """The "default" storage on object storage: addresses under MEDIA_URL, answered by the platform's views
    (`organisations.views.logo`); nothing else under MEDIA_URL is answered, so the other files of this
    storage (consultation attachments and reports) are reachable only through the views that check them."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        name = clean_name(name)
        self._normalize_name(name)  # refuses a name that leaves the storage's location
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))
