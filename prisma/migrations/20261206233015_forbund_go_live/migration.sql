-- AlterTable
ALTER TABLE "Forbund" ADD COLUMN     "goLiveOn" DATE;
