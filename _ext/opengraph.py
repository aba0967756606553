"""sphinxext-opengraph, loaded without its social-card module.

sphinxext-opengraph 0.13.0 imports ``sphinxext/opengraph/_social_cards.py`` when it is
imported, and that module imports matplotlib: about half a second of every build, a
fifth of a rebuild that changes nothing in a book of 100 pages. The book draws no social
cards (``ogp_social_cards = {"enable": False}`` in conf.py; its one card is committed), so
the module is never used. Before loading the extension, this one puts in its place a
stand-in with the two names the extension imports from it, holding what the extension
falls back to when matplotlib is missing: no default card options and no card maker.
Turning social cards on while this stand-in is loaded stops the build with an error.

Upstream internal relied on: the names imported from ``_social_cards`` in
``sphinxext/opengraph/__init__.py`` (0.13.0), and its handling of
``create_social_card = None``. Guarded by
``tests/test_contracts.py::test_opengraph_imports_only_the_stand_in_names``.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

SOCIAL_CARDS = "sphinxext.opengraph._social_cards"


def _stand_in() -> types.ModuleType:
    module = types.ModuleType(SOCIAL_CARDS, "Stand-in: the book draws no social cards (_ext/opengraph.py).")
    module.DEFAULT_SOCIAL_CONFIG = {}
    module.create_social_card = None
    return module


def no_cards_drawn(app: Sphinx, config: Config) -> None:
    if (config.ogp_social_cards or {}).get("enable") is not False:
        raise ConfigError(
            "conf.py: ogp_social_cards must keep 'enable': False while _ext.opengraph is loaded "
            "(it loads sphinxext-opengraph without the module that draws cards); to draw cards, "
            "load sphinxext.opengraph itself instead"
        )


def setup(app: Sphinx) -> dict[str, Any]:
    """Put the stand-in in place, unless the real module is already loaded, then load the extension."""
    sys.modules.setdefault(SOCIAL_CARDS, _stand_in())
    app.setup_extension("sphinxext.opengraph")
    app.connect("config-inited", no_cards_drawn)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
