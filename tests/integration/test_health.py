"""GET /credit/api/v1/health: JSON for load balancers (issue 2 point 6),
with the working-day calendar's end and a warning when it is near
(test_calendar.py moves the clock there)."""
import portal


def test_health_ok(stack, world):
    r = stack.get("/api/v1/health")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    body = r.json()
    version = stack.sql("SELECT MAX(version) FROM schema_migrations")[0][0]
    last = stack.sql("SELECT MAX(day) FROM calendar_days")[0][0]
    left = (last - portal.today()).days
    warnings = body.pop("warnings")
    # One database, no replica (CreditDBReplica): the primary answered.
    assert body == {"status": "ok",
                    "database": {"reachable": True, "schema_version": version,
                                 "answered_by": "primary", "lag_ms": 0,
                                 "copies": [{"name": "primary", "role": "primary",
                                             "state": "current", "lag_ms": 0}]},
                    "calendar": {"last_day": last.isoformat(), "days_left": left},
                    "store": "mariadb"}
    assert version >= 2
    # a warning only when fewer than 60 days of calendar are left
    assert [w["code"] for w in warnings] == (["calendar_ending"] if left < 60 else [])


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
