// Secret links with generations (services/links.ts) and when they expire (domain/lankar.ts):
// generation 0 is the token links were sent with before renewals existed; a renewal makes the
// earlier generations "renewed" and only the new one opens the link; renewals at the same time
// each count, end in one generation and are each audited (never with a token).
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VERSIONS } from '../api/rapportering.js';
import { declineLinkClosed, feedLinkExpired, reportFinal, signLinkActs, submissionClosed, submissionLinkExpired, SUBMISSION_LINK_DAYS, type SubmissionLinkFacts } from '../domain/lankar.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { submissionLinkFacts } from '../services/lankar.js';
import {
  checkLink,
  declineLink,
  declinePurpose,
  feedPurpose,
  generationOf,
  generationsOf,
  projectFeedLink,
  projectFeedPurpose,
  purposeOf,
  renewLink,
  signLink,
  signPurpose,
  submissionLink,
  submissionPurpose,
  token,
  tokenMatches,
  tokenState,
} from '../services/links.js';
import { testDatabase } from './support/database.js';
import { MEMBERS_YAML } from './support/fixtures.js';

const SECRET = 'links-test-secret';
const hmac = (s: string) => createHmac('sha256', SECRET).update(s).digest('base64url');
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

describe('submission links expire (domain/lankar.ts)', () => {
  const open: SubmissionLinkFacts = { withdrawn: false, locked: false, versions: 0, maxVersions: 5, dueDate: '2026-04-15' };
  const at = (days: number) => new Date(Date.parse('2026-04-15T12:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);

  it('never while the report can be submitted or corrected, however late', () => {
    expect(submissionLinkExpired(open, at(1000))).toBe(false);
    expect(submissionLinkExpired({ ...open, versions: 2 }, at(1000))).toBe(false);
    expect(submissionClosed({ ...open, versions: 4 })).toBe(false);
  });

  it(`a locked, full or withdrawn report: on the ${SUBMISSION_LINK_DAYS}th day after its due date, not before`, () => {
    for (const closed of [{ ...open, locked: true, versions: 1 }, { ...open, versions: 5 }, { ...open, withdrawn: true }]) {
      expect(submissionClosed(closed)).toBe(true);
      expect(submissionLinkExpired(closed, at(SUBMISSION_LINK_DAYS - 1))).toBe(false);
      expect(submissionLinkExpired(closed, at(SUBMISSION_LINK_DAYS))).toBe(true);
    }
    expect(reportFinal({ locked: false, versions: 5, maxVersions: 5 })).toBe(true);
    expect(reportFinal({ locked: false, versions: 0, maxVersions: 5 })).toBe(false);
  });

  it('reads a report as api/rapportering.ts does (the same most versions)', () => {
    const f = submissionLinkFacts({ status: 'submitted', lockedAt: new Date('2026-09-01T22:30:00Z'), dueDate: new Date('2026-04-15T00:00:00Z'), project: { status: 'withdrawn' }, submissions: [{ submittedAt: new Date('2026-04-10T08:00:00Z') }, { submittedAt: new Date('2026-05-02T08:00:00Z') }] });
    expect(f).toEqual({ withdrawn: true, locked: true, versions: 2, maxVersions: MAX_VERSIONS, dueDate: '2026-04-15', finalOn: '2026-09-02' });
    expect(submissionLinkFacts({ status: 'open', lockedAt: null, dueDate: new Date('2026-04-15T00:00:00Z'), project: { status: 'active' }, submissions: [] })).not.toHaveProperty('finalOn');
  });

  it('a report made final after its due date counts the days from then (the receipt is still shown for a while)', () => {
    const late = { ...open, versions: 5, finalOn: at(200) };
    expect(submissionLinkExpired(late, at(200 + SUBMISSION_LINK_DAYS - 1))).toBe(false);
    expect(submissionLinkExpired(late, at(200 + SUBMISSION_LINK_DAYS))).toBe(true);
    // Final before the due date: the due date counts; a withdrawn project: the due date counts.
    expect(submissionLinkExpired({ ...open, locked: true, versions: 1, finalOn: at(-10) }, at(SUBMISSION_LINK_DAYS))).toBe(true);
    expect(submissionLinkExpired({ ...open, withdrawn: true, versions: 1, finalOn: at(200) }, at(SUBMISSION_LINK_DAYS))).toBe(true);
  });
});

describe('the other links expire', () => {
  const startsAt = new Date('2026-04-27T07:00:00Z');
  it('a "can\'t come" link once the meeting begins, is held or is cancelled', () => {
    expect(declineLinkClosed({ status: 'planned', startsAt, heldAt: null }, new Date('2026-04-27T06:59:59Z'))).toBeUndefined();
    expect(declineLinkClosed({ status: 'planned', startsAt, heldAt: null }, startsAt)).toBe('begun');
    expect(declineLinkClosed({ status: 'planned', startsAt, heldAt: new Date('2026-04-20T00:00:00Z') }, new Date('2026-04-21T00:00:00Z'))).toBe('begun');
    expect(declineLinkClosed({ status: 'cancelled', startsAt, heldAt: null }, new Date('2026-04-01T00:00:00Z'))).toBe('cancelled');
  });
  it('a justering link once the protokoll is justerat; a feed never', () => {
    expect(signLinkActs({ justeradAt: null })).toBe(true);
    expect(signLinkActs({ justeradAt: new Date() })).toBe(false);
    expect(feedLinkExpired()).toBe(false);
  });
});

describe('tokens by generation', () => {
  it('generation 0 is exactly the token links were sent with before (an HMAC of the purpose)', () => {
    for (const p of [submissionPurpose('o1'), feedPurpose('f1', 'styrelse'), projectFeedPurpose('p1'), declinePurpose('m1', 'x1'), signPurpose('m1', 'x1')]) {
      expect(token(SECRET, p)).toBe(hmac(p));
      expect(token(SECRET, p, 0)).toBe(hmac(p));
      expect(token(SECRET, p, 3)).toBe(hmac(`${p}#3`));
    }
    expect(tokenOf(submissionLink('https://a.example', SECRET, 'o1'))).toBe(hmac('submission:o1'));
    expect(tokenOf(submissionLink('https://a.example', SECRET, 'o1', 0))).toBe(hmac('submission:o1'));
    expect(tokenOf(declineLink('https://a.example', SECRET, 'm1', 'x1', 2))).toBe(hmac('decline:m1:x1#2'));
    expect(tokenOf(signLink('https://a.example', SECRET, 'm1', 'x1', 1))).toBe(hmac('sign:m1:x1#1'));
    expect(tokenOf(projectFeedLink('https://a.example', SECRET, 'p1', 4))).toBe(hmac('feed:project:p1#4'));
  });

  it('only the current generation matches; an earlier one is "renewed", anything else invalid', () => {
    const p = submissionPurpose('o1');
    expect(tokenState(SECRET, p, token(SECRET, p, 2), 2)).toBe('current');
    expect(tokenState(SECRET, p, token(SECRET, p, 1), 2)).toBe('renewed');
    expect(tokenState(SECRET, p, token(SECRET, p, 0), 2)).toBe('renewed');
    expect(tokenState(SECRET, p, token(SECRET, p, 3), 2)).toBe('invalid');
    expect(tokenState(SECRET, p, token(SECRET, submissionPurpose('o2'), 0), 2)).toBe('invalid');
    expect(tokenState(SECRET, p, '', 0)).toBe('invalid');
    expect(tokenMatches(SECRET, p, token(SECRET, p, 1), 1)).toBe(true);
    expect(tokenMatches(SECRET, p, token(SECRET, p, 1))).toBe(false);
  });

  it("a purpose's kind and subject, for the audit trail", () => {
    expect(purposeOf('submission:o1')).toMatchObject({ kind: 'submission', entityType: 'obligation', entityId: 'o1' });
    expect(purposeOf('feed:f1:styrelse')).toMatchObject({ kind: 'feed', entityType: 'forbund', entityId: 'f1', data: { body: 'styrelse' } });
    expect(purposeOf('feed:project:p1')).toMatchObject({ kind: 'project-feed', entityType: 'project', entityId: 'p1' });
    expect(purposeOf('decline:m1:x1')).toMatchObject({ kind: 'decline', entityType: 'meeting', entityId: 'm1', data: { personId: 'x1' } });
    expect(purposeOf('sign:m1:x1')).toMatchObject({ kind: 'sign', entityType: 'meeting', entityId: 'm1', data: { personId: 'x1' } });
    expect(() => purposeOf('local-cli')).toThrow();
  });
});

describe('renewing in the database', () => {
  let db: Database;
  let forbundId: string;
  const FILE = `
forbund: { id: lankar, name: Samordningsförbundet Länkar, email: kansli@lankar.example, year: 2026 }
${MEMBERS_YAML}
people:
  - { id: official, name: Olga Tjänsteman, email: olga@lankar.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@lankar.example, roles: [secretary] }
bodies: { styrelse: { members: [] } }
projects: []
cycle:
  meetings:
    - { id: styrelse-1, body: styrelse, date: 2026-12-10 }
`;
  const now = new Date('2026-05-04T08:00:00Z');
  const sql: string[] = [];
  const version = async () => (await db.prisma.$queryRaw<{ version: bigint }[]>`SELECT version FROM "DataVersion" WHERE "forbundId" = ${forbundId}`)[0].version;

  beforeAll(async () => {
    db = await testDatabase({ onQuery: (q) => void sql.push(q) });
    forbundId = (await importForbund(db.prisma, parseForbundFile(FILE, 'lankar.yaml'), { actor: 'test' })).forbundId;
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('a renewal refuses the old token and accepts the new one; audited with the kind, never the token', async () => {
    const p = submissionPurpose('obligation-1');
    const old = token(SECRET, p);
    expect(await generationOf(db.prisma, p)).toBe(0);
    expect(await checkLink(db.prisma, SECRET, p, old)).toBe('current');
    const before = await version();
    const g = await renewLink(db.prisma, { forbundId, purpose: p, by: 'person:x Olga Tjänsteman (admin)', now });
    expect(g).toBe(1);
    expect(await generationOf(db.prisma, p)).toBe(1);
    expect(await checkLink(db.prisma, SECRET, p, old)).toBe('renewed');
    expect(await checkLink(db.prisma, SECRET, p, token(SECRET, p, 1))).toBe('current');
    expect(await checkLink(db.prisma, SECRET, p, 'forged')).toBe('invalid');
    // Pages and feeds kept ready for the förbund are built again.
    expect(await version()).toBeGreaterThan(before);
    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { forbundId, action: 'link.renewed', entityId: 'obligation-1' } });
    expect(ev).toMatchObject({ actor: 'person:x Olga Tjänsteman (admin)', entityType: 'obligation', data: { kind: 'submission', generation: 1 } });
    expect(JSON.stringify(ev)).not.toContain(old);
    expect(JSON.stringify(ev)).not.toContain(token(SECRET, p, 1));
    const row = await db.prisma.linkGeneration.findUniqueOrThrow({ where: { purpose: p } });
    expect(row).toMatchObject({ forbundId, generation: 1, renewedBy: 'person:x Olga Tjänsteman (admin)', renewedAt: now });
  });

  it('renewals at the same time end in one consistent generation, each audited', async () => {
    const p = feedPurpose(forbundId, 'styrelse');
    sql.length = 0;
    const got = await Promise.all(Array.from({ length: 6 }, (_, i) => renewLink(db.prisma, { forbundId, purpose: p, by: `renewer-${i}`, now })));
    // One statement per renewal (INSERT … ON CONFLICT DO UPDATE), so PostgreSQL serialises them on the row.
    expect(sql.filter((q) => /INSERT INTO "public"\."LinkGeneration"/.test(q) && /ON CONFLICT/.test(q))).toHaveLength(6);
    expect(sql.filter((q) => /SELECT .*"LinkGeneration"/.test(q) && !/INSERT/.test(q))).toHaveLength(0);
    expect([...got].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await generationOf(db.prisma, p)).toBe(6);
    const events = await db.prisma.auditEvent.findMany({ where: { forbundId, action: 'link.renewed', entityType: 'forbund' } });
    expect(events).toHaveLength(6);
    expect(events.map((e) => (e.data as { generation: number }).generation).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.every((e) => (e.data as { kind: string; body: string }).kind === 'feed' && (e.data as { body: string }).body === 'styrelse')).toBe(true);
    // Only the last generation opens the feed.
    for (let n = 0; n < 6; n++) expect(await checkLink(db.prisma, SECRET, p, token(SECRET, p, n))).toBe('renewed');
    expect(await checkLink(db.prisma, SECRET, p, token(SECRET, p, 6))).toBe('current');
  });

  it('generationsOf answers every purpose asked, 0 for one never renewed, in one query', async () => {
    const queries: string[] = [];
    const asked = [submissionPurpose('obligation-1'), feedPurpose(forbundId, 'styrelse'), declinePurpose('m', 'never'), submissionPurpose('obligation-1')];
    const spy = db.prisma.$extends({ query: { linkGeneration: { async $allOperations({ operation, args, query }) { queries.push(operation); return query(args); } } } });
    const g = await generationsOf(spy as unknown as typeof db.prisma, asked);
    expect(queries).toEqual(['findMany']);
    expect(Object.fromEntries(g)).toEqual({ [submissionPurpose('obligation-1')]: 1, [feedPurpose(forbundId, 'styrelse')]: 6, [declinePurpose('m', 'never')]: 0 });
    expect((await generationsOf(db.prisma, [])).size).toBe(0);
  });
});
