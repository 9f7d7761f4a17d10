"""Touches to the generated OpenAPI schema (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""


def closed_triage_complaint(result, generator, request, public):
    """A triage complaint takes its fields and no other: unknown keys are refused."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.startswith("TriageComplaint"):
            schema["additionalProperties"] = False
    return result
