"""Starts the real IM service with the test bed's config file.

IM reads im.cfg only from fixed places (next to its package, /etc/im); several
beds share one virtualenv, so this applies the bed's own file (path in
AFP_IM_CONFIG) with IM's own parser before IM's service module is imported
(it reads the REST address and port at import) and then runs IM's main().

It also serializes tosca-parser's ToscaTemplate construction: the parser
collects validation errors in a class-level list (ExceptionCollector) that
each parse clears when it starts, so two TOSCA documents parsed at once by
IM's request threads get each other's errors (a valid one refused, an invalid
one let through). The tests post to one IM from several files at once; see
NOTES.md ("Concurrent requests").
"""
import configparser
import os
import sys
import threading

from toscaparser.tosca_template import ToscaTemplate

from IM.config import Config, parse_options

config_path = os.environ["AFP_IM_CONFIG"]
parser = configparser.ConfigParser()
if not parser.read(config_path):
    sys.exit("AFP_IM_CONFIG: cannot read %s" % config_path)
parse_options(parser, "im", Config)

_parse_lock = threading.Lock()
_parse = ToscaTemplate.__init__


def _one_parse_at_a_time(self, *args, **kwargs):
    with _parse_lock:
        _parse(self, *args, **kwargs)


ToscaTemplate.__init__ = _one_parse_at_a_time

from IM import im_service  # noqa: E402  (must follow the config)

sys.argv = ["im_service"]
im_service.main()
