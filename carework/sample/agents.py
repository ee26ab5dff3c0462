"""The care team: agents who handle tickets and make calls, with their speed and workload."""

from __future__ import annotations

__all__ = ["AGENTS", "AGENT_NAMES"]

AGENTS = (  # name, speed factor (> 1 = slower), share of work
    ("Nguyễn Thị Hoa", 0.55, 1.2), ("Trần Minh Tuấn", 0.75, 1.1), ("Lê Thu Trang", 0.9, 1.0),
    ("Phạm Quốc Bảo", 1.0, 1.0), ("Võ Thị Ngọc Ánh", 1.0, 1.0), ("Hoàng Văn Nam", 1.2, 1.0),
    ("Đặng Mỹ Linh", 1.4, 0.9), ("Bùi Đức Thắng", 2.2, 0.9), ("Huỳnh Gia Hân", 3.0, 0.8),
)
"""Care agents: name, time factor (> 1 = slower than the typical agent), share of work."""
AGENT_NAMES = tuple(a[0] for a in AGENTS)
