"""The limiter keeps every Teams window, with a fake clock."""

from __future__ import annotations

from scheduler.ratelimit import PER_CONVERSATION, SlidingLimiter, Window


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def drive(limiter: SlidingLimiter, clock: Clock, key: str, count: int) -> list[float]:
    """Send `count` messages as fast as allowed; return the send times."""
    times = []
    for _ in range(count):
        wait = limiter.wait_time(key)
        clock.now += wait
        assert limiter.wait_time(key) == 0.0
        limiter.record(key)
        times.append(clock.now)
    return times


def max_in_any(times: list[float], seconds: float) -> int:
    return max(sum(1 for t in times if start <= t < start + seconds) for start in times)


def test_teams_conversation_windows_hold() -> None:
    clock = Clock()
    limiter = SlidingLimiter(PER_CONVERSATION, clock)
    times = drive(limiter, clock, "conv", 200)
    assert max_in_any(times, 1.0) <= 7
    assert max_in_any(times, 2.0) <= 8
    assert max_in_any(times, 30.0) <= 60
    # and it is not slower than it must be: 200 sends need a bit over three 30 s windows
    assert times[-1] - times[0] < 3 * 30 + 10


def test_keys_are_independent() -> None:
    clock = Clock()
    limiter = SlidingLimiter((Window(1, 1.0),), clock)
    limiter.record("a")
    assert limiter.wait_time("a") == 1.0
    assert limiter.wait_time("b") == 0.0


def test_forget_idle_drops_old_keys() -> None:
    clock = Clock()
    limiter = SlidingLimiter((Window(2, 1.0),), clock)
    limiter.record("a")
    clock.now += 5
    limiter.forget_idle()
    assert limiter._sent == {}
