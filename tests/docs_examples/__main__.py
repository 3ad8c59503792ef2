"""Entry point: ``python -m tests.docs_examples``."""
import sys

from .cli import main

sys.exit(main())
