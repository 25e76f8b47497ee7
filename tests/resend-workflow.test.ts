// A failed delivery fixed where it is shown, end to end on Temporal's time-skipping test server
// (production worker, real activities, database and SMTP peer): the coordinator's address is
// refused (550), the 14-day reminder is recorded as failed; the official corrects the address
// and sends it again (services/obligations.ts resendDelivery, as POST deliveries/:id/resend and
// the start page do). The failure is removed, the project's workflow is told, runs the step again
// and the reminder reaches the new address once; the later reminders follow to it.
import { describe, expect, it } from 'vitest';
import { parseForbundFile } from '../domain/forbund-file.js';
import { importForbund } from '../services/import.js';
import { deliveryRepair, resendDelivery } from '../services/obligations.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { keyOf, toOf } from './support/mails.js';
import { advanceTo, eventually, workflowTestBed, type WorkflowTestBed } from './support/temporal.js';

const LINK_SECRET = 'x'.repeat(32);

// A half-year report (1 Jan – 30 Jun 2037) due Friday 31 July 2037; the förbund went live 1 June.
const FILE = `
forbund:
  id: omsandning
  name: Samordningsförbundet Omsändning
  email: kansli@omsandning.example
  year: 2037
  goLive: 2037-06-01
${MEMBERS_YAML}
people:
  - { id: official, name: Örjan Tjänsteman, email: official@omsandning.example, roles: [official] }
  - { id: secretary, name: Sara Sekreterare, email: secretary@omsandning.example, roles: [secretary] }
  - { id: co-a, name: Åsa Felskriven, email: asa@omsandning.exmaple, roles: [coordinator] }
bodies:
  styrelse: { members: [] }
reporting:
  kinds:
    halfYear: { dueDays: 31 }
  reminders: [14, 3, 0]
  overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 }
projects:
  - { id: halvar, name: Halvåret, coordinator: co-a, start: 2037-01-01, end: 2037-12-31, reports: [halfYear] }
cycle:
  meetings: []
`;

const START = '2037-06-02T10:00:00.000Z';
const REMINDER_14 = '2037-07-17T06:00:00.000Z'; // Fri, 14 days before Fri 31 July, 08:00
const REMINDER_3 = '2037-07-28T06:00:00.000Z'; // Tue
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const MINUTE = 60_000;
const OLD = 'asa@omsandning.exmaple';
const NEW = 'asa@omsandning.example';

let bed: WorkflowTestBed;
workflowTestBed({ linkSecret: LINK_SECRET }, (b) => (bed = b));

describe('a failed reminder, its address corrected and sent again', () => {
  it('reaches the new address once, from the workflow that owns it; the later reminders go there too', async () => {
    const prisma = bed.db.prisma;
    const { forbundId } = await importForbund(prisma, parseForbundFile(FILE, 'omsandning.yaml'), { actor: 'test' });
    const project = await prisma.project.findFirstOrThrow({ where: { forbundId, key: 'halvar' }, include: { obligations: true } });
    const [o] = project.obligations;
    const key = `report:${o.id}:2037-07-31:reminder-14`;
    bed.smtp.refuse.add(OLD);
    await advanceTo(bed.env, START);
    expect(await bed.notifier.reportingChanged(project.id, 'start')).toBe(true);

    await advanceTo(bed.env, plus(REMINDER_14, MINUTE));
    const failed = await eventually(() => prisma.notification.findFirstOrThrow({ where: { key, status: 'failed' } }));
    expect(failed.recipients).toEqual([OLD]);
    expect(failed.error).toMatch(/550.*no such user/);
    expect(bed.smtp.messages.filter((m) => keyOf(m) === key)).toEqual([]);

    // The official sees it can be sent again, corrects the address and sends it.
    const now = async () => new Date(await bed.env.currentTimeMs());
    const at = await now();
    const deps = { prisma, notifier: bed.notifier, now: () => at };
    const repair = await deliveryRepair(deps, { forbundId, id: failed.id });
    expect(repair).toMatchObject({ resendable: true, owner: { kind: 'reporting', projectId: project.id }, recipients: [{ email: OLD, people: [{ key: 'co-a', name: 'Åsa Felskriven' }] }] });
    const r = await resendDelivery(deps, { forbundId, id: failed.id, email: NEW, actor: 'token:test Örjan Tjänsteman (admin)' });
    expect(r).toMatchObject({ corrected: { from: OLD, to: NEW }, workflowNotified: true });

    // The workflow re-plans at once: the step is due and runs again, to the corrected address.
    const resent = await eventually(() => {
      const m = bed.smtp.messages.filter((x) => keyOf(x) === key);
      expect(m).toHaveLength(1);
      return m[0];
    }, 20_000);
    expect(toOf(resent)).toEqual([NEW]);
    expect(resent.subject).toBe('Påminnelse: halvårsrapport för ”Halvåret” ska lämnas senast 31 juli 2037 – Samordningsförbundet Omsändning');
    await eventually(async () => expect(await prisma.notification.findUniqueOrThrow({ where: { key } })).toMatchObject({ status: 'sent', recipients: [NEW] }));
    expect(await prisma.auditEvent.count({ where: { forbundId, action: 'delivery.resent', entityId: failed.id } })).toBe(1);

    // Sent once: the next reminder goes to the new address, and the 14-day one is not sent again.
    await advanceTo(bed.env, plus(REMINDER_3, MINUTE));
    await eventually(() => expect(bed.smtp.messages.filter((x) => keyOf(x) === `report:${o.id}:2037-07-31:reminder-3`)).toHaveLength(1), 20_000);
    expect(bed.smtp.messages.filter((x) => keyOf(x) === key)).toHaveLength(1);
    expect(bed.smtp.messages.filter((x) => keyOf(x).startsWith(`report:${o.id}:`)).map((x) => toOf(x))).toEqual([[NEW], [NEW]]);
    expect(bed.smtp.envelopes.flatMap((e) => e.to)).not.toContain(OLD);
    // A second resend of the same failure: it is gone.
    await expect(resendDelivery({ ...deps, now: () => new Date() }, { forbundId, id: failed.id, actor: 'test' })).rejects.toMatchObject({ status: 404 });
  }, 120_000);
});
