-- CreateEnum
CREATE TYPE "MemberKind" AS ENUM ('municipality', 'region', 'forsakringskassan', 'arbetsformedlingen');

-- CreateEnum
CREATE TYPE "BodyKind" AS ENUM ('styrelse', 'presidium', 'beredningsgrupp');

-- CreateEnum
CREATE TYPE "ProjectStatus" AS ENUM ('active', 'withdrawn');

-- CreateEnum
CREATE TYPE "ReportKind" AS ENUM ('quarterly', 'halfYear', 'annual', 'final', 'financial');

-- CreateEnum
CREATE TYPE "ObligationStatus" AS ENUM ('open', 'submitted', 'withdrawn');

-- CreateEnum
CREATE TYPE "ApiRole" AS ENUM ('admin', 'secretary', 'board_member');

-- CreateEnum
CREATE TYPE "MeetingKind" AS ENUM ('styrelse', 'presidium', 'beredningsgrupp', 'beredning', 'planning_day');

-- CreateEnum
CREATE TYPE "MeetingStatus" AS ENUM ('planned', 'cancelled');

-- CreateEnum
CREATE TYPE "MilestoneStatus" AS ENUM ('open', 'done');

-- CreateTable
CREATE TABLE "Forbund" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "organisationNumber" TEXT,
    "email" TEXT NOT NULL,
    "reportingPolicy" JSONB NOT NULL,
    "cycleSettings" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Forbund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "MemberKind" NOT NULL,
    "sharePercent" DECIMAL(5,2),
    "contribution" INTEGER,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "roles" TEXT[],

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Body" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "kind" "BodyKind" NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Body_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BodyMembership" (
    "id" TEXT NOT NULL,
    "bodyId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "memberId" TEXT,

    CONSTRAINT "BodyMembership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "dnr" TEXT,
    "huvudman" TEXT NOT NULL,
    "coordinatorId" TEXT NOT NULL,
    "startDate" DATE NOT NULL,
    "endDate" DATE NOT NULL,
    "grants" JSONB NOT NULL,
    "goals" TEXT[],
    "reportKinds" "ReportKind"[],
    "status" "ProjectStatus" NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportingObligation" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "kind" "ReportKind" NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "dueDate" DATE NOT NULL,
    "status" "ObligationStatus" NOT NULL DEFAULT 'open',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReportingObligation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Submission" (
    "id" TEXT NOT NULL,
    "obligationId" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "late" BOOLEAN NOT NULL,
    "figures" JSONB NOT NULL,
    "narrative" TEXT NOT NULL,
    "submittedBy" TEXT,

    CONSTRAINT "Submission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipients" TEXT[],
    "subject" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "ApiRole" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "personId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Escalation" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "raisedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "Escalation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CycleYear" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "calendarAdoptedAt" TIMESTAMP(3),
    "calendarAdoptedBy" TEXT,

    CONSTRAINT "CycleYear_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "MeetingKind" NOT NULL,
    "title" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "location" TEXT,
    "forMeetingId" TEXT,
    "status" "MeetingStatus" NOT NULL DEFAULT 'planned',
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Milestone" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "dueDate" DATE NOT NULL,
    "owner" TEXT NOT NULL,
    "meetingId" TEXT,
    "status" "MilestoneStatus" NOT NULL DEFAULT 'open',
    "doneAt" TIMESTAMP(3),
    "doneBy" TEXT,

    CONSTRAINT "Milestone_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Forbund_slug_key" ON "Forbund"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Member_forbundId_key_key" ON "Member"("forbundId", "key");

-- CreateIndex
CREATE INDEX "Person_forbundId_email_idx" ON "Person"("forbundId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Person_forbundId_key_key" ON "Person"("forbundId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Body_forbundId_kind_key" ON "Body"("forbundId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "BodyMembership_bodyId_personId_key" ON "BodyMembership"("bodyId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "Project_forbundId_key_key" ON "Project"("forbundId", "key");

-- CreateIndex
CREATE INDEX "ReportingObligation_status_dueDate_idx" ON "ReportingObligation"("status", "dueDate");

-- CreateIndex
CREATE UNIQUE INDEX "ReportingObligation_projectId_kind_periodEnd_key" ON "ReportingObligation"("projectId", "kind", "periodEnd");

-- CreateIndex
CREATE INDEX "Submission_obligationId_idx" ON "Submission"("obligationId");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_key_key" ON "Notification"("key");

-- CreateIndex
CREATE INDEX "Notification_forbundId_sentAt_idx" ON "Notification"("forbundId", "sentAt");

-- CreateIndex
CREATE INDEX "AuditEvent_forbundId_at_idx" ON "AuditEvent"("forbundId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "Escalation_forbundId_key_key" ON "Escalation"("forbundId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "CycleYear_forbundId_year_key" ON "CycleYear"("forbundId", "year");

-- CreateIndex
CREATE INDEX "Meeting_forbundId_startsAt_idx" ON "Meeting"("forbundId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_forbundId_year_key_key" ON "Meeting"("forbundId", "year", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Milestone_forbundId_year_kind_key" ON "Milestone"("forbundId", "year", "kind");

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Body" ADD CONSTRAINT "Body_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BodyMembership" ADD CONSTRAINT "BodyMembership_bodyId_fkey" FOREIGN KEY ("bodyId") REFERENCES "Body"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BodyMembership" ADD CONSTRAINT "BodyMembership_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BodyMembership" ADD CONSTRAINT "BodyMembership_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_coordinatorId_fkey" FOREIGN KEY ("coordinatorId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportingObligation" ADD CONSTRAINT "ReportingObligation_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Submission" ADD CONSTRAINT "Submission_obligationId_fkey" FOREIGN KEY ("obligationId") REFERENCES "ReportingObligation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Escalation" ADD CONSTRAINT "Escalation_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CycleYear" ADD CONSTRAINT "CycleYear_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_forMeetingId_fkey" FOREIGN KEY ("forMeetingId") REFERENCES "Meeting"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Milestone" ADD CONSTRAINT "Milestone_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Milestone" ADD CONSTRAINT "Milestone_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE SET NULL ON UPDATE CASCADE;
