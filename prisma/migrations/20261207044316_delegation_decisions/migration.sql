-- CreateTable
CREATE TABLE "DelegationDecision" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "decidedOn" DATE NOT NULL,
    "deciderName" TEXT NOT NULL,
    "deciderTitle" TEXT NOT NULL,
    "delegationPoint" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "matterId" TEXT,
    "reportedAtItemId" TEXT,
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DelegationDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DelegationDecision_forbundId_decidedOn_idx" ON "DelegationDecision"("forbundId", "decidedOn");

-- CreateIndex
CREATE INDEX "DelegationDecision_reportedAtItemId_idx" ON "DelegationDecision"("reportedAtItemId");

-- AddForeignKey
ALTER TABLE "DelegationDecision" ADD CONSTRAINT "DelegationDecision_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;
