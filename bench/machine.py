"""Describe the machine a benchmark ran on, so that every printed figure carries its context."""

import os
import platform
import time


def describe_machine() -> str:
    """Return one line: CPU model, core count, memory, Python and OS.

    Source: /proc/cpuinfo and /proc/meminfo on Linux; falls back to `platform` elsewhere.
    """
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "unknown memory"
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
            memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"machine: {cpu}, {os.cpu_count()} cores, {memory}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
        f"interpreter speed now: {interpreter_speed():.0f} ns per loop step"
    )


def interpreter_speed(steps: int = 1_000_000) -> float:
    """Nanoseconds per step of a plain Python addition loop, best of three runs.

    The bench VM shares its host: its speed moves by tens of percent within an hour, and every figure moves
    with it. Printed beside the figures so that runs can be compared.
    """
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for step in range(steps):
            total += step
        best = min(best, time.perf_counter() - start)
    return best / steps * 1e9


if __name__ == "__main__":
    print(describe_machine())
