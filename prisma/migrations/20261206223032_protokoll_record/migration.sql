-- AlterTable
ALTER TABLE "AgendaItem" ADD COLUMN     "proposal" TEXT,
ADD COLUMN     "record" JSONB;

-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "anslagPostedAt" TIMESTAMP(3),
ADD COLUMN     "anslagRemovedOn" DATE,
ADD COLUMN     "justerare2" TEXT,
ADD COLUMN     "justeringPlace" TEXT,
ADD COLUMN     "narvaro" JSONB,
ADD COLUMN     "protocolSha256" TEXT;

-- CreateTable
CREATE TABLE "Signature" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL,
    "fromAddress" TEXT NOT NULL,
    "userAgent" TEXT NOT NULL DEFAULT '',
    "pdfSha256" TEXT NOT NULL,

    CONSTRAINT "Signature_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProtocolDocument" (
    "meetingId" TEXT NOT NULL,
    "pdf" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProtocolDocument_pkey" PRIMARY KEY ("meetingId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Signature_meetingId_personId_key" ON "Signature"("meetingId", "personId");

-- AddForeignKey
ALTER TABLE "Signature" ADD CONSTRAINT "Signature_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProtocolDocument" ADD CONSTRAINT "ProtocolDocument_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;
