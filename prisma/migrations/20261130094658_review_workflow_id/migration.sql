-- AlterTable
ALTER TABLE "ForecastReview" ADD COLUMN     "workflowId" TEXT;
