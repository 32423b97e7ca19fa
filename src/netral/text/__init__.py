"""Text normalisation with a map back to the original characters."""

from netral.text.normalise import Normaliser, NormText, Token, normalise

__all__ = ["NormText", "Normaliser", "Token", "normalise"]
