-- AlterEnum
ALTER TYPE "ObligationStatus" ADD VALUE 'handled';

-- AlterTable
ALTER TABLE "AgendaItem" ADD COLUMN     "compilation" JSONB;

-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN     "startSettledAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ReportingObligation" ADD COLUMN     "startSettledAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "DigestItem" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "link" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "digestKey" TEXT,

    CONSTRAINT "DigestItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DigestItem_key_key" ON "DigestItem"("key");

-- CreateIndex
CREATE INDEX "DigestItem_digestKey_createdAt_idx" ON "DigestItem"("digestKey", "createdAt");

-- CreateIndex
CREATE INDEX "DigestItem_forbundId_email_digestKey_idx" ON "DigestItem"("forbundId", "email", "digestKey");

-- AddForeignKey
ALTER TABLE "DigestItem" ADD CONSTRAINT "DigestItem_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;
