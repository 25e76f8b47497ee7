-- AlterTable
ALTER TABLE "Attendance" ADD COLUMN     "kallelseAt" TIMESTAMP(3),
ADD COLUMN     "replacedBy" TEXT;
