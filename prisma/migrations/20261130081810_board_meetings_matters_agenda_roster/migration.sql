-- CreateEnum
CREATE TYPE "MatterKind" AS ENUM ('funding_application', 'report', 'budget', 'policy', 'deficit', 'other');

-- CreateEnum
CREATE TYPE "MatterStatus" AS ENUM ('registered', 'prepared', 'on_agenda', 'decided', 'follow_up', 'closed');

-- AlterTable
ALTER TABLE "BodyMembership" ADD COLUMN     "periodFrom" DATE,
ADD COLUMN     "periodTo" DATE,
ADD COLUMN     "substituteOrder" INTEGER;

-- AlterTable
ALTER TABLE "CycleYear" ADD COLUMN     "lastDnr" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "decisionsSentAt" TIMESTAMP(3),
ADD COLUMN     "heldAt" TIMESTAMP(3),
ADD COLUMN     "justeradAt" TIMESTAMP(3),
ADD COLUMN     "justerare" TEXT,
ADD COLUMN     "justeringDue" DATE,
ADD COLUMN     "kallelseSentAt" TIMESTAMP(3),
ADD COLUMN     "minutesSentAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "email" TEXT;

-- CreateTable
CREATE TABLE "Matter" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "dnr" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "kind" "MatterKind" NOT NULL,
    "owner" TEXT NOT NULL,
    "preparingBody" "BodyKind" NOT NULL DEFAULT 'beredningsgrupp',
    "description" TEXT NOT NULL DEFAULT '',
    "documents" JSONB NOT NULL DEFAULT '[]',
    "status" "MatterStatus" NOT NULL DEFAULT 'registered',
    "meetingId" TEXT,
    "preparedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "milestoneId" TEXT,
    "obligationId" TEXT,
    "compilation" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Matter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgendaItem" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "matterId" TEXT,
    "paragraph" INTEGER,
    "decision" TEXT,
    "decidedAt" TIMESTAMP(3),
    "actionBy" TEXT,
    "actionDue" DATE,
    "reportedBackAt" TIMESTAMP(3),
    "reportedBack" TEXT,

    CONSTRAINT "AgendaItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attendance" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "seat" TEXT NOT NULL,
    "forPersonId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'invited',
    "respondedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attendance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Matter_milestoneId_key" ON "Matter"("milestoneId");

-- CreateIndex
CREATE UNIQUE INDEX "Matter_obligationId_key" ON "Matter"("obligationId");

-- CreateIndex
CREATE INDEX "Matter_forbundId_status_idx" ON "Matter"("forbundId", "status");

-- CreateIndex
CREATE INDEX "Matter_meetingId_idx" ON "Matter"("meetingId");

-- CreateIndex
CREATE UNIQUE INDEX "Matter_forbundId_dnr_key" ON "Matter"("forbundId", "dnr");

-- CreateIndex
CREATE UNIQUE INDEX "Matter_forbundId_year_number_key" ON "Matter"("forbundId", "year", "number");

-- CreateIndex
CREATE INDEX "AgendaItem_meetingId_number_idx" ON "AgendaItem"("meetingId", "number");

-- CreateIndex
CREATE INDEX "AgendaItem_matterId_idx" ON "AgendaItem"("matterId");

-- CreateIndex
CREATE UNIQUE INDEX "Attendance_meetingId_personId_key" ON "Attendance"("meetingId", "personId");

-- AddForeignKey
ALTER TABLE "Matter" ADD CONSTRAINT "Matter_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Matter" ADD CONSTRAINT "Matter_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_matterId_fkey" FOREIGN KEY ("matterId") REFERENCES "Matter"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
