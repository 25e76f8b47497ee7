// Moving a meeting asks before it acts, and the official sets the go-live (issue 18), over real
// HTTP: the express app on an ephemeral port, a real database (PGlite, or PostgreSQL when
// TEST_DATABASE_URL is set) loaded from the Sydnärke example placed in 2026, the workflows
// recorded (RecordingNotifier). A move with consequences is 409 with each of them (code, English,
// Swedish) and changes, audits and tells nothing; with "confirm": true it is made.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { testDatabase } from './support/database.js';
import { apiCaller, fieldsOf, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

// Monday 2 March 2026, 10:00 in Stockholm (CET).
const NOW = new Date('2026-03-02T09:00:00Z');
const S = '/api/v1/forbund/sydnarke';

let db: Database;
let served: Awaited<ReturnType<typeof serve>> | undefined;
let forbundId: string;
const notifier = new RecordingNotifier();
const tokens = { admin: '', secretary: '', board: '' };
const call = apiCaller(() => served!.base);

const plan = async () => (await call(`${S}/years/2026`, { token: tokens.admin })).json;
const meetingOf = async (key: string) => (await plan()).meetings.find((m: Json) => m.key === key);
const moves = (id: string) => db.prisma.auditEvent.count({ where: { forbundId, action: 'meeting.moved', entityId: id } });

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { year: 2026, actor: 'test' })).forbundId;
  tokens.admin = await createApiToken(db.prisma, { forbundId, name: 'Raéd Shaqdih', role: 'admin' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId, name: 'Sara Sekreterare', role: 'secretary' });
  tokens.board = await createApiToken(db.prisma, { forbundId, name: 'Anna Ledamot', role: 'board_member' });
  served = await serve(createApp({ prisma: db.prisma, notifier, publicBaseUrl: 'https://arscykel.example', linkSecret: 'f'.repeat(32), now: () => NOW }));
}, 120_000);

afterAll(async () => {
  await served?.close();
  await db?.close();
});

beforeEach(() => notifier.reset());

describe('PATCH /meetings/:id asks before it acts', () => {
  it('a board meeting moved into its kallelse window and before its beredning: 409 with the reasons; nothing stored, audited or told', async () => {
    const before = await meetingOf('styrelse-04');
    expect(before.date).toBe('2026-04-27');
    // Thursday 5 March: the kallelse was due Thursday 26 February; the beredningsgrupp and the beredning are in April.
    const r = await call(`${S}/meetings/${before.id}`, { token: tokens.secretary, method: 'PATCH', json: { date: '2026-03-05' } });
    expect(r.status, r.text).toBe(409);
    expect(r.json.error.status).toBe(409);
    expect(r.json.error.message).toMatch(/^moving the meeting has consequences; send "confirm": true to move it anyway: /);
    const fields = r.json.error.fields as Json[];
    expect(fields.every((f) => f.field === 'confirm' && typeof f.problem === 'string' && typeof f.sv === 'string')).toBe(true);
    expect(fields.map((f) => f.code)).toEqual(['kallelse-at-once', 'kallelse-term-broken', 'preparation-after-meeting', 'preparation-after-meeting']);
    expect(fields[0].sv).toBe('Kallelsen ska gå ut senast 26 februari 2026, en dag som redan har varit: kallelsen går ut direkt.');
    expect(fields[1].sv).toMatch(/bara 3 dagar kvar till den nya dagen: 7-dagarsfristen kan inte hållas\.$/);
    expect(fields[2].sv).toMatch(/^Beredningsgruppens möte är .*: beredningsgruppens möte ligger efter mötet/);
    expect(fields[3].sv).toMatch(/^Beredningen är .*: beredningen ligger efter mötet, och ärendena hinner inte beredas före sammanträdet\.$/);
    expect(fields[1].problem).toBe("only 3 days are left before the new date: the förbund's kallelse term of 7 days cannot be kept");

    // Nothing changed, audited or told; "confirm": false is the same.
    expect(await meetingOf('styrelse-04')).toEqual(before);
    const no = await call(`${S}/meetings/${before.id}`, { token: tokens.admin, method: 'PATCH', json: { date: '2026-03-05', confirm: false } });
    expect(no.status).toBe(409);
    expect(await meetingOf('styrelse-04')).toEqual(before);
    expect(await moves(before.id)).toBe(0);
    expect(notifier.cycleCalls).toEqual([]);
    expect(notifier.meetingCalls).toEqual([]);
  });

  it('confirmed, the move is made: SEQUENCE +1, the consequences in the answer and the audit event, the workflows told', async () => {
    const before = await meetingOf('styrelse-06');
    // Saturday 6 June (nationaldagen) 2026.
    const r = await call(`${S}/meetings/${before.id}`, { token: tokens.admin, method: 'PATCH', json: { date: '2026-06-06', start: '10:00', end: '12:00', confirm: true } });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ id: before.id, date: '2026-06-06', start: '10:00', end: '12:00', sequence: before.sequence + 1, workflowNotified: true });
    expect(r.json.consequences.map((c: Json) => c.code)).toEqual(['holiday', 'weekend']);
    expect(r.json.consequences[0].sv).toBe('Den nya dagen, lördagen den 6 juni 2026, är nationaldagen, en helgdag.');
    expect((await meetingOf('styrelse-06')).date).toBe('2026-06-06');
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'meeting.moved', entityId: before.id } });
    expect(audit.data).toMatchObject({ sequence: before.sequence + 1, confirmed: ['holiday', 'weekend'] });
    expect(notifier.cycleCalls).toEqual([{ forbundId, year: 2026, reason: 'meeting moved' }]);
    expect(notifier.meetingCalls).toEqual([{ meetingId: before.id, reason: 'meeting moved' }]);
  });

  it('applies to the other kinds too: a beredningsgrupp onto a Sunday, a planning day into the past; a quiet move needs no confirmation', async () => {
    const p = await plan();
    const bg = p.meetings.find((m: Json) => m.kind === 'beredningsgrupp' && m.date > '2026-05-01');
    const sunday = await call(`${S}/meetings/${bg.id}`, { token: tokens.admin, method: 'PATCH', json: { date: '2026-05-10' } });
    expect(sunday.status, sunday.text).toBe(409);
    expect(sunday.json.error.fields.map((f: Json) => f.code)).toEqual(['weekend']);
    expect(sunday.json.error.fields[0].sv).toBe('Den nya dagen, söndagen den 10 maj 2026, är en söndag.');
    const day = p.meetings.find((m: Json) => m.kind === 'planning_day');
    const past = await call(`${S}/meetings/${day.id}`, { token: tokens.admin, method: 'PATCH', json: { date: '2026-02-10' } });
    expect(past.status, past.text).toBe(409);
    expect(past.json.error.fields.map((f: Json) => f.code)).toEqual(['in-the-past']);
    expect(await moves(bg.id)).toBe(0);
    expect(await moves(day.id)).toBe(0);
    // A new time on the same day, a working day ahead: made at once, as before.
    const quiet = await call(`${S}/meetings/${bg.id}`, { token: tokens.admin, method: 'PATCH', json: { start: '13:00', end: '15:00' } });
    expect(quiet.status, quiet.text).toBe(200);
    expect(quiet.json).toMatchObject({ start: '13:00', consequences: [], workflowNotified: true });
  });

  it('confirm must be true or false; it alone is no move (400 naming the field)', async () => {
    const m = await meetingOf('styrelse-08');
    const bad = await call(`${S}/meetings/${m.id}`, { token: tokens.admin, method: 'PATCH', json: { date: '2026-08-29', confirm: 'ja' } });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['confirm']);
    const alone = await call(`${S}/meetings/${m.id}`, { token: tokens.admin, method: 'PATCH', json: { confirm: true } });
    expect(alone.status).toBe(400);
    expect(fieldsOf(alone)).toEqual(['(body)']);
    expect(await meetingOf('styrelse-08')).toEqual(m);
  });

  it('the OpenAPI document describes confirm and the 409', async () => {
    const doc = (await call('/api/v1/openapi.json')).json;
    const patch = doc.paths['/api/v1/forbund/{forbund}/meetings/{id}'].patch;
    expect(patch.requestBody.content['application/json'].schema.properties.confirm).toMatchObject({ type: 'boolean' });
    expect(patch.summary).toContain('409');
  });
});

describe('PUT /go-live', () => {
  it('the official sets the go-live: audited, and every workflow of the förbund told its plan changed', async () => {
    const r = await call(`${S}/go-live`, { token: tokens.admin, method: 'PUT', json: { date: '2026-01-01' } });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({ goLiveOn: '2026-01-01', changed: true, workflowNotified: true });
    expect((await plan()).goLiveOn).toBe('2026-01-01');
    expect((await db.prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } })).goLiveOn?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'forbund.go-live-changed' }, orderBy: { at: 'desc' } });
    expect(audit).toMatchObject({ entityType: 'forbund', entityId: forbundId });
    expect(audit.actor).toMatch(/^token:\S+ Raéd Shaqdih \(admin\)$/);
    expect((audit.data as Json).to).toBe('2026-01-01');
    expect((audit.data as Json).from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The projects' reporting, the year, and each board meeting ahead (April to December).
    const projects = await db.prisma.project.findMany({ where: { forbundId, status: 'active' }, select: { id: true } });
    expect(projects.length).toBeGreaterThan(0);
    expect(notifier.reportingCalls.map((c) => c.projectId).sort()).toEqual(projects.map((p) => p.id).sort());
    expect(notifier.cycleCalls).toEqual([{ forbundId, year: 2026, reason: 'go-live changed' }]);
    const ahead = await db.prisma.meeting.findMany({ where: { forbundId, kind: 'styrelse', endsAt: { gt: NOW } }, select: { id: true } });
    expect(notifier.meetingCalls.map((c) => c.meetingId).sort()).toEqual(ahead.map((m) => m.id).sort());
    expect(new Set([...notifier.reportingCalls, ...notifier.meetingCalls].map((c) => c.reason))).toEqual(new Set(['go-live changed']));

    // The same date again: nothing changed, audited or told. Today itself is allowed.
    notifier.reset();
    const again = await call(`${S}/go-live`, { token: tokens.admin, method: 'PUT', json: { date: '2026-01-01' } });
    expect(again.json).toEqual({ goLiveOn: '2026-01-01', changed: false, workflowNotified: false });
    expect(notifier.cycleCalls).toEqual([]);
    expect(await db.prisma.auditEvent.count({ where: { forbundId, action: 'forbund.go-live-changed' } })).toBe(1);
    const today = await call(`${S}/go-live`, { token: tokens.admin, method: 'PUT', json: { date: '2026-03-02' } });
    expect(today.status, today.text).toBe(200);
    expect(today.json.goLiveOn).toBe('2026-03-02');
  });

  it('a bad date is 400 naming date; a date after today is refused; nothing changes', async () => {
    const before = (await plan()).goLiveOn;
    const cases: [unknown, string[], RegExp?][] = [
      [{ date: '2026-02-30' }, ['date'], /must be a date YYYY-MM-DD/],
      [{ date: '1 mars 2026' }, ['date']],
      [{ date: 20260101 }, ['date']],
      [{}, ['date'], /is required/],
      [{ date: '2026-01-01', when: 'now' }, ['when']],
      [{ date: '2026-03-03' }, ['date'], /^date: must not be after today$/],
    ];
    for (const [json, fields, message] of cases) {
      const r = await call(`${S}/go-live`, { token: tokens.admin, method: 'PUT', json });
      expect(r.status, JSON.stringify(json)).toBe(400);
      expect(fieldsOf(r), JSON.stringify(json)).toEqual(fields);
      if (message) expect(r.json.error.message, JSON.stringify(json)).toMatch(message);
    }
    expect((await call(`${S}/go-live`, { token: tokens.admin, method: 'PUT', json: { date: '2026-03-03' } })).json.error.fields).toEqual([{ field: 'date', problem: 'must not be after today' }]);
    expect((await plan()).goLiveOn).toBe(before);
    expect(notifier.cycleCalls).toEqual([]);
  });

  it('the secretary and a board member may not (403); it is in the OpenAPI document', async () => {
    for (const token of [tokens.secretary, tokens.board]) {
      const r = await call(`${S}/go-live`, { token, method: 'PUT', json: { date: '2026-01-15' } });
      expect(r.status).toBe(403);
    }
    expect(notifier.cycleCalls).toEqual([]);
    const doc = (await call('/api/v1/openapi.json')).json;
    const put = doc.paths['/api/v1/forbund/{forbund}/go-live'].put;
    expect(put.summary).toContain('(roles: admin)');
    expect(put.requestBody.content['application/json'].schema.required).toEqual(['date']);
  });
});
