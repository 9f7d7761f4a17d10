"""Touches to the generated OpenAPI schema (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""


def closed_triage_complaint(result, generator, request, public):
    """A triage complaint takes its fields and no other: unknown keys are refused."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.startswith("TriageComplaint"):
            schema["additionalProperties"] = False
    return result


# The ways a client walks the API: from a list to one item and its actions, from a write to what it
# made. OpenAPI links (docs/architecture.md#the-api); schemathesis' stateful run follows them.
_FIRST_ID = "$response.body#/results/0/id"
_LINKS = {
    ("/api/v1/teams/", "get", "200"): {
        "Team": ("teams_retrieve", _FIRST_ID), "TeamScreening": ("teams_screening_retrieve", _FIRST_ID)},
    ("/api/v1/athletes/", "get", "200"): {"Athlete": ("athletes_retrieve", _FIRST_ID)},
    ("/api/v1/complaints/", "get", "200"): {"Complaint": ("complaints_retrieve", _FIRST_ID)},
    ("/api/v1/complaints/", "post", "201"): {"Complaint": ("complaints_retrieve", "$response.body#/id")},
    ("/api/v1/injuries/", "get", "200"): {
        "Injury": ("injuries_retrieve", _FIRST_ID), "InjuryHistory": ("injuries_history_retrieve", _FIRST_ID),
        "InjuryPhase": ("injuries_phase_create", _FIRST_ID)},
    ("/api/v1/sessions/", "get", "200"): {
        "Session": ("sessions_retrieve", _FIRST_ID), "SessionSet": ("sessions_sets_create", _FIRST_ID),
        "SessionFinish": ("sessions_finish_create", _FIRST_ID)},
    ("/api/v1/sessions/{id}/sets/", "post", "201"): {"Session": ("sessions_retrieve", "$request.path.id")},
    ("/api/v1/programmes/", "get", "200"): {"Programme": ("programmes_retrieve", _FIRST_ID)},
    ("/api/v1/test-results/", "get", "200"): {"TestResult": ("test_results_retrieve", _FIRST_ID)},
    ("/api/v1/test-results/", "post", "201"): {"TestResult": ("test_results_retrieve", "$response.body#/id")},
    ("/api/v1/notifications/", "get", "200"): {"Notification": ("notifications_retrieve", _FIRST_ID)},
}


def links(result, generator, request, public):
    """Add the OpenAPI links above to the responses they start from."""
    for (path, method, status), named in _LINKS.items():
        response = result["paths"][path][method]["responses"][status]
        response["links"] = {
            name: {"operationId": operation, "parameters": {"id": value}}
            for name, (operation, value) in named.items()
        }
    return result
