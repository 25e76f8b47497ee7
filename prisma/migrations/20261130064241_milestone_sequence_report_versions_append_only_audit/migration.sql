-- DropForeignKey
ALTER TABLE "AuditEvent" DROP CONSTRAINT "AuditEvent_forbundId_fkey";

-- DropIndex
DROP INDEX "Submission_obligationId_idx";

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "tokenId" TEXT;

-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN     "sequence" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "ReportingObligation" ADD COLUMN     "lockedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Submission" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- Existing submissions of one report become its versions, oldest first.
UPDATE "Submission" s SET "version" = v.n
FROM (SELECT "id", row_number() OVER (PARTITION BY "obligationId" ORDER BY "submittedAt", "id") AS n FROM "Submission") v
WHERE s."id" = v."id";

-- CreateIndex
CREATE UNIQUE INDEX "Submission_obligationId_version_key" ON "Submission"("obligationId", "version");

-- The audit trail is append-only: no row is ever changed or removed.
CREATE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only: % on "AuditEvent" refused', TG_OP;
END;
$$;
CREATE TRIGGER "AuditEvent_append_only" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();
