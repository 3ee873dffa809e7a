import sys

from sobrio.cli import main

sys.exit(main())
