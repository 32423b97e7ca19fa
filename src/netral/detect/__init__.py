"""Detection: lexicon, patterns, model and context combined into one Result."""
