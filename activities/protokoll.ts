// Activities of the protokoll's record: närvaro and each §'s record (jäv and who serves instead,
// reservationer, protokollsanteckningar, omröstning), stored in the meeting's transaction.
import { validateNarvaro, validateParagraphRecord, type Narvaro, type ParagraphRecord } from '../domain/protokoll.js';
import { audit } from '../services/audit.js';
import { meetingDate } from '../services/arscykel.js';
import { keyedRosterOf } from '../services/protokoll.js';
import type { Prisma } from '../prisma/db.js';
import type { NarvaroInput, ParagraphRecordInput } from '../domain/protokoll.js';
import type { ActivityDeps } from './deps.js';
import { invalid, mayStill } from './styrelse.js';

export function protocolActivities(deps: ActivityDeps) {
  const { prisma } = deps;

  async function saveNarvaro(input: { now: number; meetingId: string; actor: string; narvaro: NarvaroInput }): Promise<Narvaro> {
    return prisma.$transaction(async (tx) => {
      const m = await mayStill(tx, input.meetingId, 'recordDecision', input.now);
      const roster = await keyedRosterOf(tx, m.forbundId, meetingDate(m));
      const r = validateNarvaro(roster, input.narvaro);
      if (!r.ok) throw invalid(r.errors);
      await tx.meeting.update({ where: { id: m.id }, data: { narvaro: r.value as unknown as Prisma.InputJsonValue } });
      await audit(tx, {
        forbundId: m.forbundId,
        actor: input.actor,
        action: 'narvaro.recorded',
        entityType: 'meeting',
        entityId: m.id,
        data: { beslutande: r.value.board.filter((p) => p.role === 'beslutande').map((p) => p.personId), tjanstgorande: r.value.board.filter((p) => p.role === 'tjanstgorande').map((p) => ({ personId: p.personId, for: p.forPersonId })), ersattare: r.value.board.filter((p) => p.role === 'ersattare').map((p) => p.personId), others: r.value.others.length },
      });
      return r.value;
    });
  }

  async function saveParagraphRecord(input: { now: number; meetingId: string; actor: string; itemId: string; record: ParagraphRecordInput }): Promise<ParagraphRecord> {
    return prisma.$transaction(async (tx) => {
      const m = await mayStill(tx, input.meetingId, 'recordDecision', input.now);
      const item = await tx.agendaItem.findFirst({ where: { id: input.itemId, meetingId: m.id }, include: { matter: true } });
      if (!item) throw invalid([{ field: 'itemId', problem: "no such item on this meeting's agenda" }]);
      const roster = await keyedRosterOf(tx, m.forbundId, meetingDate(m));
      const r = validateParagraphRecord(roster, (m.narvaro as Narvaro | null) ?? null, input.record);
      if (!r.ok) throw invalid(r.errors);
      await tx.agendaItem.update({ where: { id: item.id }, data: { record: r.value as unknown as Prisma.InputJsonValue } });
      await audit(tx, {
        forbundId: m.forbundId,
        actor: input.actor,
        action: 'paragraph.recorded',
        entityType: 'agendaItem',
        entityId: item.id,
        data: { meetingId: m.id, dnr: item.matter?.dnr ?? null, paragraph: item.paragraph, notTakingPart: r.value.notTakingPart, servingInstead: r.value.servingInstead, reservations: r.value.reservations.length, notes: r.value.notes.length, vote: !!r.value.vote },
      });
      return r.value;
    });
  }

  return { saveNarvaro, saveParagraphRecord };
}
