-- AlterTable
ALTER TABLE "AgendaItem" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Submission" ADD COLUMN     "formKey" TEXT;

-- CreateTable
CREATE TABLE "LinkGeneration" (
    "purpose" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "generation" INTEGER NOT NULL,
    "renewedAt" TIMESTAMP(3) NOT NULL,
    "renewedBy" TEXT NOT NULL,

    CONSTRAINT "LinkGeneration_pkey" PRIMARY KEY ("purpose")
);

-- CreateTable
CREATE TABLE "IdempotentWrite" (
    "id" TEXT NOT NULL,
    "caller" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "response" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotentWrite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OidcLogin" (
    "id" TEXT NOT NULL,
    "stateHash" TEXT NOT NULL,
    "browserHash" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "codeVerifier" TEXT NOT NULL,
    "returnTo" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "OidcLogin_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LinkGeneration_forbundId_idx" ON "LinkGeneration"("forbundId");

-- CreateIndex
CREATE INDEX "IdempotentWrite_createdAt_idx" ON "IdempotentWrite"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "IdempotentWrite_caller_key_key" ON "IdempotentWrite"("caller", "key");

-- CreateIndex
CREATE UNIQUE INDEX "OidcLogin_stateHash_key" ON "OidcLogin"("stateHash");

-- CreateIndex
CREATE INDEX "OidcLogin_expiresAt_idx" ON "OidcLogin"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Submission_obligationId_formKey_key" ON "Submission"("obligationId", "formKey");

-- AddForeignKey
ALTER TABLE "LinkGeneration" ADD CONSTRAINT "LinkGeneration_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;
