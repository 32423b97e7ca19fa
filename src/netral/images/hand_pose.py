"""From 21 hand landmarks to a named pose (satu_jari, dua_jari, tiga_jari, metal, …).

Landmark indices (MediaPipe): 0 wrist; thumb 1 CMC, 2 MCP, 3 IP, 4 tip; index 5-8,
middle 9-12, ring 13-16, little 17-20 (knuckle MCP, PIP, DIP, tip).

A finger counts as raised when it is nearly straight — the bends at its middle and end
joints add up to little, measured in 3-D (the model's relative depth ``z`` keeps a finger
that points at the camera from looking bent) — and its tip lies farther from the wrist than
its middle joint. The thumb counts when it is straight and stands away from the palm (its
tip far from the index knuckle and the palm's centre, relative to the palm's size): a
thumb folded over the palm in a V sign is straight too, but close to the palm.

Poses: everything is rotation and mirror invariant except the single index finger, which
is ``satu_jari`` only when it points up (within ``UP_LIMIT_DEG`` of the picture's up);
pointing sideways or down at something is ``tunjuk`` (neutral). Middle, ring and little
finger raised with the thumb tip on the index tip is ``ok`` (read as 3 by some handouts,
so it counts only with election context, like ``empat_jari`` and ``jempol``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FINGERS = ("thumb", "index", "middle", "ring", "little")
CHAINS = {"index": (5, 6, 7, 8), "middle": (9, 10, 11, 12), "ring": (13, 14, 15, 16),
          "little": (17, 18, 19, 20)}
BEND_RAISED = 70.0  # degrees of PIP + DIP bend below which a finger is straight
BEND_FOLDED = 100.0  # above this it is clearly folded (between: unsure, lowers confidence)
THUMB_BEND_MAX = 55.0  # MCP + IP bend of a raised thumb
THUMB_AWAY = 0.65  # thumb tip to index knuckle, in palm widths, for a raised thumb
OK_TOUCH = 0.45  # thumb tip to index tip, in palm widths: the ring of the OK sign
UP_LIMIT_DEG = 60.0  # a lone index finger within this of "up" is a salute, else pointing

# pose name -> the raised fingers that make it (thumb, index, middle, ring, little)
POSES: dict[tuple[bool, bool, bool, bool, bool], str] = {
    (False, False, False, False, False): "kepal",
    (True, False, False, False, False): "jempol",
    (False, True, False, False, False): "satu_jari",
    (False, True, True, False, False): "dua_jari",
    (True, True, True, False, False): "tiga_jari",  # thumb-index-middle form
    (False, True, True, True, False): "tiga_jari",  # index-middle-ring form
    (False, True, False, False, True): "metal",
    (True, True, False, False, True): "metal",  # with the thumb out ("I love you" shape)
    (True, True, False, False, False): "pistol",
    (True, False, False, False, True): "telepon",
    (False, False, True, True, True): "tiga_jari",  # middle-ring-little (index held down)
    (True, False, True, True, True): "tiga_jari",
    (False, True, True, True, True): "empat_jari",
    (True, True, True, True, True): "lima_jari",
}


@dataclass(slots=True)
class Pose:
    name: str
    raised: tuple[bool, bool, bool, bool, bool]
    confidence: float
    bends: dict[str, float]
    up_angle: float  # direction of the index finger, degrees from the picture's up

    @property
    def fingers(self) -> int:
        return sum(self.raised)

    @property
    def thumb(self) -> bool:
        return self.raised[0]


def _bend(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Degrees by which the chain a→b→c turns at b (0 = straight)."""
    u, v = b - a, c - b
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu < 1e-9 or nv < 1e-9:
        return 0.0
    cos = float(np.clip(np.dot(u, v) / (nu * nv), -1.0, 1.0))
    return math.degrees(math.acos(cos))


def finger_bends(p: np.ndarray) -> dict[str, float]:
    """Bend (degrees) of each finger: PIP + DIP for the four fingers, MCP + IP for the
    thumb; 3-D points."""
    out = {"thumb": _bend(p[1], p[2], p[3]) + _bend(p[2], p[3], p[4])}
    for name, (m, pi, d, t) in CHAINS.items():
        out[name] = _bend(p[m], p[pi], p[d]) + _bend(p[pi], p[d], p[t])
    return out


def classify(points: np.ndarray | list) -> Pose:
    """Name the pose of one hand from its 21 landmarks ((x, y) or (x, y, z), y down)."""
    p = np.asarray(points, dtype=float)
    if p.shape[1] == 2:
        p = np.column_stack([p, np.zeros(len(p))])
    wrist = p[0]
    palm_width = float(np.linalg.norm(p[5, :2] - p[17, :2])) or 1.0
    palm_len = float(np.linalg.norm(p[9, :2] - p[0, :2])) or 1.0
    palm_size = max(palm_width, 0.6 * palm_len)
    bends = finger_bends(p)
    raised: list[bool] = []
    unsure = 0.0
    for name, (_m, pip, _d, tip) in CHAINS.items():
        straight = bends[name] < BEND_RAISED
        outward = np.linalg.norm(p[tip] - wrist) > np.linalg.norm(p[pip] - wrist) * 1.05
        raised.append(bool(straight and outward))
        if BEND_RAISED * 0.8 < bends[name] < BEND_FOLDED:
            unsure += 1.0
    palm_centre = p[[0, 5, 9, 13, 17], :2].mean(0)
    away = float(np.linalg.norm(p[4, :2] - p[5, :2])) / palm_size
    from_centre = float(np.linalg.norm(p[4, :2] - palm_centre)) / palm_size
    thumb = bends["thumb"] < THUMB_BEND_MAX and away > THUMB_AWAY and from_centre > 0.9
    if abs(away - THUMB_AWAY) < 0.15:
        unsure += 0.5
    state = (bool(thumb), *raised)
    d = p[8, :2] - p[5, :2]
    up_angle = abs(math.degrees(math.atan2(d[0], -d[1])))
    name = POSES.get(state, "lainnya")
    if name == "satu_jari" and up_angle > UP_LIMIT_DEG:
        name = "tunjuk"
    # middle, ring and little finger up with the thumb tip on the index tip is the OK sign
    # (some regional handouts read it as 3; it counts only with election context)
    touch = float(np.linalg.norm(p[4, :2] - p[8, :2])) / palm_size
    if state[2:] == (True, True, True) and not state[1] and touch < OK_TOUCH:
        name = "ok"
    confidence = round(max(0.3, 0.95 - 0.12 * unsure), 2)
    return Pose(name, state, confidence, {k: round(v, 1) for k, v in bends.items()},
                round(up_angle, 1))
