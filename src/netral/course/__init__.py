"""Literasi digital netralitas: lessons, a quiz bank and adaptive rounds (issue 18).

The content is data (``data/*.yaml``); :mod:`netral.course.bank` loads and validates it,
:mod:`netral.course.rounds` draws rounds, :mod:`netral.course.tracking` keeps what an agency may
see (who completed, when, the score: never the answers).
"""
