# A tiny book configured exactly like the real one (its conf.py), for negative tests.
import os
import sys

sys.path.insert(0, os.environ["BOOK_ROOT"])
from conf import *  # noqa: F403

# The tiny book borrows the real book's look.
html_static_path = [os.path.join(os.environ["BOOK_ROOT"], "_static")]
html_favicon = os.path.join(os.environ["BOOK_ROOT"], "_static", "favicon.svg")
