-- Which subscription writes through this backend (src/applying_subscription.c):
-- the triggers a province's subscriptions fire (ENABLE REPLICA, with this as
-- their WHEN clause) act in PostgreSQL's replication workers only, not in
-- any other session that sets session_replication_role = replica.  Defined
-- early: the change marks' triggers (89_mark_changes.sql) read it too.
CREATE FUNCTION parcel_gov.applying_subscription()
    RETURNS name
    AS 'MODULE_PATHNAME', 'applying_subscription'
    LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION parcel_gov.applying_subscription() IS
  'the subscription whose logical replication worker (apply or initial copy) runs this backend, NULL in every other session: the province''s checks of applied rows act on it (README: Many counties, one province)';
