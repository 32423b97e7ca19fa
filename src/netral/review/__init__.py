"""The review domain: who may see and decide what (``authz``), findings from new
to decided (``findings``, ``bulk``, ``queue``, ``sampling``; every change written by
``changes``), cases along the official flow (finding → clarification → recommendation →
sanction by the PPK: ``cases``), the dashboard (``dashboard``, ``stats``), agency settings
(``agency``), users (``useradmin``) and the marked text a reviewer reads (``marks``).

Web pages, the API, the CLI and the demo seeder all call this package; none of them decides
anything about a finding or a case on its own.
"""
