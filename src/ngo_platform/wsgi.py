import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ngo_platform.settings")
application = get_wsgi_application()

# Load the Polish dictionary now, in each worker, rather than on the first search (~3 s).
from ngo_platform.core.lemmatiser import warm_up  # noqa: E402

warm_up()

# What is loaded by now (Django, the URL configuration, the dictionary) lives as long as the process.
# Moved out of the garbage collector's sight, it is no longer walked by every full collection, which
# took ~40 ms and showed as latency spikes of requests that happened to trigger one.
gc.collect()
gc.freeze()
