"""The old place of `core.values`, kept so that references written before it moved (migrations
of other installations, scripts) still resolve. New code imports `core.values`."""

from core.values import *  # noqa: F403
