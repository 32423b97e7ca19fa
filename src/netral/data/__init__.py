"""Data shipped with netral (the demo posts) and how its YAML data files are read
(:mod:`netral.data.yamlio`)."""
