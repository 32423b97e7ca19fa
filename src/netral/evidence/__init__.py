"""Tamper-evident evidence: capture, content-addressed file store, hash-chained ledger,
Ed25519-signed and RFC 3161-timestamped chain heads, self-contained bundles and their verifier.

The pieces form a chain of small steps (capture -> hash -> ledger -> head -> bundle); the
bundle verifier (:mod:`netral.evidence.verify`) needs no database and no network.
"""
