-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('sending', 'sent', 'failed');

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "claimToken" TEXT,
ADD COLUMN     "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "error" TEXT,
ADD COLUMN     "rejected" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "resolvedAt" TIMESTAMP(3),
ADD COLUMN     "status" "NotificationStatus" NOT NULL DEFAULT 'sent',
ALTER COLUMN "sentAt" DROP NOT NULL,
ALTER COLUMN "sentAt" DROP DEFAULT;

-- CreateTable
CREATE TABLE "WorkflowSignal" (
    "id" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "year" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "WorkflowSignal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WorkflowSignal_createdAt_idx" ON "WorkflowSignal"("createdAt");

-- CreateIndex
CREATE INDEX "Notification_forbundId_status_idx" ON "Notification"("forbundId", "status");
