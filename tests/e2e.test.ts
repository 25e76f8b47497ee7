// The product as it runs: `npm start`'s entry point (worker/main.ts) as a child process — API and
// worker together — against Temporal's dev server (createLocal, the CLI from .temporal/ or the
// PATH), a real SMTP peer and a real database, with a förbund imported by `npm run import`.
// Everything is seen from outside: HTTP requests and the mails the SMTP peer receives.
// It runs in real time, so the dates are placed around today. The board meeting has its own
// workflow (styrelsemote), started by the import, which sends its invites: one per ledamot and
// one to the secretary and the official together; the year's workflow (arscykel) sends none.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, stockholmDateTime, toStockholmDate } from '../domain/dates.js';
import { findTemporalServer } from '../worker/temporal-servers.js';
import { NEXT_STEP, SEARCH_ATTRIBUTES, YEAR } from '../workflows/search-attributes.js';
import { currentDecision, meetingStage, meetingWorkflowId } from '../workflows/signals.js';
import { serverDatabaseUrl, serverUrl } from './support/database.js';
import { apiCaller, type Json } from './support/http.js';
import { keyOf, calendarOf } from './support/mails.js';
import { addresses, startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import { eventually } from './support/temporal.js';
import { freePort, MEMBERS_YAML } from './support/fixtures.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const LINK_SECRET = 'e2e-secret-'.padEnd(40, 'x');

const today = toStockholmDate(new Date());
const meetingDate = addDays(today, 10);
const year = Number(meetingDate.slice(0, 4));
const FILE = `
forbund: { id: e2e, name: Samordningsförbundet Ände till Ände, email: kansli@e2e.example, year: ${year} }
${MEMBERS_YAML}
people:
  - { id: official, name: Olga Tjänsteman, email: olga@e2e.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@e2e.example, roles: [secretary] }
  - { id: coordinator, name: Klara Samordnare, email: klara@e2e.example, roles: [coordinator] }
  - { id: ledamot, name: Lars Ledamot, email: lars@e2e.example, roles: [board_member] }
bodies: { styrelse: { members: [{ person: ledamot, role: chair, member: kommunen }] } }
reporting:
  reminders: [14, 3, 0]
  overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 }
projects:
  - { id: insatsen, name: Insatsen, coordinator: coordinator, start: ${addDays(today, -120)}, end: ${addDays(today, -1)}, reports: [final] }
cycle:
  # The kallelse 2 days before the meeting, the secretary reminded 1 working day before that:
  # both on days after today whatever today is, so no mail but the invites comes from the board
  # meeting's workflow while the test runs.
  kallelseDays: 2
  kallelseReminderDays: 1
  meetings:
    - { id: styrelse-e2e, body: styrelse, date: ${meetingDate}, start: "09:00", end: "12:00" }
  milestones: { bokslut: false, budgetDialogue: false, halfYearReports: false, delar: false, budgetFollowUp: false, vpBudget: false, nextCalendar: false, stateAllocation: false, attestReview: false }
`;


interface Proc {
  child: ChildProcess;
  lines: Json[];
  exited: Promise<number | null>;
}

let temporalEnv: TestWorkflowEnvironment;
let temporalPort: number;

/** The dev server on a fixed port with its state in a file, so it can be stopped and started again. */
const devServer = () =>
  TestWorkflowEnvironment.createLocal({
    server: { executable: findTemporalServer('cli').executable, ip: '127.0.0.1', port: temporalPort, dbFilename: join(dataDir, 'temporal.db'), searchAttributes: SEARCH_ATTRIBUTES },
  });
let smtp: TestSmtpServer;
let dataDir: string;
let dropDb: (() => Promise<void>) | undefined;
let env: NodeJS.ProcessEnv;
let base: string;
let app: Proc | undefined;
const call = apiCaller(() => base);

function run(args: string[]) {
  const r = spawnSync(TSX, args, { cwd: ROOT, env, encoding: 'utf8' });
  expect(r.status, `${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
  return r.stdout;
}

/** `npm start`, as a child process; resolves when it logged `until` (by default: its worker has reconciled the workflows). */
async function start(until = 'workflows reconciled'): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Json[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const l of parts) {
      try {
        lines.push(JSON.parse(l));
      } catch {
        lines.push({ msg: l });
      }
    }
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const proc = { child, lines, exited };
  // A process that exits before it is ready fails the test at once with its output (not at the test's timeout).
  let exitedEarly: ((code: number | null) => never) | undefined = (code) => {
    throw new Error(`npm start exited ${code} before logging "${until}": ${stderr}${lines.map((l) => JSON.stringify(l)).join('\n')}`);
  };
  await Promise.race([
    eventually(() => expect(lines.some((l) => l.msg === until)).toBe(true), 60_000),
    exited.then((code) => exitedEarly?.(code)),
  ]);
  exitedEarly = undefined;
  return proc;
}

async function stop(p: Proc | undefined) {
  if (!p || p.child.exitCode !== null) return;
  p.child.kill('SIGTERM');
  expect(await p.exited).toBe(0);
}


const invites = () => smtp.messages.map(calendarOf).filter((c) => c !== undefined);
const toOf = (m: ParsedMail) => addresses(m.to).sort();
/** The board meeting's invites, by key: invite:<meeting>:<SEQUENCE>:<person id or "staff">. */
const boardInvites = (sequence: number) => smtp.messages.filter((m) => calendarOf(m)?.sequence === sequence).map((m) => ({ key: keyOf(m), to: toOf(m), cal: calendarOf(m)! }));
const STAFF = ['olga@e2e.example', 'sixten@e2e.example'];
const reminders = () => smtp.messages.filter((m) => m.subject?.startsWith('Påminnelse'));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'arscykel-e2e-'));
  temporalPort = await freePort();
  [temporalEnv, smtp] = await Promise.all([devServer(), startSmtpServer()]);
  const port = await freePort();
  base = `http://localhost:${port}`;
  let database: NodeJS.ProcessEnv = {};
  if (serverUrl) {
    const db = await serverDatabaseUrl();
    database = { DATABASE_URL: db.url };
    dropDb = db.drop;
  }
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...database,
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_BASE_URL: base,
    LINK_SECRET,
    SMTP_HOST: smtp.host,
    SMTP_PORT: String(smtp.port),
    TEMPORAL_ADDRESS: temporalEnv.address,
    TEMPORAL_TASK_QUEUE: 'arscykel-e2e',
  };
  writeFileSync(join(dataDir, 'e2e.yaml'), FILE);
  run(['scripts/import.ts', join(dataDir, 'e2e.yaml')]);
}, 120_000);

afterAll(async () => {
  await stop(app).catch(() => app?.child.kill('SIGKILL'));
  await temporalEnv?.teardown();
  await smtp?.close();
  await dropDb?.();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('Årscykel end to end: npm start against the dev server, an SMTP peer and a database', () => {
  let token: string;
  let obligationId: string;
  /** The final report's due date as the file planned it, before the official moves it. */
  let finalDue = '';
  let meetingId: string;
  let ledamotKey: string;

  it('starts, answers /health/ready with the database and Temporal, and the board meeting\'s workflow sends its invites at once', async () => {
    token = run(['scripts/token.ts', 'e2e', 'admin', 'e2e-test']).trim();
    app = await start();
    const health = await call('/health/ready');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok', database: { status: 'ok' }, temporal: { status: 'ok', address: temporalEnv.address } });
    expect((await call('/health/live')).json).toEqual({ status: 'ok' });
    // Structured logs: every line JSON with a message.
    expect(app.lines.every((l) => typeof l.msg === 'string' && typeof l.time === 'string')).toBe(true);

    // The board meeting's invites: one to the ledamot, one to the secretary and the official together.
    await eventually(() => expect(invites()).toHaveLength(2), 30_000);
    const [invite] = invites();
    meetingId = invite!.uid.replace(/^meeting-|@arscykel$/g, '');
    ledamotKey = boardInvites(0).find((i) => i.to.join() === 'lars@e2e.example')!.key;
    expect(ledamotKey).toMatch(new RegExp(`^invite:${meetingId}:0:[0-9a-f-]{36}$`));
    expect(boardInvites(0).map((i) => [i.key, i.to])).toEqual(
      expect.arrayContaining([
        [ledamotKey, ['lars@e2e.example']],
        [`invite:${meetingId}:0:staff`, STAFF],
      ]),
    );
    for (const i of boardInvites(0)) expect(i.cal).toMatchObject({ method: 'REQUEST', sequence: 0, uid: `meeting-${meetingId}@arscykel`, start: stockholmDateTime(meetingDate, '09:00') });
    const ledamotMail = smtp.messages.find((m) => keyOf(m) === ledamotKey)!;
    expect(ledamotMail.text).toMatch(new RegExp(`Kan du inte komma\\? Meddela förhinder: ${base}/meetings/${meetingId}/forhinder/`));
    // Its workflow, started by the import: waiting for the kallelse.
    const board = temporalEnv.client.workflow.getHandle(meetingWorkflowId(meetingId));
    expect((await board.describe()).type).toBe('styrelsemote');
    expect(await board.query(meetingStage)).toBe('planned');

    // The Temporal UI can answer "which förbund waits on what": search attributes kept current.
    await eventually(async () => {
      const found: Json[] = [];
      for await (const w of temporalEnv.client.workflow.list({ query: 'ArscykelForbund = "e2e" AND ArscykelKind = "arscykel"' })) found.push(w);
      expect(found).toHaveLength(1);
      const decision = (await temporalEnv.client.workflow.getHandle(found[0].workflowId).query(currentDecision)) as Json;
      expect(found[0].typedSearchAttributes.get(NEXT_STEP)).toBe(decision.step?.kind ?? decision.action);
      expect(found[0].typedSearchAttributes.get(YEAR)).toBe(Number(today.slice(0, 4)));
      // The board meeting's workflow too: what stage it is in.
      const meetings: Json[] = [];
      for await (const w of temporalEnv.client.workflow.list({ query: 'ArscykelForbund = "e2e" AND ArscykelKind = "styrelsemote"' })) meetings.push(w);
      expect(meetings.map((w) => w.workflowId)).toEqual([meetingWorkflowId(meetingId)]);
      expect(meetings[0].typedSearchAttributes.get(NEXT_STEP)).toBe('planned');
    }, 15_000);
  }, 120_000); // npm start bundles the workflow code and the process may start slowly on a busy machine

  it('reminds the coordinator, whose submission through the link in the mail stops the reminders', async () => {
    const projects = await call('/api/v1/forbund/e2e/projects', { token });
    obligationId = projects.json.data[0].obligations[0].id;
    finalDue = projects.json.data[0].obligations[0].dueDate;
    // The official gives the final report a due date two days from now: the 3-day reminder is already due.
    const moved = await call(`/api/v1/forbund/e2e/obligations/${obligationId}`, { token, method: 'PATCH', json: { dueDate: addDays(today, 2) } });
    expect(moved.status).toBe(200);
    expect(moved.json.workflowNotified).toBe(true);
    await eventually(() => expect(reminders()).toHaveLength(1), 30_000);
    const mail = reminders()[0];
    expect(mail.to && !Array.isArray(mail.to) && mail.to.value[0].address).toBe('klara@e2e.example');
    expect(mail.text).toContain('ska lämnas om 2 dagar');
    const link = /(http:\/\/localhost:\d+\/submit\/[0-9a-f-]+\?token=[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1];
    expect((await call(link.replace(base, ''))).status).toBe(200);

    const apiLink = link.replace('/submit/', '/api/v1/submissions/');
    const submitted = await call(apiLink.replace(base, ''), { method: 'POST', json: { figures: { participantsActive: 12, participantsNew: 3 }, narrative: 'Slutrapport: insatsen nådde sina mål.' } });
    expect(submitted.status).toBe(201);
    expect(submitted.json.workflowNotified).toBe(true);
    const planned = await call('/api/v1/forbund/e2e/planned-reminders?days=30', { token });
    expect(planned.json.data.filter((r: Json) => r.obligation.id === obligationId)).toEqual([]);
    const pending = await call('/api/v1/forbund/e2e/pending-steps', { token });
    // No longer owed: what is left of it is the official's review before it is published.
    expect(pending.json.data.filter((s: Json) => s.id === obligationId).map((s: Json) => s.type)).toEqual(['review']);
  });

  it('a moved board meeting sends an update; stopped and started again, nothing is lost or sent twice; a cancelled one sends a CANCEL', async () => {
    const moved = await call(`/api/v1/forbund/e2e/meetings/${meetingId}`, { token, method: 'PATCH', json: { start: '13:00', end: '16:00' } });
    expect(moved.status).toBe(200);
    // Told at once, or (on a busy machine, past the signal's 750 ms) kept and delivered by the worker:
    // either way the invites below go out once.
    expect(moved.json).toMatchObject({ sequence: 1, workflowNotified: expect.any(Boolean) });
    // The board meeting's workflow: the same two invites at SEQUENCE 1, same UID, the new time.
    await eventually(() => expect(invites().map((c) => [c.method, c.sequence])).toEqual([['REQUEST', 0], ['REQUEST', 0], ['REQUEST', 1], ['REQUEST', 1]]), 30_000);
    const ledamot1 = ledamotKey.replace(':0:', ':1:');
    expect(boardInvites(1).map((i) => [i.key, i.to])).toEqual(expect.arrayContaining([[ledamot1, ['lars@e2e.example']], [`invite:${meetingId}:1:staff`, STAFF]]));
    for (const i of boardInvites(1)) expect(i.cal).toMatchObject({ method: 'REQUEST', sequence: 1, uid: `meeting-${meetingId}@arscykel`, start: stockholmDateTime(meetingDate, '13:00') });

    // Stop (SIGTERM: activities finish, connections close) and start again.
    const before = smtp.messages.length;
    await stop(app);
    expect(app!.lines.some((l) => l.msg === 'stopped')).toBe(true);
    app = await start();
    // The restart re-reads every workflow: nothing is sent again.
    await new Promise((r) => setTimeout(r, 3000));
    expect(smtp.messages).toHaveLength(before);

    const cancelled = await call(`/api/v1/forbund/e2e/meetings/${meetingId}/cancel`, { token, method: 'POST' });
    expect(cancelled.status).toBe(200);
    await eventually(() => expect(invites().map((c) => [c.method, c.sequence])).toEqual([['REQUEST', 0], ['REQUEST', 0], ['REQUEST', 1], ['REQUEST', 1], ['CANCEL', 2], ['CANCEL', 2]]), 30_000);
    expect(boardInvites(2).map((i) => [i.key, i.to])).toEqual(expect.arrayContaining([[ledamotKey.replace(':0:', ':2:'), ['lars@e2e.example']], [`invite:${meetingId}:2:staff`, STAFF]]));
    for (const i of boardInvites(2)) expect(i.cal).toMatchObject({ method: 'CANCEL', sequence: 2, uid: `meeting-${meetingId}@arscykel` });
    // The board meeting's workflow ends; nothing but the invites, the coordinator's reminder, the receipt and
    // the letters of the project's report dates was sent, each once: next year's when the project
    // was added (its final report fell due then), and this year's when the due date moved into it.
    const board = temporalEnv.client.workflow.getHandle(meetingWorkflowId(meetingId));
    expect(await board.result()).toBe('cancelled');
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(smtp.messages.length);
    expect(new Set(smtp.messages.map(keyOf)).size).toBe(smtp.messages.length);
    expect(reminders()).toHaveLength(1);
    const letters = smtp.messages.filter((m) => m.subject?.startsWith('Rapporter '));
    // (The first goes only if the workflow got to it before the due date moved.)
    const letterYears = letters.map((m) => keyOf(m).split(':').pop());
    expect(letterYears).toContain(addDays(today, 2).slice(0, 4));
    for (const y of letterYears) expect([finalDue.slice(0, 4), addDays(today, 2).slice(0, 4)]).toContain(y);
    // And the coordinator's receipt of the report submitted through the link.
    expect(smtp.messages.filter((m) => !calendarOf(m) && !letters.includes(m)).map((m) => m.subject)).toEqual([reminders()[0].subject, 'Mottagen: slutrapport för ”Insatsen” – Samordningsförbundet Ände till Ände']);
  });

  it('with Temporal unreachable an API write answers within 2 s; the change is kept and reaches the workflow when Temporal is back', async () => {
    // Temporal goes away under the running process (its port refuses from now on).
    await temporalEnv.teardown();
    await eventually(async () => expect((await call('/health/ready')).json).toMatchObject({ status: 'degraded', database: { status: 'ok' }, temporal: { status: 'unavailable' } }), 30_000);

    const started = performance.now();
    const withdrawn = await call('/api/v1/forbund/e2e/projects/insatsen/withdraw', { token, method: 'POST' });
    const ms = performance.now() - started;
    console.log(`e2e: POST withdraw with Temporal unreachable answered ${withdrawn.status} in ${ms.toFixed(0)} ms`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.json.workflowNotified).toBe(false);
    expect(ms).toBeLessThan(2000);
    expect(await kept()).toBe(1);

    // A process started while Temporal is down serves too, and says so.
    await stop(app);
    app = await start('temporal unavailable; the API stays up, changes are kept, retrying in 30 s');
    expect((await call('/health/ready')).json).toMatchObject({ status: 'degraded', temporal: { status: 'unavailable' } });
    expect((await call('/api/v1/forbund/e2e/pending-steps', { token })).status).toBe(200);

    // Temporal comes back on the same address with its history (the dev server's database file):
    // within the 30 s retry the worker joins and the kept change reaches the workflow.
    temporalEnv = await devServer();
    await eventually(async () => expect((await call('/health/ready')).json.status).toBe('ok'), 45_000);
    await eventually(async () => expect(await kept()).toBe(0), 10_000);
    // Nothing was sent twice over the whole run.
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(smtp.messages.length);
    // The waits above add up to more than the default 60 s on a busy machine (a dev server restarted,
    // 45 s for the worker's retry): the test's own limit covers them.
  }, 180_000);
});

/** The changes the API stored that have not reached their workflow, from /metrics. */
async function kept(): Promise<number> {
  const text = (await call('/metrics')).text;
  return Number(/^arscykel_workflow_changes_kept (\d+)/m.exec(text)?.[1]);
}
