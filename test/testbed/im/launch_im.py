"""Starts the real IM service with the test bed's config file.

IM reads im.cfg only from fixed places (next to its package, /etc/im); several
beds share one virtualenv, so this applies the bed's own file (path in
AFP_IM_CONFIG) with IM's own parser before IM's service module is imported
(it reads the REST address and port at import) and then runs IM's main().
"""
import configparser
import os
import sys

from IM.config import Config, parse_options

config_path = os.environ["AFP_IM_CONFIG"]
parser = configparser.ConfigParser()
if not parser.read(config_path):
    sys.exit("AFP_IM_CONFIG: cannot read %s" % config_path)
parse_options(parser, "im", Config)

from IM import im_service  # noqa: E402  (must follow the config)

sys.argv = ["im_service"]
im_service.main()
