import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ngo_platform.settings")
application = get_wsgi_application()

# Load the Polish dictionary now, in each worker, rather than on the first search (~3 s).
from ngo_platform.core.lemmatiser import warm_up  # noqa: E402

warm_up()
