"""Reports: the self-audit report (HTML/JSON/CSV) lives in ``audit_report``."""
