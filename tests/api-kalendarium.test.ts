// The governance-year API over real HTTP: the express app listens on an ephemeral port, requests
// go through fetch, data lives in a real database (PGlite, or PostgreSQL when TEST_DATABASE_URL
// is set) loaded from the Sydnärke example placed in 2026.
import { readFileSync } from 'node:fs';
import { apiCaller, fieldsOf, serve } from './support/http.js';
import ICAL from 'ical.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { weekday } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { testDatabase } from './support/database.js';
import { RecordingNotifier } from './support/notifier.js';

// Monday 2 March 2026, 10:00 in Stockholm (CET). The February board's matters (due 13 Feb)
// are 17 days overdue.
const NOW = new Date('2026-03-02T09:00:00Z');
const PUBLIC_BASE = 'https://arscykel.example';
const LINK_SECRET = 'test-link-secret';
const Y = '/api/v1/forbund/sydnarke';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let db: Database;
let served: Awaited<ReturnType<typeof serve>> | undefined;
let base: string;
let sydnarkeId: string;
const notifier = new RecordingNotifier();
const tokens = { admin: '', secretary: '', board: '' };

const call = apiCaller(() => base);
const yearPlan = async (year: number) => (await call(`${Y}/years/${year}`, { token: tokens.admin })).json;
const meetingOf = (plan: Json, key: string) => plan.meetings.find((m: Json) => m.key === key);
const milestoneOf = (plan: Json, kind: string) => plan.milestones.find((m: Json) => m.kind === kind);

beforeAll(async () => {
  db = await testDatabase();
  const file = parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml');
  sydnarkeId = (await importForbund(db.prisma, file, { year: 2026, actor: 'test' })).forbundId;
  // Running in Årscykel since before the test's year (go-live and the reports' creation follow the
  // import's real clock; the requests run on the test's clock): what fell due in it is the förbund's to handle.
  await db.prisma.forbund.update({ where: { id: sydnarkeId }, data: { goLiveOn: new Date('2000-01-01T00:00:00Z') } });
  await db.prisma.reportingObligation.updateMany({ where: { project: { forbundId: sydnarkeId } }, data: { createdAt: new Date('2000-01-01T00:00:00Z') } });
  tokens.admin = await createApiToken(db.prisma, { forbundId: sydnarkeId, name: 'official', role: 'admin' });
  tokens.secretary = await createApiToken(db.prisma, { forbundId: sydnarkeId, name: 'secretary', role: 'secretary' });
  tokens.board = await createApiToken(db.prisma, { forbundId: sydnarkeId, name: 'board', role: 'board_member' });
  const app = createApp({ prisma: db.prisma, notifier, publicBaseUrl: PUBLIC_BASE, linkSecret: LINK_SECRET, now: () => NOW });
  served = await serve(app);
  base = served.base;
});

afterAll(async () => {
  await served?.close();
  await db?.close();
});

beforeEach(() => notifier.reset());
afterEach(() => ICAL.TimezoneService.reset());

describe('GET /years/:year', () => {
  it('shows the Sydnärke rhythm: seven board meetings prepared by beredningsgrupp and beredning', async () => {
    for (const token of [tokens.admin, tokens.secretary, tokens.board]) expect((await call(`${Y}/years/2026`, { token })).status).toBe(200);
    const plan = await yearPlan(2026);
    expect(plan.year).toBe(2026);
    expect(plan.calendar).toMatchObject({ adopted: true, adoptedBy: 'import' });
    // The go-live: the day of the first import (nothing due before it is reminded or escalated).
    expect(plan.goLiveOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const boards = plan.meetings.filter((m: Json) => m.kind === 'styrelse');
    expect(boards).toHaveLength(7);
    expect(boards.map((m: Json) => m.date)).toEqual(['2026-01-23', '2026-02-27', '2026-04-27', '2026-06-12', '2026-08-28', '2026-10-30', '2026-12-18']);
    let prepared = 0;
    for (const b of boards) {
      expect(b).toMatchObject({ start: '09:00', end: '12:00', status: 'planned', sequence: 0 });
      expect(b.preparation.kallelse < b.date).toBe(true);
      if (!b.preparation.beredning) {
        expect(b.preparation.matters).toBe(b.date);
        continue;
      }
      prepared++;
      expect(b.preparation.beredningsgrupp < b.preparation.beredning, b.key).toBe(true);
      expect(b.preparation.beredning < b.date, b.key).toBe(true);
      expect(b.preparation.matters).toBe(b.preparation.beredning);
      const preps = plan.meetings.filter((m: Json) => m.prepares === b.key);
      expect(preps.map((m: Json) => m.kind).sort()).toEqual(['beredning', 'beredningsgrupp']);
    }
    expect(prepared).toBe(6);
    expect(meetingOf(plan, 'styrelse-02').preparation).toEqual({ matters: '2026-02-13', kallelse: '2026-02-20', beredningsgrupp: '2026-02-04', beredning: '2026-02-13' });
    // Times in Stockholm: 09:00 CET in February, 09:00 CEST in June.
    expect(meetingOf(plan, 'styrelse-02').startsAt).toBe('2026-02-27T08:00:00.000Z');
    expect(meetingOf(plan, 'styrelse-06').startsAt).toBe('2026-06-12T07:00:00.000Z');
    // A whole-day planning day.
    expect(meetingOf(plan, 'planeringsdag-mars')).toMatchObject({ kind: 'planning_day', start: null, end: null });

    expect(milestoneOf(plan, 'bokslut')).toMatchObject({ dueDate: '2026-02-13', meeting: 'styrelse-02', owner: 'official', status: 'open' });
    expect(milestoneOf(plan, 'halfYearReports')).toMatchObject({ dueDate: '2026-08-19', meeting: 'styrelse-08' });
    expect(milestoneOf(plan, 'delar')).toMatchObject({ dueDate: '2026-09-30', meeting: null, owner: 'economist' });
    expect(milestoneOf(plan, 'nextCalendar')).toMatchObject({ meeting: 'styrelse-12', owner: 'secretary' });
    const months: Record<string, string> = { bokslut: '02', finsamConference: '03', financialReportsSpring: '04', budgetDialogue: '05', halfYearReports: '08', delar: '09', budgetFollowUp: '10', vpBudget: '11' };
    for (const [kind, month] of Object.entries(months)) expect(milestoneOf(plan, kind).dueDate.slice(5, 7), kind).toBe(month);
    expect(plan.milestones.map((m: Json) => m.dueDate)).toEqual([...plan.milestones.map((m: Json) => m.dueDate)].sort());
  });

  it('a year without a calendar is empty and not adopted; a bad year is 400', async () => {
    const plan = await yearPlan(2030);
    expect(plan).toMatchObject({ year: 2030, calendar: { adopted: false }, meetings: [], milestones: [] });
    const r = await call(`${Y}/years/abc`, { token: tokens.admin });
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(['year']);
  });
});

describe('PATCH /meetings/:id', () => {
  it('moves a meeting: sequence +1, times in Stockholm, the cycle workflow told', async () => {
    const before = meetingOf(await yearPlan(2026), 'styrelse-04');
    const r = await call(`${Y}/meetings/${before.id}`, { token: tokens.secretary, method: 'PATCH', json: { date: '2026-04-28', start: '13:00', end: '15:30', location: 'Kumla stadshus' } });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ id: before.id, key: 'styrelse-04', date: '2026-04-28', start: '13:00', end: '15:30', location: 'Kumla stadshus', status: 'planned', sequence: before.sequence + 1, workflowNotified: true });
    const after = meetingOf(await yearPlan(2026), 'styrelse-04');
    expect(after.startsAt).toBe('2026-04-28T11:00:00.000Z'); // CEST
    expect(after.endsAt).toBe('2026-04-28T13:30:00.000Z');
    expect(notifier.cycleCalls).toEqual([{ forbundId: sydnarkeId, year: 2026, reason: 'meeting moved' }]);
    expect(notifier.meetingCalls).toEqual([{ meetingId: before.id, reason: 'meeting moved' }]); // the board meeting's own workflow too

    // A winter meeting: 10:00 CET is 09:00 UTC. With Temporal away, both workflows' changes are kept, not only the first.
    notifier.reachable = false;
    const jan = meetingOf(await yearPlan(2026), 'styrelse-01');
    const w = await call(`${Y}/meetings/${jan.id}`, { token: tokens.admin, method: 'PATCH', json: { start: '10:00' } });
    expect(w.json.workflowNotified).toBe(false);
    expect(notifier.meetingCalls.map((c) => c.meetingId)).toEqual([before.id, jan.id]);
    notifier.reachable = true;
    expect(w.status, w.text).toBe(200);
    expect(meetingOf(await yearPlan(2026), 'styrelse-01')).toMatchObject({ startsAt: '2026-01-23T09:00:00.000Z', start: '10:00', end: '12:00', sequence: 1 });
  });

  it('the same values again change nothing and tell nobody', async () => {
    const m = meetingOf(await yearPlan(2026), 'styrelse-04');
    const r = await call(`${Y}/meetings/${m.id}`, { token: tokens.admin, method: 'PATCH', json: { date: m.date, start: m.start } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ sequence: m.sequence, workflowNotified: false });
    expect(notifier.cycleCalls).toEqual([]);
  });

  it('moving a beredning moves the due date of the milestones handled at its board meeting', async () => {
    const plan = await yearPlan(2026);
    expect(milestoneOf(plan, 'financialReportsSpring').dueDate).toBe('2026-04-10');
    const ber = meetingOf(plan, 'beredning-04');
    const r = await call(`${Y}/meetings/${ber.id}`, { token: tokens.admin, method: 'PATCH', json: { date: '2026-04-14' } });
    expect(r.status, r.text).toBe(200);
    const after = await yearPlan(2026);
    expect(milestoneOf(after, 'financialReportsSpring')).toMatchObject({ dueDate: '2026-04-14', meeting: 'styrelse-04' });
    expect(meetingOf(after, 'styrelse-04').preparation).toMatchObject({ beredning: '2026-04-14', matters: '2026-04-14' });
    expect(notifier.cycleCalls).toHaveLength(1);
    // The moved due date raises the milestone's SEQUENCE (for the feeds); the others keep theirs.
    const sequences = new Map((await db.prisma.milestone.findMany({ where: { forbundId: sydnarkeId, year: 2026 } })).map((m) => [m.kind, m.sequence]));
    expect(sequences.get('financialReportsSpring')).toBe(1);
    expect(sequences.get('bokslut')).toBe(0);
    // Moved back: raised again, not reset.
    await call(`${Y}/meetings/${ber.id}`, { token: tokens.admin, method: 'PATCH', json: { date: '2026-04-08' } });
    await call(`${Y}/meetings/${ber.id}`, { token: tokens.admin, method: 'PATCH', json: { date: '2026-04-14' } });
    expect((await db.prisma.milestone.findFirstOrThrow({ where: { forbundId: sydnarkeId, year: 2026, kind: 'financialReportsSpring' } })).sequence).toBe(3);
  });

  it('invalid dates, times and unknown fields are 400 naming the field; nothing changes', async () => {
    const m = meetingOf(await yearPlan(2026), 'styrelse-06');
    const cases: [unknown, string[]][] = [
      [{ date: '2026-02-30' }, ['date']],
      [{ date: '12/06/2026' }, ['date']],
      [{ date: '2027-06-11' }, ['date']],
      [{ start: '25:00' }, ['start']],
      [{ start: '9:00' }, ['start']],
      [{ end: '08:00' }, ['end']],
      [{ room: 'B12' }, ['room']],
      [{ location: 42 }, ['location']],
      [{}, ['(body)']],
    ];
    for (const [json, fields] of cases) {
      const r = await call(`${Y}/meetings/${m.id}`, { token: tokens.admin, method: 'PATCH', json });
      expect(r.status, JSON.stringify(json)).toBe(400);
      expect(fieldsOf(r), JSON.stringify(json)).toEqual(fields);
    }
    expect(meetingOf(await yearPlan(2026), 'styrelse-06')).toEqual(m);
    expect(notifier.cycleCalls).toEqual([]);
  });

  it('a board member may read but not move; an unknown meeting is 404', async () => {
    const m = meetingOf(await yearPlan(2026), 'styrelse-06');
    const r = await call(`${Y}/meetings/${m.id}`, { token: tokens.board, method: 'PATCH', json: { start: '10:00' } });
    expect(r.status).toBe(403);
    expect(r.json.error.message).toMatch(/board_member/);
    expect((await call(`${Y}/meetings/no-such-id`, { token: tokens.admin, method: 'PATCH', json: { start: '10:00' } })).status).toBe(404);
    expect(notifier.cycleCalls).toEqual([]);
  });
});

describe('POST /meetings/:id/cancel', () => {
  it('cancels (sequence +1), milestones fall back to the beredningsgrupp, and a cancelled meeting cannot move', async () => {
    const plan = await yearPlan(2026);
    expect(milestoneOf(plan, 'budgetFollowUp').dueDate).toBe('2026-10-15');
    const ber = meetingOf(plan, 'beredning-10');
    expect((await call(`${Y}/meetings/${ber.id}/cancel`, { token: tokens.board, method: 'POST' })).status).toBe(403);
    const r = await call(`${Y}/meetings/${ber.id}/cancel`, { token: tokens.secretary, method: 'POST' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ id: ber.id, status: 'cancelled', sequence: ber.sequence + 1, workflowNotified: true });
    expect(notifier.cycleCalls).toEqual([{ forbundId: sydnarkeId, year: 2026, reason: 'meeting cancelled' }]);
    const after = await yearPlan(2026);
    expect(meetingOf(after, 'beredning-10').status).toBe('cancelled');
    expect(milestoneOf(after, 'budgetFollowUp').dueDate).toBe('2026-10-07');
    expect(meetingOf(after, 'styrelse-10').preparation).toEqual({ matters: '2026-10-07', kallelse: '2026-10-23', beredningsgrupp: '2026-10-07' });

    notifier.reset();
    const again = await call(`${Y}/meetings/${ber.id}/cancel`, { token: tokens.secretary, method: 'POST' });
    expect(again.json).toMatchObject({ status: 'cancelled', sequence: ber.sequence + 1, workflowNotified: false });
    expect(notifier.cycleCalls).toEqual([]);
    const move = await call(`${Y}/meetings/${ber.id}`, { token: tokens.admin, method: 'PATCH', json: { start: '10:00' } });
    expect(move.status).toBe(409);
  });
});

describe('milestones and pending steps', () => {
  it('GET pending-steps lists open milestones, overdue first; marking one done removes it', async () => {
    const list = async () => (await call(`${Y}/pending-steps?limit=200`, { token: tokens.admin })).json.data as Json[];
    const steps = await list();
    const ms = steps.filter((s) => s.type === 'milestone');
    expect(ms.length).toBeGreaterThan(0);
    // bokslut, annualReports and vpAdoption were due 13 February: 17 days overdue.
    const bokslut = ms.find((s) => s.title.startsWith('Årsredovisning med bokslut'))!;
    expect(bokslut).toMatchObject({ dueDate: '2026-02-13', overdue: true, daysOverdue: 17 });
    expect(bokslut.waitingOn).toMatchObject({ role: 'official', email: 'raed.shaqdih@sydnarke.example' });
    expect(ms.some((s) => s.dueDate === '2026-03-24' && !s.overdue)).toBe(true); // finsamConference, within 30 days
    expect(ms.every((s) => s.dueDate <= '2026-04-01')).toBe(true);
    // Overdue first, longest overdue first, then by due date.
    const firstNotOverdue = steps.findIndex((s) => !s.overdue);
    if (firstNotOverdue >= 0) expect(steps.slice(firstNotOverdue).every((s) => !s.overdue)).toBe(true);
    const overdue = steps.filter((s) => s.overdue);
    expect(overdue.map((s) => s.daysOverdue)).toEqual([...overdue.map((s) => s.daysOverdue)].sort((a, b) => b - a));
    const rest = steps.filter((s) => !s.overdue);
    expect(rest.map((s) => s.dueDate)).toEqual([...rest.map((s) => s.dueDate)].sort());

    expect((await call(`${Y}/milestones/${bokslut.id}/done`, { token: tokens.board, method: 'POST' })).status).toBe(403);
    const r = await call(`${Y}/milestones/${bokslut.id}/done`, { token: tokens.admin, method: 'POST' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ id: bokslut.id, kind: 'bokslut', status: 'done', doneAt: NOW.toISOString(), workflowNotified: true });
    expect(r.json.doneBy).toMatch(/official/);
    expect(notifier.cycleCalls).toEqual([{ forbundId: sydnarkeId, year: 2026, reason: 'milestone done' }]);
    expect((await list()).some((s) => s.id === bokslut.id)).toBe(false);
    expect(milestoneOf(await yearPlan(2026), 'bokslut')).toMatchObject({ status: 'done', doneAt: NOW.toISOString() });

    notifier.reset();
    const again = await call(`${Y}/milestones/${bokslut.id}/done`, { token: tokens.admin, method: 'POST' });
    expect(again.json).toMatchObject({ status: 'done', workflowNotified: false });
    expect(notifier.cycleCalls).toEqual([]);
    expect((await call(`${Y}/milestones/nope/done`, { token: tokens.admin, method: 'POST' })).status).toBe(404);
  });
  it('a milestone owned by the chair waits on the board member who chairs', async () => {
    const chair = await db.prisma.person.create({ data: { forbundId: sydnarkeId, key: 'ordf-test', name: 'Ordförande Test', email: 'ordf@sydnarke.example', roles: ['board_member'] } });
    const board = await db.prisma.body.findUniqueOrThrow({ where: { forbundId_kind: { forbundId: sydnarkeId, kind: 'styrelse' } } });
    await db.prisma.bodyMembership.create({ data: { bodyId: board.id, personId: chair.id, role: 'chair' } });
    const ms = await db.prisma.milestone.create({ data: { forbundId: sydnarkeId, year: 2026, kind: 'chairTest', title: 'Ordförandens genomgång', dueDate: new Date('2026-03-10T00:00:00Z'), owner: 'chair' } });
    const steps = (await call(`${Y}/pending-steps?limit=200`, { token: tokens.admin })).json.data as Json[];
    expect(steps.find((s) => s.id === ms.id)?.waitingOn).toEqual({ role: 'chair', name: 'Ordförande Test', email: 'ordf@sydnarke.example' });
    await db.prisma.milestone.delete({ where: { id: ms.id } });
  });
});

describe('ICS feeds', () => {
  const feeds = async () => {
    const r = await call(`${Y}/feeds`, { token: tokens.secretary });
    expect(r.status).toBe(200);
    return r.json.data as { body: string; url: string }[];
  };
  const local = (url: string) => {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  };
  const parse = (ics: string) => {
    const vcal = new ICAL.Component(ICAL.parse(ics));
    for (const vtz of vcal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
    return vcal;
  };

  it('GET /feeds gives a feed URL per body; board members may not list them', async () => {
    const list = await feeds();
    expect(list.map((f) => f.body)).toEqual(['all', 'styrelse', 'presidium', 'beredningsgrupp']);
    for (const f of list) expect(f.url).toMatch(new RegExp(`^${PUBLIC_BASE}/feeds/sydnarke/${f.body}\\.ics\\?token=.+`));
    expect((await call(`${Y}/feeds`, { token: tokens.board })).status).toBe(403);
  });

  it('each feed is text/calendar with one event per meeting and milestone', async () => {
    const plan = await yearPlan(2026);
    const kindsOf: Record<string, string[]> = {
      all: ['styrelse', 'presidium', 'beredningsgrupp', 'beredning', 'planning_day'],
      styrelse: ['styrelse', 'planning_day'],
      presidium: ['presidium', 'beredning'],
      beredningsgrupp: ['beredningsgrupp'],
    };
    for (const f of await feeds()) {
      const r = await call(local(f.url));
      expect(r.status, f.body).toBe(200);
      expect(r.type).toMatch(/^text\/calendar/);
      const vcal = parse(r.text);
      expect(vcal.getFirstPropertyValue('x-wr-calname'), f.body).toMatch(/Sydnärke/);
      const meetings = plan.meetings.filter((m: Json) => kindsOf[f.body].includes(m.kind)).length;
      const milestones = f.body === 'all' || f.body === 'styrelse' ? plan.milestones.length : 0;
      expect(vcal.getAllSubcomponents('vevent'), f.body).toHaveLength(meetings + milestones);
    }
  });

  it('DTSTART is the right instant for a winter and a summer meeting; cancelled meetings are CANCELLED', async () => {
    const plan = await yearPlan(2026);
    const all = (await feeds()).find((f) => f.body === 'all')!;
    const vcal = parse((await call(local(all.url))).text);
    const event = (key: string) => {
      const uid = `meeting-${meetingOf(plan, key).id}@arscykel`;
      const c = vcal.getAllSubcomponents('vevent').find((e) => e.getFirstPropertyValue('uid') === uid);
      expect(c, key).toBeDefined();
      return new ICAL.Event(c!);
    };
    expect(event('styrelse-02').startDate.toJSDate().toISOString()).toBe('2026-02-27T08:00:00.000Z');
    expect(event('styrelse-02').endDate.toJSDate().toISOString()).toBe('2026-02-27T11:00:00.000Z');
    expect(event('styrelse-06').startDate.toJSDate().toISOString()).toBe('2026-06-12T07:00:00.000Z');
    expect(event('styrelse-04').startDate.toJSDate().toISOString()).toBe('2026-04-28T11:00:00.000Z'); // moved above
    expect(event('styrelse-04').component.getFirstPropertyValue('sequence')).toBe(meetingOf(plan, 'styrelse-04').sequence);
    expect(event('beredning-10').component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event('planeringsdag-mars').startDate.isDate).toBe(true);
  });

  it('a milestone whose due date moved carries its raised SEQUENCE in the feed (the others 0)', async () => {
    const all = (await feeds()).find((f) => f.body === 'all')!;
    const vcal = parse((await call(local(all.url))).text);
    const milestones = await db.prisma.milestone.findMany({ where: { forbundId: sydnarkeId, year: 2026 } });
    const moved = milestones.find((m) => m.kind === 'financialReportsSpring')!;
    expect(moved.sequence).toBeGreaterThan(0);
    for (const ms of milestones) {
      const c = vcal.getAllSubcomponents('vevent').find((e) => e.getFirstPropertyValue('uid') === `milestone-${ms.id}@arscykel`);
      expect(c, ms.kind).toBeDefined();
      expect(c!.getFirstPropertyValue('sequence'), ms.kind).toBe(ms.sequence);
      expect(String(c!.getFirstPropertyValue('dtstart')), ms.kind).toBe(ms.dueDate.toISOString().slice(0, 10));
    }
    // Calendar properties before the VTIMEZONE and the events.
    const text = (await call(local(all.url))).text;
    for (const p of ['REFRESH-INTERVAL', 'X-PUBLISHED-TTL', 'X-WR-CALNAME', 'X-WR-TIMEZONE']) expect(text.indexOf(`\r\n${p}`), p).toBeLessThan(text.indexOf('BEGIN:VTIMEZONE'));
  });

  it('a förbund whose calendar is a past year (Sydnärke 2016 as it stands) gets that year, not an empty feed', async () => {
    const yaml = readFileSync('examples/sydnarke.yaml', 'utf8').replace(/^(\s*)id: sydnarke$/m, '$1id: sydnarke-2016').replace(/@([a-z0-9.-]+)/g, '@hist.$1');
    const historic = (await importForbund(db.prisma, parseForbundFile(yaml, 'sydnarke-2016.yaml'), { actor: 'test' })).forbundId;
    const token = await createApiToken(db.prisma, { forbundId: historic, name: 'official', role: 'admin' });
    const list = (await call('/api/v1/forbund/sydnarke-2016/feeds', { token })).json.data as { body: string; url: string }[];
    const vcal = parse((await call(local(list.find((f) => f.body === 'all')!.url))).text);
    const count = (await db.prisma.meeting.count({ where: { forbundId: historic, year: 2016 } })) + (await db.prisma.milestone.count({ where: { forbundId: historic, year: 2016 } }));
    expect(count).toBeGreaterThan(20);
    expect(vcal.getAllSubcomponents('vevent')).toHaveLength(count);
    expect(String(vcal.getFirstPropertyValue('x-wr-caldesc'))).toContain('2015–2017');
  });

  it('a wrong or missing token, or an unknown body, is 403 JSON', async () => {
    const all = (await feeds()).find((f) => f.body === 'all')!;
    const good = new URL(all.url).searchParams.get('token')!;
    for (const path of ['/feeds/sydnarke/all.ics?token=wrong', '/feeds/sydnarke/all.ics', `/feeds/sydnarke/styrelse.ics?token=${good}`, `/feeds/sydnarke/other.ics?token=${good}`, `/feeds/nowhere/all.ics?token=${good}`]) {
      const r = await call(path);
      expect(r.status, path).toBe(403);
      expect(r.type, path).toMatch(/application\/json/);
      expect(fieldsOf(r), path).toEqual(['token']);
    }
  });
});

describe('POST /years/:year/calendar', () => {
  it('with explicit meetings with errors: 400 naming each field, nothing stored', async () => {
    const before = { meetings: await db.prisma.meeting.count(), milestones: await db.prisma.milestone.count(), years: await db.prisma.cycleYear.count() };
    const r = await call(`${Y}/years/2028/calendar`, {
      token: tokens.secretary,
      method: 'POST',
      json: {
        meetings: [
          { key: 'styrelse-01', kind: 'styrelse', date: '2028-02-30' },
          { key: 'ber-01', kind: 'bogus', date: '2027-01-10', start: '9', for: 'styrelse-99' },
          { key: 'styrelse-01', kind: 'styrelse', date: '2028-03-03', room: 'A' },
        ],
      },
    });
    expect(r.status).toBe(400);
    const f = fieldsOf(r);
    for (const x of ['meetings[0].date', 'meetings[1].kind', 'meetings[1].date', 'meetings[1].start', 'meetings[1].for', 'meetings[2].key', 'meetings[2].room']) expect(f, x).toContain(x);
    expect(f).not.toContain('meetings[0].key');
    expect({ meetings: await db.prisma.meeting.count(), milestones: await db.prisma.milestone.count(), years: await db.prisma.cycleYear.count() }).toEqual(before);
    expect(notifier.cycleCalls).toEqual([]);

    for (const json of [{ meetings: [] }, { meetings: 'x' }, { calendar: [] }, { meetings: undefined }]) {
      const e = await call(`${Y}/years/2028/calendar`, { token: tokens.admin, method: 'POST', json });
      expect(e.status).toBe(400);
      expect(fieldsOf(e)).toEqual([Object.keys(json)[0]]);
    }
    expect((await call(`${Y}/years/2028/calendar`, { token: tokens.board, method: 'POST' })).status).toBe(403);
    // No body at all adopts nothing: the caller says what to adopt.
    const none = await call(`${Y}/years/2028/calendar`, { token: tokens.admin, method: 'POST' });
    expect(none.status).toBe(400);
    expect(fieldsOf(none)).toEqual(['meetings']);
    for (const y of ['2026.0', '2026e0', '02026', '0x7EA', '%202026']) {
      const bad = await call(`${Y}/years/${y}`, { token: tokens.admin });
      expect(bad.status, y).toBe(400);
      expect(fieldsOf(bad)).toEqual(['year']);
    }
  });

  it('with meetings "proposed" proposes 2027 from 2026 (same keys and weekdays) and adopts it; 2026 nextCalendar done; twice is 409', async () => {
    const plan2026 = await yearPlan(2026);
    const planned2026 = plan2026.meetings.filter((m: Json) => m.status === 'planned');
    expect(milestoneOf(plan2026, 'nextCalendar').status).toBe('open');
    const r = await call(`${Y}/years/2027/calendar`, { token: tokens.secretary, method: 'POST', json: { meetings: 'proposed' } });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({ year: 2027, calendar: { adopted: true, adoptedAt: NOW.toISOString() }, workflowNotified: true });
    expect(r.json.calendar.adoptedBy).toMatch(/secretary/);
    const meetings2027: Json[] = r.json.meetings;
    expect(meetings2027.map((m) => m.key).sort()).toEqual(planned2026.map((m: Json) => m.key).sort());
    for (const m of meetings2027) {
      const old = meetingOf(plan2026, m.key);
      expect(m.date.slice(0, 4), m.key).toBe('2027');
      expect(weekday(m.date), m.key).toBe(weekday(old.date));
      expect([m.kind, m.start, m.end, m.prepares, m.status], m.key).toEqual([old.kind, old.start, old.end, old.prepares, 'planned']);
    }
    expect(meetingOf(r.json, 'styrelse-02')).toMatchObject({ date: '2027-02-26', startsAt: '2027-02-26T08:00:00.000Z' });
    expect(meetings2027.filter((m) => m.kind === 'styrelse')).toHaveLength(7);
    // The year's milestones are placed on the new meetings.
    expect(milestoneOf(r.json, 'bokslut')).toMatchObject({ meeting: 'styrelse-02', dueDate: meetingOf(r.json, 'beredning-02').date, status: 'open' });
    expect(milestoneOf(r.json, 'halfYearReports').dueDate.slice(0, 7)).toBe('2027-08');
    expect(milestoneOf(r.json, 'delar').dueDate.slice(0, 4)).toBe('2027');
    expect(notifier.cycleCalls).toEqual([{ forbundId: sydnarkeId, year: 2026, reason: 'calendar 2027 adopted' }]);

    expect(milestoneOf(await yearPlan(2026), 'nextCalendar')).toMatchObject({ status: 'done', doneAt: NOW.toISOString() });
    expect(await yearPlan(2027)).toMatchObject({ calendar: { adopted: true } });

    notifier.reset();
    const again = await call(`${Y}/years/2027/calendar`, { token: tokens.admin, method: 'POST', json: { meetings: 'proposed' } });
    expect(again.status).toBe(409);
    expect(fieldsOf(again)).toEqual(['year']);
    expect(notifier.cycleCalls).toEqual([]);
  });

  it('the feeds now carry 2027 too', async () => {
    const all = (await (await call(`${Y}/feeds`, { token: tokens.admin })).json.data) as { body: string; url: string }[];
    const u = new URL(all[0].url);
    const text = (await call(`${u.pathname}${u.search}`)).text;
    const count = (await db.prisma.meeting.count({ where: { forbundId: sydnarkeId } })) + (await db.prisma.milestone.count({ where: { forbundId: sydnarkeId } }));
    expect(new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent')).toHaveLength(count);
  });
});
