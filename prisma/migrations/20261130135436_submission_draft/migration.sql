-- CreateTable
CREATE TABLE "SubmissionDraft" (
    "obligationId" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "savedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SubmissionDraft_pkey" PRIMARY KEY ("obligationId")
);

-- AddForeignKey
ALTER TABLE "SubmissionDraft" ADD CONSTRAINT "SubmissionDraft_obligationId_fkey" FOREIGN KEY ("obligationId") REFERENCES "ReportingObligation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A saved draft is a write to the förbund's rows: it bumps the förbund's data version (reached
-- through the report's project), as the other tables do (see the data_version migration).
CREATE TRIGGER data_version_insert AFTER INSERT ON "SubmissionDraft" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION data_version_bump('SELECT p."forbundId" FROM changed c JOIN "ReportingObligation" o ON o.id = c."obligationId" JOIN "Project" p ON p.id = o."projectId"');
CREATE TRIGGER data_version_update AFTER UPDATE ON "SubmissionDraft" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION data_version_bump('SELECT p."forbundId" FROM changed c JOIN "ReportingObligation" o ON o.id = c."obligationId" JOIN "Project" p ON p.id = o."projectId"');
-- On delete the obligation (and project) may already be gone (a cascade): those förbund are not bumped here, their own rows' triggers do it.
CREATE TRIGGER data_version_delete AFTER DELETE ON "SubmissionDraft" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION data_version_bump('SELECT p."forbundId" FROM changed c JOIN "ReportingObligation" o ON o.id = c."obligationId" JOIN "Project" p ON p.id = o."projectId"');
