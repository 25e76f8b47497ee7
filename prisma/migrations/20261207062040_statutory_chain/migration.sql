-- AlterTable
ALTER TABLE "BudgetYear" ADD COLUMN     "adoptedAt" TIMESTAMP(3),
ADD COLUMN     "adoptedBy" TEXT,
ADD COLUMN     "revisions" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "Matter" ADD COLUMN     "funding" JSONB;

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "appointedBy" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "conditionMetBy" TEXT,
ADD COLUMN     "conditionMetOn" DATE,
ADD COLUMN     "startCondition" TEXT;

-- CreateTable
CREATE TABLE "StatutoryReport" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "matterId" TEXT,
    "adoptedAt" TIMESTAMP(3),
    "adoptedBy" TEXT,
    "meetingId" TEXT,
    "sentToAuditorsAt" TIMESTAMP(3),
    "auditReportOn" DATE,
    "auditDocumentId" TEXT,
    "auditRegisteredAt" TIMESTAMP(3),
    "auditRegisteredBy" TEXT,
    "sentToMembersAt" TIMESTAMP(3),
    "replyBy" DATE,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StatutoryReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberDischarge" (
    "id" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "outcome" TEXT,
    "decidedOn" DATE,
    "reference" TEXT,
    "recordedAt" TIMESTAMP(3),
    "recordedBy" TEXT,
    "reminders" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "refusalMatterId" TEXT,

    CONSTRAINT "MemberDischarge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetConsultation" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "replyBy" DATE NOT NULL,
    "repliedOn" DATE,
    "reply" TEXT,
    "recordedAt" TIMESTAMP(3),
    "recordedBy" TEXT,
    "reminders" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "BudgetConsultation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StatutoryReport_matterId_key" ON "StatutoryReport"("matterId");

-- CreateIndex
CREATE UNIQUE INDEX "StatutoryReport_forbundId_year_kind_key" ON "StatutoryReport"("forbundId", "year", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "MemberDischarge_reportId_memberId_key" ON "MemberDischarge"("reportId", "memberId");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetConsultation_forbundId_year_memberId_key" ON "BudgetConsultation"("forbundId", "year", "memberId");

-- AddForeignKey
ALTER TABLE "StatutoryReport" ADD CONSTRAINT "StatutoryReport_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberDischarge" ADD CONSTRAINT "MemberDischarge_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "StatutoryReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberDischarge" ADD CONSTRAINT "MemberDischarge_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetConsultation" ADD CONSTRAINT "BudgetConsultation_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetConsultation" ADD CONSTRAINT "BudgetConsultation_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
