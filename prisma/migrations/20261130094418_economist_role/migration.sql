-- AlterEnum
ALTER TYPE "ApiRole" ADD VALUE 'economist';
