"""GET /credit/api/v1/health: JSON for load balancers (issue 2 point 6)."""


def test_health_ok(stack, world):
    r = stack.get("/api/v1/health")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    body = r.json()
    version = stack.sql("SELECT MAX(version) FROM schema_migrations")[0][0]
    # One database, no replica (CreditDBReplica): the primary answered.
    assert body == {"status": "ok",
                    "database": {"reachable": True, "schema_version": version,
                                 "answered_by": "primary", "lag_ms": 0,
                                 "copies": [{"name": "primary", "role": "primary",
                                             "state": "current", "lag_ms": 0}]},
                    "store": "mariadb"}
    assert version >= 2


def test_health_trailing_slash_and_query(stack, world):
    assert stack.get("/api/v1/health/").json()["status"] == "ok"
    assert stack.get("/api/v1/health?x=1").status_code == 200


def test_api_errors_are_json(stack, world):
    for path in ("/api/v1/nope", "/api/v2/health", "/api"):
        r = stack.get(path)
        assert r.status_code == 404, path
        assert r.headers["Content-Type"] == "application/json; charset=utf-8", path
        err = r.json()["error"]
        assert err["code"] == "not_found" and err["message"], path
