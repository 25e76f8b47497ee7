-- A session ended (revoked, or deleted) is announced on channel data_version as "sessions" when the
-- transaction commits, so every process that keeps signed-in sessions for a minute
-- (api/admin-session.ts) forgets them at once. Only statements that set "revokedAt" or delete
-- rows: the once-a-minute "lastSeenAt" write announces nothing.
CREATE FUNCTION session_ended_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('data_version', 'sessions');
  RETURN NULL;
END
$fn$;

CREATE TRIGGER session_revoked AFTER UPDATE OF "revokedAt" ON "PersonSession" FOR EACH STATEMENT EXECUTE FUNCTION session_ended_notify();
CREATE TRIGGER session_deleted AFTER DELETE ON "PersonSession" FOR EACH STATEMENT EXECUTE FUNCTION session_ended_notify();
