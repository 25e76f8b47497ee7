// Delivery failures reach the official: a mail the SMTP server refuses (here a real SMTP peer
// answering 550) becomes a pending step over HTTP, until the official marks it seen to.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../activities/mail.js';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { testDatabase } from './support/database.js';
import { apiCaller, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';

let db: Database;
let smtp: TestSmtpServer;
let served: { base: string; close(): Promise<void> };
const call = apiCaller(() => served.base);
const tokens: Record<string, string> = {};
const P = '/api/v1/forbund/sydnarke';
const load = (name: string) => parseForbundFile(readFileSync(new URL(`../examples/${name}`, import.meta.url), 'utf8'), name);

beforeAll(async () => {
  [db, smtp] = await Promise.all([testDatabase(), startSmtpServer()]);
  const syd = await importForbund(db.prisma, load('sydnarke.yaml'), { year: 2026, actor: 'test' });
  const sof = await importForbund(db.prisma, load('sofint.yaml'), { actor: 'test' });
  tokens.admin = await createApiToken(db.prisma, { forbundId: syd.forbundId, name: 'official', role: 'admin' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId: syd.forbundId, name: 'secretary', role: 'secretary' });
  tokens.sofint = await createApiToken(db.prisma, { forbundId: sof.forbundId, name: 'sofint official', role: 'admin' });
  const mailer = createMailer({ prisma: db.prisma, transport: smtp.transport, log: () => {} });
  smtp.refuse.add('borta@sydnarke.example').add('okand@sydnarke.example');
  const from = { name: 'Samordningsförbundet Sydnärke', email: 'kansli@sydnarke.example' };
  const mail = { forbundId: syd.forbundId, kind: 'report.reminder', from, subject: 'Påminnelse: kvartalsrapport', text: 'Hej', html: '<p>Hej</p>' };
  expect((await mailer.send({ ...mail, key: 'test:refused', to: [{ name: 'Borta', email: 'borta@sydnarke.example' }] })).outcome).toBe('failed');
  expect((await mailer.send({ ...mail, key: 'test:partly', to: [{ name: 'Här', email: 'har@sydnarke.example' }], cc: [{ name: 'Okänd', email: 'okand@sydnarke.example' }] })).outcome).toBe('sent');
  expect((await mailer.send({ ...mail, key: 'test:fine', to: [{ name: 'Här', email: 'har@sydnarke.example' }] })).outcome).toBe('sent');
  served = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: 'https://arscykel.example', linkSecret: 'x'.repeat(32), now: () => new Date('2026-11-30T09:00:00Z') }));
});

afterAll(async () => {
  await served?.close();
  await Promise.all([db?.close(), smtp?.close()]);
});

const deliverySteps = async (token = tokens.admin) => ((await call(`${P}/pending-steps?limit=200`, { token })).json.data as Json[]).filter((s) => s.type === 'delivery');

describe('delivery failures as pending steps', () => {
  it('a refused mail and a partly refused one are pending steps for the official, with what failed and a link to resolve', async () => {
    const steps = await deliverySteps();
    expect(steps.map((s) => s.title).sort()).toEqual([
      'Not delivered: "Påminnelse: kvartalsrapport" to borta@sydnarke.example (550 5.1.1 <borta@sydnarke.example>: no such user)',
      'Refused by the mail server for okand@sydnarke.example: "Påminnelse: kvartalsrapport"',
    ]);
    for (const s of steps) {
      expect(s.waitingOn.role).toBe('official');
      expect(s.links.resolve).toBe(`${P}/deliveries/${s.id}/resolve`);
    }
    // The secretary sees them too; another förbund's official does not.
    expect(await deliverySteps(tokens.secretary)).toHaveLength(2);
    expect((await call('/api/v1/forbund/sofint/pending-steps', { token: tokens.sofint })).json.data.filter((s: Json) => s.type === 'delivery')).toEqual([]);
  });

  it('only the official resolves one; then it leaves the pending steps; again is harmless; unknown ids are 404', async () => {
    const [step] = await deliverySteps();
    expect((await call(step.links.resolve, { token: tokens.secretary, method: 'POST' })).status).toBe(403);
    expect((await call(step.links.resolve.replace('/sydnarke/', '/sofint/'), { token: tokens.sofint, method: 'POST' })).status).toBe(404);
    const r = await call(step.links.resolve, { token: tokens.admin, method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ id: step.id, resolved: true });
    expect((await deliverySteps()).map((s) => s.id)).not.toContain(step.id);
    expect((await call(step.links.resolve, { token: tokens.admin, method: 'POST' })).status).toBe(200);
    expect(await db.prisma.auditEvent.count({ where: { action: 'delivery.resolved', entityId: step.id } })).toBe(1);
    const fine = await db.prisma.notification.findUniqueOrThrow({ where: { key: 'test:fine' } });
    expect((await call(`${P}/deliveries/${fine.id}/resolve`, { token: tokens.admin, method: 'POST' })).status).toBe(404);
  });
});
