-- CreateTable
CREATE TABLE "SieImport" (
    "id" TEXT NOT NULL,
    "forbundId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readBy" TEXT NOT NULL,
    "facts" JSONB NOT NULL,

    CONSTRAINT "SieImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SieImport_forbundId_year_readAt_idx" ON "SieImport"("forbundId", "year", "readAt");

-- AddForeignKey
ALTER TABLE "SieImport" ADD CONSTRAINT "SieImport_forbundId_fkey" FOREIGN KEY ("forbundId") REFERENCES "Forbund"("id") ON DELETE CASCADE ON UPDATE CASCADE;
