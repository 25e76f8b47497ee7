// A report sent back by the förbundschef reaches its coordinator as a correction, end to end on
// Temporal's time-skipping test server (production worker, the real reporting activity, the
// database and an SMTP peer): the coordinator submits through the link (the receipt says what
// will be public and when), the official sees the warnings and sends it back with a reason
// (services/granskning.ts, as POST obligations/:id/review does), the project's workflow is told
// and mails the coordinator once — the reason, the report's name and period, the link — and the
// correction through that link is a new version, pending again, public only once approved.
import { describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { importForbund } from '../services/import.js';
import { returnedKey } from '../services/rapportering.js';
import { submissionLink } from '../services/links.js';
import { apiCaller, serve } from './support/http.js';
import { keyOf, toOf } from './support/mails.js';
import { advanceTo, eventually, workflowTestBed, type WorkflowTestBed } from './support/temporal.js';

const LINK_SECRET = 'g'.repeat(32);

// A quarterly report for April–June 2037, due 15 July; the förbund went live 1 March.
const FILE = `
forbund:
  id: granskning
  name: Samordningsförbundet Granskning
  email: kansli@granskning.example
  year: 2037
  goLive: 2037-03-01
members:
  - { id: kumla, name: Kumla kommun, kind: municipality }
  - { id: regionen, name: Region Örebro län, kind: region }
  - { id: fk, name: Försäkringskassan, kind: forsakringskassan }
  - { id: af, name: Arbetsförmedlingen, kind: arbetsformedlingen }
people:
  - { id: official, name: Örjan Tjänsteman, email: official@granskning.example, roles: [official] }
  - { id: secretary, name: Sara Sekreterare, email: secretary@granskning.example, roles: [secretary] }
  - { id: co, name: Åsa Samordnare, email: asa@granskning.example, roles: [coordinator] }
bodies:
  styrelse: { members: [] }
reporting:
  kinds:
    quarterly: { dueDays: 15 }
  reminders: [3]
  overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 }
projects:
  - { id: steg, name: Steg framåt, coordinator: co, start: 2037-04-01, end: 2037-12-31, reports: [quarterly] }
cycle:
  meetings: []
`;

const START = '2037-07-02T08:00:00.000Z';
const TEXT = 'En deltagare, Anna från Kumla, fick jobb. Tre har gått till arbete, en till studier.';
const REASON = 'Ta bort namnet och orten, och skriv "färre än tre" i stället för en.';

let bed: WorkflowTestBed;
workflowTestBed({ linkSecret: LINK_SECRET }, (b) => (bed = b));

describe('a report sent back for correction', () => {
  it('mails the coordinator the reason and the link once; the correction is a new version waiting for review, public only once approved', async () => {
    const prisma = bed.db.prisma;
    const { forbundId } = await importForbund(prisma, parseForbundFile(FILE, 'granskning.yaml'), { actor: 'test' });
    const project = await prisma.project.findFirstOrThrow({ where: { forbundId, key: 'steg' }, include: { obligations: { orderBy: { periodEnd: 'asc' } } } });
    const [q2] = project.obligations;
    await advanceTo(bed.env, START);
    expect(await bed.notifier.reportingChanged(project.id, 'start')).toBe(true);
    // The workflow settles on its plan (the next reminder, 12 July) before the coordinator acts;
    // every write below happens at this instant, so each step it plans is due at once.
    await advanceTo(bed.env, '2037-07-02T09:00:00.000Z');
    const at = new Date(await bed.env.currentTimeMs());
    const admin = await createApiToken(prisma, { forbundId, name: 'Örjan Tjänsteman', role: 'admin' });
    const served = await serve(createApp({ prisma, notifier: bed.notifier, publicBaseUrl: 'http://localhost:3000', linkSecret: LINK_SECRET, now: () => at }));
    const call = apiCaller(() => served.base);
    // A change kept in the outbox (a signal past its deadline on a busy machine) is delivered, as the worker does.
    const tick = () => bed.notifier.deliverPending();
    try {
      // The coordinator submits through the report's link (the one every reminder carries).
      const link = new URL(submissionLink('http://localhost:3000', LINK_SECRET, q2.id));
      const api = `/api/v1/submissions/${q2.id}${link.search}`;
      const first = await call(api, { method: 'POST', json: { figures: { participants: { active: { women: 7, men: 5 } } }, narrative: TEXT, submittedBy: 'Åsa Samordnare' } });
      expect(first.status).toBe(201);
      await tick();
      const receipt = await eventually(() => bed.smtp.messages.find((m) => keyOf(m) === `receipt:${first.json.id}`) ?? Promise.reject(new Error('no receipt yet')), 30_000);
      expect(receipt.text).toContain('publiceras på förbundets webbplats när förbundschefen har granskat rapporten, tidigast 1 juli 2037');
      expect(receipt.text).toContain('Förbundschefen läser texten först och kan stryka det som kan peka ut en deltagare.');

      // Nothing public while it waits.
      expect((await call('/api/v1/public/forbund/granskning/reports')).json.projects[0]).toMatchObject({ key: 'steg', report: null, noReport: 'none-submitted' });

      // The official reads the warnings and sends it back.
      const P = `/api/v1/forbund/granskning/obligations/${q2.id}/review`;
      const review = await call(P, { token: admin });
      expect(review.status).toBe(200);
      expect(review.json.warnings.map((w: { kind: string; text: string }) => [w.kind, w.text])).toEqual([
        ['name', 'Anna'],
        ['place', 'Kumla'],
        ['small-count', 'En deltagare'],
        ['small-count', 'en till studier'],
      ]);
      const back = await call(P, { token: admin, method: 'POST', json: { version: 1, decision: 'return', reason: REASON } });
      expect(back.status).toBe(200);
      expect(back.json).toMatchObject({ version: 1, reviewStatus: 'returned', changed: true, workflowNotified: true });

      // The workflow mails the coordinator: the reason, the report, the period, the link.
      await tick();
      const key = returnedKey(first.json.id);
      const mail = await eventually(() => bed.smtp.messages.find((m) => keyOf(m) === key) ?? Promise.reject(new Error('no mail yet')), 30_000);
      expect(toOf(mail)).toEqual(['asa@granskning.example']);
      expect(mail.subject).toBe('Rätta rapporten: kvartalsrapport för ”Steg framåt” – Samordningsförbundet Granskning');
      expect(mail.text).toContain('Hej Åsa Samordnare,');
      expect(mail.text).toContain('Örjan Tjänsteman, förbundschef, har granskat kvartalsrapporten för insatsen ”Steg framåt” (perioden 1 april–30 juni 2037, version 1)');
      expect(mail.text).toContain(REASON);
      expect(mail.text).toContain(`http://localhost:3000/submit/${q2.id}?token=`);
      expect(mail.text).not.toMatch(/\b(official|coordinator|admin|returned)\b/);
      // The same decision again: nothing more (no second audit event, no second mail).
      const again = await call(P, { token: admin, method: 'POST', json: { version: 1, decision: 'return', reason: REASON } });
      expect(again.json).toMatchObject({ changed: false });
      expect(await prisma.auditEvent.count({ where: { action: 'report.returned', entityId: q2.id } })).toBe(1);

      // The coordinator's form shows the reason; the correction is version 2, pending again.
      const form = await fetch(`${served.base}${link.pathname}${link.search}`);
      expect(await form.text()).toContain('Förbundschefen har skickat tillbaka rapporten för rättelse');
      const corrected = 'Färre än tre deltagare har gått till studier och tre till arbete.';
      const second = await call(api, { method: 'POST', json: { figures: { participants: { active: { women: 7, men: 5 } } }, narrative: corrected, submittedBy: 'Åsa Samordnare' } });
      expect(second.status).toBe(201);
      expect(second.json.version).toBe(2);
      expect((await prisma.submission.findUniqueOrThrow({ where: { id: second.json.id } })).reviewStatus).toBe('pending');
      await tick();
      await eventually(() => bed.smtp.messages.find((m) => keyOf(m) === `receipt:${second.json.id}`) ?? Promise.reject(new Error('no second receipt yet')), 30_000);
      expect((await call('/api/v1/public/forbund/granskning/reports')).json.projects[0].report).toBeNull();
      // Reviewing version 1 now is stale: 409, naming the version that is current.
      const stale = await call(P, { token: admin, method: 'POST', json: { version: 1, decision: 'approve' } });
      expect(stale.status).toBe(409);
      expect(stale.json.error).toMatchObject({ code: 'conflict', current: { version: 2, status: 'pending' } });

      const ok = await call(P, { token: admin, method: 'POST', json: { version: 2, decision: 'approve' } });
      expect(ok.json).toMatchObject({ version: 2, reviewStatus: 'approved', changed: true });
      const pub = (await call('/api/v1/public/forbund/granskning/reports')).json.projects[0].report;
      expect([pub.narrative, pub.published]).toEqual([corrected, '2037-07-02']);
      // One mail of the return, ever.
      await advanceTo(bed.env, '2037-07-03T08:00:00.000Z');
      expect(bed.smtp.messages.filter((m) => keyOf(m) === key)).toHaveLength(1);
    } finally {
      await served.close();
    }
  }, 180_000);
});
