-- CreateTable
CREATE TABLE "DataVersion" (
    "forbundId" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DataVersion_pkey" PRIMARY KEY ("forbundId")
);

-- Every write to a förbund's rows bumps its version in the same transaction and announces
-- "<forbundId>:<version>" on channel data_version when the transaction commits. The argument
-- selects the förbund ids from the statement's changed rows (transition table "changed").
-- Not counted: AuditEvent (written with the change it records) and WorkflowSignal (the outbox).
CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE format($q$
    WITH bumped AS (
      UPDATE "DataVersion" d SET version = d.version + 1
      WHERE d."forbundId" IN (%s)
      RETURNING d."forbundId", d.version)
    SELECT count(pg_notify('data_version', "forbundId" || ':' || version)) FROM bumped$q$, TG_ARGV[0]);
  RETURN NULL;
END
$fn$;

CREATE FUNCTION data_version_forbund() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "DataVersion" ("forbundId", version) VALUES (NEW.id, 1) ON CONFLICT DO NOTHING;
  ELSE
    DELETE FROM "DataVersion" WHERE "forbundId" = OLD.id;
  END IF;
  RETURN NULL;
END
$fn$;

INSERT INTO "DataVersion" ("forbundId", version) SELECT id, 1 FROM "Forbund";

CREATE TRIGGER data_version_created AFTER INSERT ON "Forbund" FOR EACH ROW EXECUTE FUNCTION data_version_forbund();
CREATE TRIGGER data_version_deleted AFTER DELETE ON "Forbund" FOR EACH ROW EXECUTE FUNCTION data_version_forbund();
CREATE TRIGGER data_version_updated AFTER UPDATE ON "Forbund" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('SELECT id FROM changed');

DO $do$
DECLARE
  t record;
  op text;
BEGIN
  FOR t IN SELECT * FROM (VALUES
    ('Member', 'SELECT "forbundId" FROM changed'),
    ('Person', 'SELECT "forbundId" FROM changed'),
    ('Body', 'SELECT "forbundId" FROM changed'),
    ('Project', 'SELECT "forbundId" FROM changed'),
    ('Notification', 'SELECT "forbundId" FROM changed'),
    ('ApiToken', 'SELECT "forbundId" FROM changed'),
    ('Escalation', 'SELECT "forbundId" FROM changed'),
    ('CycleYear', 'SELECT "forbundId" FROM changed'),
    ('Meeting', 'SELECT "forbundId" FROM changed'),
    ('Milestone', 'SELECT "forbundId" FROM changed'),
    ('Matter', 'SELECT "forbundId" FROM changed'),
    ('BudgetLine', 'SELECT "forbundId" FROM changed'),
    ('BudgetYear', 'SELECT "forbundId" FROM changed'),
    ('Actual', 'SELECT "forbundId" FROM changed'),
    ('ForecastReview', 'SELECT "forbundId" FROM changed'),
    ('BodyMembership', 'SELECT b."forbundId" FROM changed c JOIN "Body" b ON b.id = c."bodyId"'),
    ('ReportingObligation', 'SELECT p."forbundId" FROM changed c JOIN "Project" p ON p.id = c."projectId"'),
    ('Submission', 'SELECT p."forbundId" FROM changed c JOIN "ReportingObligation" o ON o.id = c."obligationId" JOIN "Project" p ON p.id = o."projectId"'),
    ('AgendaItem', 'SELECT m."forbundId" FROM changed c JOIN "Meeting" m ON m.id = c."meetingId"'),
    ('Attendance', 'SELECT m."forbundId" FROM changed c JOIN "Meeting" m ON m.id = c."meetingId"')
  ) AS v(tbl, ids) LOOP
    FOREACH op IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE'] LOOP
      EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump(%L)',
        'data_version_' || lower(op), op, t.tbl, CASE op WHEN 'DELETE' THEN 'OLD' ELSE 'NEW' END, t.ids);
    END LOOP;
  END LOOP;
END
$do$;
