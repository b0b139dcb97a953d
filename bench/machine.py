"""Describe the machine a benchmark ran on, so that every printed figure carries its context."""

import os
import platform


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
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


if __name__ == "__main__":
    print(describe_machine())
