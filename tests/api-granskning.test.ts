// The review before publication over real HTTP (api/granskning.ts, services/granskning.ts): the
// coordinator submits through the link, the official reads the warnings and approves (with
// redactions) or sends back; the secretary reads but may not review; bad input is 400 naming the
// field, another förbund's report 404, a stale or repeated review 409 — and a refusal changes
// nothing (no row, no audit event, no workflow told, so no mail). The public page follows: nothing
// before approval, the redacted text after, nothing of a period not yet ended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { submissionLink } from '../services/links.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

const file = (slug: string) => `
forbund: { id: ${slug}, name: Samordningsförbundet ${slug}, email: kansli@${slug}.example, year: 2026 }
members:
  - { id: kumla, name: Kumla kommun, kind: municipality }
  - { id: regionen, name: Region Örebro län, kind: region }
  - { id: fk, name: Försäkringskassan, kind: forsakringskassan }
  - { id: af, name: Arbetsförmedlingen, kind: arbetsformedlingen }
people:
  - { id: official, name: Olga Tjänsteman, email: olga@${slug}.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@${slug}.example, roles: [secretary] }
  - { id: co, name: Klara Samordnare, email: klara@${slug}.example, roles: [coordinator] }
bodies: { styrelse: { members: [] } }
reporting:
  kinds:
    quarterly: { dueDays: 15 }
projects:
  - { id: pa-vag, name: På väg, huvudman: Kumla kommun, coordinator: co, start: 2026-01-01, end: 2027-12-31, goals: ["Minst 10 deltagare till arbete.", "Nätverk med arbetsgivare."], reports: [quarterly] }
cycle:
  meetings:
    - { id: styrelse-1, body: styrelse, date: 2026-12-10 }
`;

// Monday 7 December 2026, 11:00 in Stockholm: the third quarter has ended, the fourth has not.
const clock = { now: new Date('2026-12-07T10:00:00Z') };
const SECRET = 'r'.repeat(32);
const BASE = 'https://arscykel.example';
const TEXT = 'En deltagare, Anna från Kumla, fick jobb. Tre har gått till arbete, en till studier.';
const COMMENTS = ['Anna och en 25-åring fick jobb.', 'Tolv arbetsgivare.'];

let db: Database;
let served: { base: string; close(): Promise<void> };
const notifier = new RecordingNotifier();
const call = apiCaller(() => served.base);
const tokens = { admin: '', secretary: '', otherAdmin: '' };
let forbundId: string;
const ids = { q3: '', q4: '', q2: '' };

const P = (id: string) => `/api/v1/forbund/granska/obligations/${id}/review`;
const submitPath = (id: string) => `/api/v1/submissions/${id}${new URL(submissionLink(BASE, SECRET, id)).search}`;
const figures = (comments = COMMENTS) => ({ participants: { active: { women: 7, men: 5 }, toWork: { women: 2, men: 1 } }, goals: [{ women: 2, men: 1, comment: comments[0] }, { value: 12, comment: comments[1] }] });
const submit = (id: string, narrative = TEXT, comments = COMMENTS) => call(submitPath(id), { method: 'POST', json: { figures: figures(comments), narrative, submittedBy: 'Klara Samordnare' } });
const publicReport = async () => (await call('/api/v1/public/forbund/granska/reports')).json.projects[0];

/** What a refused request must leave as it was. */
const state = async () => ({
  audit: await db.prisma.auditEvent.count({ where: { forbundId } }),
  submissions: JSON.stringify(await db.prisma.submission.findMany({ where: { obligation: { project: { forbundId } } }, orderBy: [{ obligationId: 'asc' }, { version: 'asc' }] })),
  told: notifier.reportingCalls.length,
  obligations: JSON.stringify(await db.prisma.reportingObligation.findMany({ where: { project: { forbundId } }, orderBy: { id: 'asc' }, select: { id: true, status: true, lockedAt: true } })),
});

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(file('granska'), 'granska.yaml'), { actor: 'test' })).forbundId;
  const other = (await importForbund(db.prisma, parseForbundFile(file('annat'), 'annat.yaml'), { actor: 'test' })).forbundId;
  tokens.admin = await createApiToken(db.prisma, { forbundId, name: 'Olga Tjänsteman', role: 'admin' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId, name: 'Sixten Sekreterare', role: 'secretary' });
  tokens.otherAdmin = await createApiToken(db.prisma, { forbundId: other, name: 'Annan Tjänsteman', role: 'admin' });
  const ob = (end: string) => db.prisma.reportingObligation.findFirstOrThrow({ where: { project: { forbundId }, periodEnd: new Date(`${end}T00:00:00Z`) } });
  ids.q2 = (await ob('2026-06-30')).id;
  ids.q3 = (await ob('2026-09-30')).id;
  ids.q4 = (await ob('2026-12-31')).id;
  served = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: BASE, linkSecret: SECRET, now: () => clock.now }));
});

afterAll(async () => {
  await served?.close();
  await db?.close();
});

describe('the review of a submitted report', () => {
  it('a submitted report is not public; GET review shows its text, the warnings and that it waits (official and secretary)', async () => {
    expect((await submit(ids.q3)).status).toBe(201);
    expect(await publicReport()).toMatchObject({ key: 'pa-vag', report: null, noReport: 'none-submitted' });
    for (const token of [tokens.admin, tokens.secretary]) {
      const r = await call(P(ids.q3), { token });
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ kindName: 'kvartalsrapport', period: { start: '2026-07-01', end: '2026-09-30' }, reviewable: true, approved: null, latest: { version: 1, reviewStatus: 'pending', narrative: TEXT, comments: COMMENTS } });
      expect(r.json.warnings.map((w: Json) => [w.kind, w.text, w.where])).toEqual([
        ['name', 'Anna', { field: 'narrative' }],
        ['place', 'Kumla', { field: 'narrative' }],
        ['small-count', 'En deltagare', { field: 'narrative' }],
        ['small-count', 'en till studier', { field: 'narrative' }],
        ['name', 'Anna', { field: 'goal', goal: 1 }],
        ['age', '25-åring', { field: 'goal', goal: 1 }],
      ]);
      expect(r.json.warnings[0].sv).toMatch(/förnamn/);
    }
    // The admin API's versions carry the review too.
    const versions = await call(`/api/v1/forbund/granska/obligations/${ids.q3}/submissions`, { token: tokens.admin });
    expect(versions.json.data[0].review).toEqual({ status: 'pending', reviewedAt: null, reviewedBy: null, returnReason: null, publishedText: null });
  });

  it('each waiting report is a pending step of the official: "Granska … före publicering"', async () => {
    const steps = (await call('/api/v1/forbund/granska/pending-steps?limit=100', { token: tokens.admin })).json.data as Json[];
    const review = steps.filter((s) => s.type === 'review');
    expect(review).toHaveLength(1);
    expect(review[0]).toMatchObject({ id: ids.q3, title: 'Granska kvartalsrapport 2026-07-01–2026-09-30 från På väg före publicering (version 1)', waitingOn: { role: 'official', name: 'Olga Tjänsteman' }, links: { page: `/admin/rapporter/${ids.q3}#granskning` } });
  });

  it('refusals change nothing: 403 for the secretary, 400 naming the fields, 404 for another förbund\'s or an unknown report, 409 for a version not the latest', async () => {
    const before = await state();
    const post = (json: unknown, token = tokens.admin, id = ids.q3) => call(P(id), { token, method: 'POST', json });
    const secretary = await post({ version: 1, decision: 'approve' }, tokens.secretary);
    expect(secretary.status).toBe(403);
    const bad: [unknown, string[]][] = [
      [{}, ['version', 'decision']],
      [{ version: 1, decision: 'publish' }, ['decision']],
      [{ version: 0, decision: 'approve' }, ['version']],
      [{ version: 1, decision: 'approve', extra: 1 }, ['extra']],
      [{ version: 1, decision: 'return' }, ['reason']],
      [{ version: 1, decision: 'return', reason: '   ' }, ['reason']],
      [{ version: 1, decision: 'return', reason: 'Rätta.', narrative: 'x' }, ['narrative']],
      [{ version: 1, decision: 'approve', narrative: '  ' }, ['narrative']],
      [{ version: 1, decision: 'approve', comments: ['bara en'] }, ['comments']],
      [{ version: 1, decision: 'approve', comments: [null, 'Ring 19121212-1212'] }, ['comments[1]']],
      [{ version: 1, decision: 'approve', reason: 'Varför?' }, ['reason']],
    ];
    for (const [json, fields] of bad) {
      const r = await post(json);
      expect([JSON.stringify(json), r.status]).toEqual([JSON.stringify(json), 400]);
      expect(fieldsOf(r)).toEqual(fields);
    }
    const elsewhere = `/api/v1/forbund/annat/obligations/${ids.q3}/review`;
    expect((await call(elsewhere, { token: tokens.otherAdmin, method: 'POST', json: { version: 1, decision: 'approve' } })).status).toBe(404);
    expect((await call(elsewhere, { token: tokens.otherAdmin })).status).toBe(404);
    expect((await post({ version: 1, decision: 'approve' }, tokens.admin, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    // A report not submitted: nothing to review.
    expect((await post({ version: 1, decision: 'approve' }, tokens.admin, ids.q2)).status).toBe(404);
    const ahead = await post({ version: 2, decision: 'approve' });
    expect(ahead.status).toBe(409);
    expect(ahead.json.error).toMatchObject({ code: 'conflict', current: { version: 1, status: 'pending' } });
    expect(await state()).toEqual(before);
  });

  it('approve with redactions: the published text differs, the submitted text is kept, both in the audit event; the public page shows the redacted text; the same approval again changes nothing', async () => {
    const told = notifier.reportingCalls.length;
    const body = { version: 1, decision: 'approve', narrative: 'Färre än tre deltagare fick jobb. Tre har gått till arbete.', comments: ['Färre än tre fick jobb.', null] };
    const r = await call(P(ids.q3), { token: tokens.admin, method: 'POST', json: body });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ version: 1, reviewStatus: 'approved', changed: true, workflowNotified: null });
    expect(r.json.review).toMatchObject({ reviewable: false, approved: { version: 1, publishedOn: '2026-12-07', publicNow: true }, latest: { reviewedBy: 'Olga Tjänsteman', narrative: TEXT, publishedText: { narrative: body.narrative, comments: ['Färre än tre fick jobb.', null] } } });
    const row = await db.prisma.submission.findFirstOrThrow({ where: { obligationId: ids.q3 } });
    expect(row.narrative).toBe(TEXT);
    const events = await db.prisma.auditEvent.findMany({ where: { forbundId, action: { startsWith: 'report.approved' } } });
    expect(events.map((x) => x.action)).toEqual(['report.approved_redacted']);
    expect(events[0].data).toMatchObject({ version: 1, publishedFrom: '2026-12-07', submitted: { narrative: TEXT, comments: COMMENTS }, published: { narrative: body.narrative, comments: ['Färre än tre fick jobb.', null] } });
    expect(notifier.reportingCalls.length).toBe(told);

    const pub = await publicReport();
    expect(pub.report).toMatchObject({ kind: 'quarterly', narrative: body.narrative, published: '2026-12-07' });
    expect(pub.report.goals.map((g: Json) => g.comment)).toEqual(['Färre än tre fick jobb.', 'Tolv arbetsgivare.']);
    const page = await (await fetch(`${served.base}/forbund/granska/rapporter`)).text();
    expect(page).toContain('Färre än tre deltagare fick jobb.');
    // (Kumla kommun is the project's huvudman, which the page names; the text's "från Kumla" is gone.)
    expect(page).not.toMatch(/Anna|från Kumla|25-åring|en till studier/);

    const again = await call(P(ids.q3), { token: tokens.admin, method: 'POST', json: body });
    expect(again.status).toBe(200);
    expect(again.json.changed).toBe(false);
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: { startsWith: 'report.approved' } } })).toBe(1);
    // Another decision on a version already decided: 409, nothing changed.
    const before = await state();
    const other = await call(P(ids.q3), { token: tokens.admin, method: 'POST', json: { version: 1, decision: 'return', reason: 'Ändra.' } });
    expect(other.status).toBe(409);
    expect(other.json.error.current).toEqual({ version: 1, status: 'approved' });
    expect(await state()).toEqual(before);
    // The review step is gone.
    const steps = (await call('/api/v1/forbund/granska/pending-steps?limit=100', { token: tokens.admin })).json.data as Json[];
    expect(steps.filter((s) => s.type === 'review')).toEqual([]);
  });

  it('a correction waiting for review leaves the approved version public; reviewing the earlier version then is 409', async () => {
    const r = await submit(ids.q3, 'Rättad text, som väntar på granskning.', ['Rättad kommentar.', 'Tolv arbetsgivare.']);
    expect(r.json.version).toBe(2);
    expect((await publicReport()).report).toMatchObject({ narrative: 'Färre än tre deltagare fick jobb. Tre har gått till arbete.' });
    const before = await state();
    const stale = await call(P(ids.q3), { token: tokens.admin, method: 'POST', json: { version: 1, decision: 'approve' } });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toMatchObject({ code: 'conflict', current: { version: 2, status: 'pending' } });
    expect(await state()).toEqual(before);
  });

  it('send back: the reason is required and kept; the workflow is told (it mails the coordinator); the same return again tells nobody twice', async () => {
    const told = notifier.reportingCalls.length;
    const r = await call(P(ids.q3), { token: tokens.admin, method: 'POST', json: { version: 2, decision: 'return', reason: 'Skriv om kommentaren till mål 1.' } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ version: 2, reviewStatus: 'returned', changed: true, workflowNotified: true });
    expect(notifier.reportingCalls.slice(told)).toEqual([{ projectId: expect.any(String), reason: 'report returned for correction' }]);
    expect((await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'report.returned' } })).data).toMatchObject({ version: 2, reason: 'Skriv om kommentaren till mål 1.' });
    const again = await call(P(ids.q3), { token: tokens.admin, method: 'POST', json: { version: 2, decision: 'return', reason: 'Skriv om kommentaren till mål 1.' } });
    expect(again.json.changed).toBe(false);
    expect(notifier.reportingCalls.length).toBe(told + 1);
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: 'report.returned' } })).toBe(1);
    // The version 1 approved earlier stays public.
    expect((await publicReport()).report.narrative).toBe('Färre än tre deltagare fick jobb. Tre har gått till arbete.');
  });

  it('a report for a period not yet ended is not published even when approved; it is from the day after the period', async () => {
    const r = await submit(ids.q4, 'Fjärde kvartalet: arbetet fortsätter.', ['Arbetet fortsätter.', 'Fler arbetsgivare.']);
    expect(r.status).toBe(201);
    const ok = await call(P(ids.q4), { token: tokens.admin, method: 'POST', json: { version: 1, decision: 'approve' } });
    expect(ok.json.review.approved).toEqual({ version: 1, publishedOn: '2027-01-01', publicNow: false });
    // The third quarter's approved report is still the one shown.
    expect((await publicReport()).report).toMatchObject({ period: { end: '2026-09-30' } });
    expect(await (await fetch(`${served.base}/forbund/granska/rapporter`)).text()).not.toContain('Fjärde kvartalet');
    clock.now = new Date('2026-12-31T22:59:00Z');
    expect((await publicReport()).report.period.end).toBe('2026-09-30');
    clock.now = new Date('2026-12-31T23:00:00Z'); // 1 January 2027, 00:00 in Stockholm
    expect((await publicReport()).report).toMatchObject({ period: { end: '2026-12-31' }, narrative: 'Fjärde kvartalet: arbetet fortsätter.', published: '2027-01-01' });
    clock.now = new Date('2026-12-07T10:00:00Z');
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await call('/api/v1/openapi.json')).json;
    const path = doc.paths['/api/v1/forbund/{forbund}/obligations/{id}/review'];
    expect(Object.keys(path).sort()).toEqual(['get', 'post']);
    expect(path.post.requestBody.content['application/json'].schema.required).toEqual(['version', 'decision']);
  });
});
