"""Settings for the test suite: the real settings with JIEDAO_TESTING on (fast hashing, no manifest)."""

import os

os.environ["JIEDAO_TESTING"] = "1"

from jiedao.settings import *  # noqa: F403
