"""``python -m tabscore_export`` = the ``tabscore-export`` command."""

import sys

from .cli import main

sys.exit(main())
