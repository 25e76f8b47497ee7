// Pieces the tests' förbund files and processes share.
import { createServer } from 'node:net';
import { addDays, toStockholmDate } from '../../domain/dates.js';

/** The four members every förbund has (a municipality, the region, FK and AF), as förbund-file YAML. */
export const MEMBERS_YAML = `members:
  - { id: kommunen, name: Åby kommun, kind: municipality }
  - { id: regionen, name: Region Östra Sjö, kind: region }
  - { id: fk, name: Försäkringskassan, kind: forsakringskassan }
  - { id: af, name: Arbetsförmedlingen, kind: arbetsformedlingen }`;

/** A förbund file of people only (no board seats, no projects, one board meeting 2026-12-10): for the sign-in tests. */
export const peopleOnlyFile = (slug: string, name: string, people: string) => `
forbund: { id: ${slug}, name: ${name}, email: kansli@${slug}.example, year: 2026 }
${MEMBERS_YAML}
people:
${people}
bodies: { styrelse: { members: [] } }
projects: []
cycle:
  meetings:
    - { id: styrelse-1, body: styrelse, date: 2026-12-10 }
`;

/** A TCP port free at the moment of asking. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The förbund of the full-disk runs (tests/disk-full.test.ts, tests/support/full-disk.ts): an official and a secretary. */
export const FULL_DISK_FILE = peopleOnlyFile(
  'fullt',
  'Samordningsförbundet Fullt',
  `  - { id: official, name: Olga Tjänsteman, email: olga@fullt.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@fullt.example, roles: [secretary] }`,
);

/**
 * A förbund's board for the tests of what is public (tests/oparl.test.ts, tests/offentlighet-domain.test.ts):
 * an ordförande, a vice, a ledamot, an ersättare and one whose mandatperiod ended; staff and a
 * coordinator who are never public; four board meetings in 2037 and a beredningsgrupp meeting.
 */
export const PUBLIC_BOARD_FILE = `
forbund: { id: sydnarke, name: Samordningsförbundet Sydnärke, email: kansli@sydnarke.example, year: 2037 }
${MEMBERS_YAML}
people:
  - { id: official, name: Olga Tjänsteman, email: olga@sydnarke.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@sydnarke.example, roles: [secretary] }
  - { id: coord, name: Cora Samordnare, email: cora@sydnarke.example, roles: [coordinator] }
  - { id: anna, name: Anna Ordförande, email: anna@kommunen.example, roles: [board_member] }
  - { id: bo, name: Bo Vice, email: bo@regionen.example, roles: [board_member] }
  - { id: cecilia, name: Cecilia Ledamot, email: cecilia@fk.example, roles: [board_member] }
  - { id: david, name: David Ersättare, email: david@kommunen.example, roles: [board_member] }
  - { id: erik, name: Erik Avgången, email: erik@af.example, roles: [board_member] }
projects: []
bodies:
  styrelse:
    members:
      - { person: anna, member: kommunen, role: chair, period: { from: 2035-01-01, to: 2038-12-31 } }
      - { person: bo, member: regionen, role: vice_chair }
      - { person: cecilia, member: fk }
      - { person: david, member: kommunen, role: deputy, order: 1 }
      - { person: erik, member: af, period: { from: 2030-01-01, to: 2034-12-31 } }
  beredningsgrupp:
    members:
      - { person: official, role: member }
cycle:
  meetings:
    - { id: styrelse-01, body: styrelse, date: 2037-01-22 }
    - { id: styrelse-02, body: styrelse, date: 2037-02-26 }
    - { id: styrelse-03, body: styrelse, date: 2037-03-26 }
    - { id: styrelse-04, body: styrelse, date: 2037-04-23 }
    - { id: beredningsgrupp-02, body: beredningsgrupp, date: 2037-02-10, for: styrelse-02 }
  milestones: { bokslut: false, budgetDialogue: false, halfYearReports: false, delar: false, budgetFollowUp: false, vpBudget: false, nextCalendar: false, stateAllocation: false, attestReview: false }
`;

/**
 * A quiet förbund for the tests of the processes around the workflows (tests/reconcile.test.ts,
 * tests/split-processes.test.ts): a project whose only report is months away, one board meeting
 * `meetingInDays` ahead whose kallelse comes later than a test lasts, no milestones. Its workflows
 * wait on timers, so a test sees only what it does to them.
 */
export function quietForbundFile(o: { slug: string; name: string; meetingKey: string; meetingInDays: number }): string {
  const today = toStockholmDate(new Date());
  const meeting = addDays(today, o.meetingInDays);
  return `
forbund: { id: ${o.slug}, name: ${o.name}, email: kansli@${o.slug}.example, year: ${meeting.slice(0, 4)} }
${MEMBERS_YAML}
people:
  - { id: official, name: Olga Tjänsteman, email: olga@${o.slug}.example, roles: [official] }
  - { id: secretary, name: Sixten Sekreterare, email: sixten@${o.slug}.example, roles: [secretary] }
  - { id: coordinator, name: Klara Samordnare, email: klara@${o.slug}.example, roles: [coordinator] }
  - { id: ledamot, name: Lars Ledamot, email: lars@${o.slug}.example, roles: [board_member] }
bodies: { styrelse: { members: [{ person: ledamot, role: chair, member: kommunen }] } }
projects:
  - { id: insatsen, name: Insatsen, coordinator: coordinator, start: ${addDays(today, -30)}, end: ${addDays(today, 300)}, reports: [final] }
cycle:
  kallelseDays: 2
  kallelseReminderDays: 1
  meetings:
    - { id: ${o.meetingKey}, body: styrelse, date: ${meeting}, start: "09:00", end: "12:00" }
  milestones: { bokslut: false, budgetDialogue: false, halfYearReports: false, delar: false, budgetFollowUp: false, vpBudget: false, nextCalendar: false, stateAllocation: false, attestReview: false }
`;
}
