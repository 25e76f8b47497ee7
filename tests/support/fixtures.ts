// Pieces the tests' förbund files and processes share.
import { createServer } from 'node:net';

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
