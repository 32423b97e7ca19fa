"""The review domain: who may see and decide what (``authz``), findings from new to decided,
cases along the official flow (finding → clarification → recommendation → sanction by the
PPK), the dashboard and agency settings (``services``).

Web pages, the API, the CLI and the demo seeder all call this package; none of them decides
anything about a finding or a case on its own.
"""
