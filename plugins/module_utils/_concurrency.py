# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""How many writes may be in flight: more while answers come back clean, half as many after throttling."""

from __future__ import annotations

import threading

# Writes in flight at first: what earlier versions always sent, which Losant's fair use has tolerated.
START = 4


class AdaptiveLimit:
    """Additive increase, multiplicative decrease, as TCP and the AWS SDKs' adaptive retry mode do.

    The limit starts at ``START`` (or ``ceiling`` if lower) and never leaves 1..``ceiling``. Until the first
    throttling, each write answered without it adds one (doubling the limit every round trip); after that,
    each adds 1/limit (one per round trip). A write throttled (HTTP 429 or 503) halves the limit, once per
    round: only writes sent since the last decrease can decrease it again, as in TCP. A throttled write's retry
    counts as sent in the current round, as a TCP retransmission does: a write throttled again and again keeps
    halving the limit, instead of starving while writes admitted by a growing limit go out with it.

    The thread that sends a write calls ``started`` first; ``throttled`` then applies to that write.
    """

    def __init__(self, ceiling: int, start: int = START) -> None:
        self.ceiling = max(1, ceiling)
        self.limit = float(min(start, self.ceiling))
        self.growing_fast = True
        self.in_flight = 0
        self.decreases = 0
        self.condition = threading.Condition()
        self.write = threading.local()

    def acquire(self) -> int:
        """Wait until one more write may start; returns the round it starts in, for ``started``."""
        with self.condition:
            self.condition.wait_for(lambda: self.in_flight < int(self.limit))
            self.in_flight += 1
            return self.decreases

    def started(self, round_: int) -> None:
        """The calling thread sends the write that ``acquire`` admitted in ``round_``."""
        self.write.round = round_
        self.write.throttled = False

    def throttled(self) -> None:
        """The calling thread's write was throttled: halve the limit, unless it was sent before the last halving.
        Its retry is sent in the current round."""
        with self.condition:
            self.write.throttled = True
            if getattr(self.write, 'round', self.decreases) == self.decreases:
                self.decreases += 1
                self.growing_fast = False
                self.limit = max(1.0, self.limit / 2)
            self.write.round = self.decreases

    def release(self, succeeded: bool) -> None:
        """The calling thread's write is over; one that succeeded without throttling raises the limit."""
        with self.condition:
            self.in_flight -= 1
            if succeeded and not getattr(self.write, 'throttled', False):
                self.limit = min(float(self.ceiling), self.limit + (1 if self.growing_fast else 1 / self.limit))
            self.condition.notify_all()
