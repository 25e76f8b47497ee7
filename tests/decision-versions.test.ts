// The hostile hour's parallel decisions: a decision is written only over the version its writer
// read. Twenty PUTs of one agenda item's decision at once, each naming the version read, over HTTP
// to the meeting's workflow on Temporal's test server (the production worker, real activities, a
// real database): one is stored, nineteen are told 409 with what is stored now; the secretary's
// page shows the conflict with both texts and changes nothing.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { createActivities } from '../activities/index.js';
import { createMailer } from '../activities/mail.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { notifyBoardMeetings } from '../services/styrelse.js';
import { pagePerson, sessionCookie } from './support/browser.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import { advanceTo, eventually, runWorker, SEARCH_ATTRIBUTES_ON, TASK_QUEUE, testNotifier, timeSkippingServer, type RunningWorker, type TestWorkflowEnvironment } from './support/temporal.js';

const LINK_SECRET = 'v'.repeat(32);
const PUBLIC_BASE = 'http://arscykel.test';
const S = '/api/v1/forbund/sydnarke';

let db: Database;
let smtp: TestSmtpServer;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let server: { base: string; close(): Promise<void> };
let forbundId: string;
let clock = new Date('2037-01-05T09:00:00Z');
let secretary = '';
const call = apiCaller(() => server.base);

async function to(iso: string) {
  await advanceTo(env, iso);
  clock = new Date(await env.currentTimeMs());
}

beforeAll(async () => {
  [db, smtp] = await Promise.all([testDatabase(), startSmtpServer()]);
  env = await timeSkippingServer();
  const notifier = testNotifier(db.prisma);
  notifier.connect(env.client, TASK_QUEUE);
  worker = await runWorker(env, { prisma: db.prisma, mailer: createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} }), publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, searchAttributes: SEARCH_ATTRIBUTES_ON, notifier });
  await to('2037-01-05T09:00:00Z');
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2037, actor: 'test' })).forbundId;
  secretary = await createApiToken(db.prisma, { forbundId, name: 'Sekreteraren', role: 'secretary' });
  // Room for all twenty at once (the default lets 8 run and queues the rest).
  server = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => clock, guards: { inFlight: 40 } }));
  expect(await notifyBoardMeetings(db.prisma, notifier, forbundId, 'förbund file imported', clock)).toBe(true);
  // The February board has been held: its decisions may be recorded.
  await to('2037-03-02T09:00:00Z');
}, 180_000);

afterAll(async () => {
  await server?.close();
  await worker?.stop();
  await env?.teardown();
  await Promise.all([db?.close(), smtp?.close()]);
});

const february = async (): Promise<Json> => {
  const list = (await call(`${S}/meetings?year=2037`, { token: secretary })).json.data as Json[];
  return (await call(`${S}/meetings/${list.find((m) => m.key === 'styrelse-02').id}`, { token: secretary })).json;
};

describe('a decision is written only over the version its writer read', () => {
  it('twenty parallel PUTs naming the same version: one is stored, nineteen get 409 with the current decision; one audit event; the next version is taken', async () => {
    const feb = await eventually(async () => {
      const m = await february();
      expect(m.meetingState).toBe('held');
      return m;
    }, 30_000);
    const item = feb.agendaItem[0];
    expect(item).toMatchObject({ decision: null, version: 0 });
    const url = `${S}/meetings/${feb.id}/agenda/${item.id}/decision`;

    // The version is required, and named when missing.
    const missing = await call(url, { token: secretary, method: 'PUT', json: { decision: 'Utan version.' } });
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing)).toEqual(['version']);

    const texts = Array.from({ length: 20 }, (_, n) => `Styrelsen fastställer årsredovisningen för 2036 (skrivare ${n + 1}).`);
    const answers = await Promise.all(texts.map((decision) => call(url, { token: secretary, method: 'PUT', json: { decision, version: 0 } })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200), JSON.stringify(answers.filter((a) => a.status !== 200 && a.status !== 409).map((a) => a.text))).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const winner = answers.find((a) => a.status === 200)!;
    expect(winner.json).toMatchObject({ id: item.id, version: 1 });
    const stored = await db.prisma.agendaItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(stored).toMatchObject({ decision: winner.json.decision, version: 1 });
    expect(texts).toContain(stored.decision);
    for (const lost of answers.filter((a) => a.status === 409)) {
      expect(lost.json.error).toMatchObject({ code: 'conflict', current: { version: 1, decision: stored.decision }, fields: [{ field: 'version' }] });
    }
    expect(await db.prisma.auditEvent.count({ where: { action: 'decision.recorded', entityId: item.id } })).toBe(1);

    // The meeting shows the new version; a write naming it is taken, a write naming the old one is not.
    expect((await february()).agendaItem.find((i: Json) => i.id === item.id)).toMatchObject({ decision: stored.decision, version: 1 });
    const next = await call(url, { token: secretary, method: 'PUT', json: { decision: 'Styrelsen fastställer årsredovisningen för 2036.', actionBy: 'official', actionDue: '2037-04-30', version: 1 } });
    expect(next.status, next.text).toBe(200);
    expect(next.json).toMatchObject({ decision: 'Styrelsen fastställer årsredovisningen för 2036.', version: 2 });
    const stale = await call(url, { token: secretary, method: 'PUT', json: { decision: 'För sent.', version: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.json.error.current).toEqual({ version: 2, decision: 'Styrelsen fastställer årsredovisningen för 2036.', actionBy: 'official', actionDue: '2037-04-30' });
    expect(await db.prisma.auditEvent.count({ where: { action: 'decision.recorded', entityId: item.id } })).toBe(2);

    // The activity refuses a stale version by itself (whatever reaches it), in the transaction that writes.
    const a = createActivities({ prisma: db.prisma, mailer: createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} }), publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, searchAttributes: false });
    await expect(a.saveDecision({ meetingId: feb.id, now: clock.getTime(), actor: 'x', itemId: item.id, decision: 'Förbi arbetsflödet.', version: 1 })).rejects.toMatchObject({ type: 'Conflict', nonRetryable: true, details: [{ field: 'version', current: { version: 2 } }] });
    expect(await db.prisma.agendaItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ decision: 'Styrelsen fastställer årsredovisningen för 2036.', version: 2 });
  }, 120_000);

  it("the secretary's form carries the version it was shown with; one changed meanwhile is shown again with both texts and an error summary, nothing changed", async () => {
    const feb = await february();
    const item = feb.agendaItem[1];
    const cookie = await sessionCookie(await pagePerson(db.prisma, { forbundId, name: 'Styrelsens sekreterare (exempel)', role: 'secretary', publicBaseUrl: PUBLIC_BASE, now: () => clock }));
    const page = await (await fetch(`${server.base}/admin/moten/${feb.id}`, { headers: { cookie } })).text();
    const formHtml = page.slice(page.indexOf(`action="/admin/moten/${feb.id}/punkter/${item.id}/beslut"`));
    expect(formHtml.slice(0, 400)).toContain('<input type="hidden" name="version" value="0">');
    const post = (fields: Record<string, string>) =>
      fetch(`${server.base}/admin/moten/${feb.id}/punkter/${item.id}/beslut`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.base, cookie }, body: new URLSearchParams(fields).toString() });

    // Someone else saves the decision while the secretary writes.
    const other = await call(`${S}/meetings/${feb.id}/agenda/${item.id}/decision`, { token: secretary, method: 'PUT', json: { decision: 'Styrelsen lägger helårsrapporterna till handlingarna.', version: 0 } });
    expect(other.status).toBe(200);
    const mine = 'Styrelsen godkänner helårsrapporterna.';
    const refused = await post({ decision: mine, actionBy: '', actionDue: '', version: '0' });
    expect(refused.status).toBe(409);
    const text = await refused.text();
    expect(text).toMatch(/<div class="error-summary"[^>]*>[^]*Beslutet har ändrats av någon annan medan du skrev/);
    expect(text).toContain('Styrelsen lägger helårsrapporterna till handlingarna.');
    expect(text).toContain(mine);
    // The form is shown again, open, with the version now: sent again it takes the secretary's text.
    const again = text.slice(text.indexOf(`action="/admin/moten/${feb.id}/punkter/${item.id}/beslut"`));
    expect(again.slice(0, 400)).toContain('<input type="hidden" name="version" value="1">');
    expect((await db.prisma.agendaItem.findUniqueOrThrow({ where: { id: item.id } })).decision).toBe('Styrelsen lägger helårsrapporterna till handlingarna.');

    const saved = await post({ decision: mine, actionBy: '', actionDue: '', version: '1' });
    expect(saved.status).toBe(303);
    expect(await db.prisma.agendaItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ decision: mine, version: 2 });
  }, 60_000);
});
