-- CreateIndex
CREATE INDEX "Meeting_forMeetingId_idx" ON "Meeting"("forMeetingId");
