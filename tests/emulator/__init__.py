"""A local stand-in for the Losant webhook REST API, for tests and demos.

Start it with ``python3 -m tests.emulator --port 0 --token TOKEN --application-id APP_ID``
from the collection root; see README.md beside this file.
"""
