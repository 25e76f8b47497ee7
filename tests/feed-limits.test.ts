// The calendar feeds with the default limits, over real HTTP: Outlook, Google and Apple fetch every
// subscriber's feed from a few shared addresses, so a feed is limited per link (its token), not per
// address; conditional requests (If-None-Match, If-Modified-Since) are answered 304 until the data
// changes; forged tokens are still counted per address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { DEFAULT_GUARDS } from '../api/guards.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { moveMeeting } from '../services/kalendarium.js';
import { feedLink, projectFeedLink } from '../services/links.js';
import { FEED_BODIES } from '../services/lankar.js';
import { testDatabase } from './support/database.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { serve } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';

const BASE = 'https://arscykel.example';
const SECRET = 'f'.repeat(32);
const NOW = new Date('2026-11-30T09:00:00Z');
const project = (i: number) => `  - { id: p${i}, name: Insats ${i}, huvudman: Åby kommun, coordinator: s${i}, start: 2026-01-01, end: 2027-12-31, reports: [quarterly] }`;
const coordinator = (i: number) => `  - { id: s${i}, name: Samordnare ${i}, email: s${i}@flode.example, roles: [coordinator] }`;
const FILE = `
forbund: { id: flode, name: Samordningsförbundet Flöde, email: kansli@flode.example, year: 2026 }
${MEMBERS_YAML}
people:
  - { id: official, name: Olga Tjänsteman, email: olga@flode.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@flode.example, roles: [secretary] }
${[1, 2, 3, 4, 5].map(coordinator).join('\n')}
bodies: { styrelse: { members: [] } }
projects:
${[1, 2, 3, 4, 5].map(project).join('\n')}
cycle:
  meetings:
    - { id: styrelse-1, body: styrelse, date: 2026-12-10 }
`;

let db: Database;
let base: string;
let forbund: { id: string; slug: string };
let links: string[];
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  db = await testDatabase();
  const { forbundId } = await importForbund(db.prisma, parseForbundFile(FILE, 'flode.yaml'), { actor: 'test' });
  forbund = { id: forbundId, slug: 'flode' };
  const projects = await db.prisma.project.findMany({ where: { forbundId }, select: { id: true } });
  // The default guards: what a deployment has unless it says otherwise.
  const s = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: BASE, linkSecret: SECRET, now: () => NOW }));
  open.push(s);
  base = s.base;
  const local = (url: string) => url.replace(BASE, base);
  links = [...FEED_BODIES.map((b) => local(feedLink(BASE, SECRET, forbund, b))), ...projects.map((p) => local(projectFeedLink(BASE, SECRET, p.id)))];
}, 120_000);

afterAll(async () => {
  for (const s of open) await s.close();
  await db?.close();
});

describe('feeds from one address with the default limits', () => {
  it('nine subscribers behind one address fetch their feeds 25 times each in a minute: all answered, though the public limit per address is 120', async () => {
    expect(links).toHaveLength(9);
    const statuses: number[] = [];
    for (let round = 0; round < 25; round++) for (const l of links) statuses.push((await fetch(l)).status);
    expect(statuses).toHaveLength(225);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it(`one link asked more than ${DEFAULT_GUARDS.feedPerMinutePerLink} times a minute is held back (429); the others from the same address are not`, async () => {
    const [one, other] = links;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await fetch(one)).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.at(-1)).toBe(429);
    expect((await fetch(other)).status).toBe(200);
  });
});

describe('conditional requests', () => {
  it('the same feed again with its ETag or its Last-Modified is 304 and no body; a change to the calendar gives 200 with a new ETag', async () => {
    // An app of its own: the links above have used up this minute.
    const s = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: BASE, linkSecret: SECRET, now: () => NOW }));
    open.push(s);
    const url = feedLink(BASE, SECRET, forbund, 'styrelse').replace(BASE, s.base);
    const a = await fetch(url);
    expect(a.status).toBe(200);
    expect(a.headers.get('cache-control')).toBe('private, no-cache');
    const etag = a.headers.get('etag')!;
    const modified = a.headers.get('last-modified')!;
    expect(etag).toMatch(/^".+"$/);
    expect(new Date(modified).getTime()).not.toBeNaN();
    const body = await a.text();
    expect(body).toContain('BEGIN:VCALENDAR');

    // As a calendar client asks (fetch would add "Cache-Control: no-cache" to a conditional request, which forbids a 304).
    const ask = (headers: Record<string, string>) => fetch(url, { headers: { 'cache-control': 'max-age=0', ...headers } });
    const byTag = await ask({ 'if-none-match': etag });
    expect(byTag.status).toBe(304);
    expect(await byTag.text()).toBe('');
    const byDate = await ask({ 'if-modified-since': modified });
    expect(byDate.status).toBe(304);

    const meeting = await db.prisma.meeting.findFirstOrThrow({ where: { forbundId: forbund.id, key: 'styrelse-1' } });
    await moveMeeting({ prisma: db.prisma, notifier: new RecordingNotifier(), now: () => NOW }, { forbundId: forbund.id, id: meeting.id, change: { date: '2026-12-11' }, confirm: true, actor: 'test' });
    // Last-Modified is to the second: the change must come at least a second later to be seen by date.
    await new Promise((r) => setTimeout(r, 1100));
    const changed = await ask({ 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.text()).not.toBe(body);
    const changedByDate = await ask({ 'if-modified-since': modified });
    expect(changedByDate.status).toBe(200);
  });
});

describe('forged feed addresses', () => {
  it(`are refused 403, and after ${DEFAULT_GUARDS.authFailuresPer10Minutes} from one address 429; a valid link from that address still gets its feed`, async () => {
    const s = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: BASE, linkSecret: SECRET, now: () => NOW }));
    open.push(s);
    const statuses: number[] = [];
    for (let i = 0; i < DEFAULT_GUARDS.authFailuresPer10Minutes + 2; i++) statuses.push((await fetch(`${s.base}/feeds/flode/styrelse.ics?token=forged${i}`)).status);
    expect(statuses.slice(0, DEFAULT_GUARDS.authFailuresPer10Minutes)).toEqual(Array(DEFAULT_GUARDS.authFailuresPer10Minutes).fill(403));
    expect(statuses.slice(-2)).toEqual([429, 429]);
    expect((await fetch(feedLink(BASE, SECRET, forbund, 'all').replace(BASE, s.base))).status).toBe(200);
  });
});
