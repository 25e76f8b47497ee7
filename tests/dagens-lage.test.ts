// The day's digest ("Dagens läge", issue 18): the official's and the secretaries' routine notices
// of a day reach them in one mail, the others (a coordinator, the beredningsgrupp) as before. The
// split and the sections are plain rules; the mailer keeps each routine notice once per person; the
// digest workflow (started by the daily Schedule) sends one mail per person on Temporal's
// time-skipping test server, nothing twice, and nothing when nothing happened.
import { describe, expect, it } from 'vitest';
import { createMailer } from '../activities/mail.js';
import { digestSections, sectionOf, splitRoutine, subjectLine } from '../domain/dagens-lage.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { importForbund } from '../services/import.js';
import { dagensLage } from '../workflows/dagens-lage.js';
import { DIGEST_SPEC } from '../worker/schedules.js';
import { MEMBERS_YAML } from './support/fixtures.js';
import { ccOf, toOf } from './support/mails.js';
import { recordHistory, TASK_QUEUE, workflowTestBed, type WorkflowTestBed } from './support/temporal.js';

const official = { name: 'Örjan Tjänsteman', email: 'Official@digest.example' };
const secretary = { name: 'Sara Sekreterare', email: 'secretary@digest.example' };
const coordinator = { name: 'Åsa Kvartal', email: 'a@digest.example' };
const member = { name: 'Märta Chef', email: 'bg-fk@digest.example' };

describe('who takes a routine notice in the digest (pure)', () => {
  const staff = new Set(['official@digest.example', 'secretary@digest.example']);
  it('the official and the secretaries take it in the digest, once each; the others get the mail', () => {
    expect(splitRoutine([official, member], [coordinator], staff)).toEqual({ digested: [official], to: [member], cc: [coordinator] });
    // Every addressee takes the digest: the one in copy gets the mail as its addressee.
    expect(splitRoutine([official], [coordinator, secretary], staff)).toEqual({ digested: [official, secretary], to: [coordinator], cc: [] });
    expect(splitRoutine([coordinator], [official], staff)).toEqual({ digested: [official], to: [coordinator], cc: [] });
    expect(splitRoutine([official, { ...official, email: ' OFFICIAL@digest.example' }], [], staff)).toEqual({ digested: [official], to: [], cc: [] });
    expect(splitRoutine([coordinator], [], staff)).toEqual({ digested: [], to: [coordinator], cc: [] });
  });

  it('groups notices by section in reading order, each section in the order they came', () => {
    expect(sectionOf('report.escalation')).toBe('Rapporter');
    expect(sectionOf('milestone.reminder')).toBe('Årets moment');
    expect(sectionOf('matter.moved')).toBe('Ärenden');
    expect(sectionOf('something.else')).toBe('Övrigt');
    const at = (h: number) => new Date(`2037-10-22T0${h}:00:00Z`);
    const sections = digestSections([
      { kind: 'milestone.overdue', subject: 'm', link: null, at: at(3) },
      { kind: 'report.escalation', subject: 'b', link: 'x', at: at(2) },
      { kind: 'report.overdue', subject: 'a', link: 'y', at: at(1) },
    ]);
    expect(sections.map((s) => [s.section, s.lines.map((l) => l.subject)])).toEqual([
      ['Rapporter', ['a', 'b']],
      ['Årets moment', ['m']],
    ]);
    expect(subjectLine('Eskalering: x – Samordningsförbundet Y', 'Samordningsförbundet Y')).toBe('Eskalering: x');
  });

  it('is sent every morning at 07:00 in Europe/Stockholm', () => {
    expect(DIGEST_SPEC).toMatchObject({ timezone: 'Europe/Stockholm', calendars: [{ hour: 7, minute: 0 }] });
  });
});

const FILE = `
forbund:
  id: dagens-lage
  name: Samordningsförbundet Dagens Läge
  email: kansli@digest.example
  year: 2037
${MEMBERS_YAML}
people:
  - { id: official, name: ${official.name}, email: ${official.email}, roles: [official] }
  - { id: secretary, name: ${secretary.name}, email: ${secretary.email}, roles: [secretary] }
  - { id: chair, name: Ordf Örn, email: chair@digest.example, roles: [board_member] }
  - { id: bg-fk, name: ${member.name}, email: ${member.email}, roles: [] }
  - { id: co-a, name: ${coordinator.name}, email: ${coordinator.email}, roles: [coordinator] }
bodies:
  styrelse:
    members:
      - { person: chair, role: chair, member: kommunen }
  beredningsgrupp:
    members:
      - { person: bg-fk, member: fk }
projects: []
cycle:
  meetings: []
`;

let bed: WorkflowTestBed;
workflowTestBed({ linkSecret: 'd'.repeat(32) }, (b) => (bed = b));

describe('the digest on the time-skipping test server', () => {
  it('keeps the routine notices of the official and the secretary for one mail each; the others get theirs at once; a second run sends nothing', async () => {
    const prisma = bed.db.prisma;
    const { forbundId } = await importForbund(prisma, parseForbundFile(FILE, 'dagens-lage.yaml'), { actor: 'test' });
    const mailer = createMailer({ prisma, transport: bed.smtp.transport, log: () => {} });
    const from = { name: 'Samordningsförbundet Dagens Läge', email: 'kansli@digest.example' };
    const notice = (key: string, kind: string, subject: string, to: typeof official[], cc: typeof official[] = []) =>
      mailer.send({ key, forbundId, from, kind, to, cc, subject: `${subject} – ${from.name}`, text: subject, html: `<p>${subject}</p>`, routine: true, link: `http://localhost:3000/admin#${key}` });

    // An escalation to the official and the beredningsgrupp, the coordinator in copy.
    expect(await notice('report:o1:escalation', 'report.escalation', 'Eskalering: kvartalsrapport för ”Kvartalet” är 7 dagar försenad', [official, member], [coordinator])).toMatchObject({ outcome: 'sent' });
    // The overdue reminder to the coordinator with the official in copy, and the retry of the same step.
    expect(await notice('report:o2:overdue', 'report.overdue', 'Försenad: kvartalsrapport för ”Kvartalet”', [coordinator], [official])).toMatchObject({ outcome: 'sent' });
    expect(await notice('report:o2:overdue', 'report.overdue', 'Försenad: kvartalsrapport för ”Kvartalet”', [coordinator], [official])).toMatchObject({ outcome: 'already' });
    // A milestone reminder to the secretary alone: no mail now, the step is done.
    expect(await notice('milestone:m1:reminder-3', 'milestone.reminder', 'Påminnelse: momentet ”Sammanträdesplan” ska vara klart om 3 dagar', [secretary])).toMatchObject({ outcome: 'sent' });
    expect(await notice('milestone:m1:reminder-3', 'milestone.reminder', 'Påminnelse: momentet ”Sammanträdesplan” ska vara klart om 3 dagar', [secretary])).toMatchObject({ outcome: 'already' });
    expect(await prisma.notification.findUniqueOrThrow({ where: { key: 'milestone:m1:reminder-3' } })).toMatchObject({ status: 'sent', recipients: ['secretary@digest.example'] });

    const now = bed.smtp.messages.map((m) => ({ subject: m.subject, to: toOf(m), cc: ccOf(m) }));
    expect(now).toEqual([
      { subject: expect.stringMatching(/^Eskalering/), to: [member.email], cc: [coordinator.email] },
      { subject: expect.stringMatching(/^Försenad/), to: [coordinator.email], cc: [] },
    ]);

    // The morning's run: one digest each, with the notices and their links.
    const handle = await bed.env.client.workflow.start(dagensLage, { taskQueue: TASK_QUEUE, workflowId: 'dagens-lage-1' });
    expect(await handle.result()).toBe('2 digests sent');
    await recordHistory(handle, 'dagens-lage');
    const digests = bed.smtp.messages.filter((m) => m.subject?.startsWith('Dagens läge'));
    expect(digests.map((m) => toOf(m)).sort()).toEqual([['official@digest.example'], ['secretary@digest.example']]);
    const toOfficial = digests.find((m) => toOf(m)[0] === 'official@digest.example')!;
    expect(toOfficial.subject).toMatch(/^Dagens läge \d+ \w+ \d{4}: 2 saker att känna till – Samordningsförbundet Dagens Läge$/);
    expect(toOfficial.text).toContain('Hej Örjan Tjänsteman,');
    expect(toOfficial.text).toContain('Rapporter\n– Eskalering: kvartalsrapport för ”Kvartalet” är 7 dagar försenad\n  Öppna: http://localhost:3000/admin#report:o1:escalation\n– Försenad: kvartalsrapport för ”Kvartalet”');
    expect(toOfficial.text).toContain('Öppna Att göra: http://localhost:3000/admin\n');
    // The links by their labels in the HTML part.
    expect(toOfficial.html).toContain('<a href="http://localhost:3000/admin#report:o2:overdue">Öppna</a>');
    expect(toOfficial.html).toContain('<a href="http://localhost:3000/admin">Öppna Att göra</a>');
    const toSecretary = digests.find((m) => toOf(m)[0] === 'secretary@digest.example')!;
    expect(toSecretary.text).toContain('Årets moment\n– Påminnelse: momentet ”Sammanträdesplan”');
    expect(toSecretary.text).not.toContain('Rapporter');

    // Nothing new: the next run sends nothing, and no digest goes twice.
    const again = await bed.env.client.workflow.start(dagensLage, { taskQueue: TASK_QUEUE, workflowId: 'dagens-lage-2' });
    expect(await again.result()).toBe('0 digests sent');
    expect(bed.smtp.messages.filter((m) => m.subject?.startsWith('Dagens läge'))).toHaveLength(2);
    // A notice since: a second digest that day, with only it.
    await notice('matter:x:moved', 'matter.moved', 'Ärende 2037-00003 flyttas till nästa sammanträde', [official]);
    const third = await bed.env.client.workflow.start(dagensLage, { taskQueue: TASK_QUEUE, workflowId: 'dagens-lage-3' });
    expect(await third.result()).toBe('1 digests sent');
    const last = bed.smtp.messages.at(-1)!;
    expect(last.subject).toMatch(/: 1 sak att känna till/);
    expect(last.text).toContain('Ärenden\n– Ärende 2037-00003 flyttas');
    expect(last.text).not.toContain('Kvartalet');
    mailer.close();
  });
});
