// The day's digest ("Dagens läge"): the official and the secretaries get the routine notices of a
// day (escalations, reminders, moved matters) in one mail at a fixed hour instead of one mail
// each; what is urgent (a kallelse, an invite, a failed delivery, a deficit) still goes at once.
// These are the rules: who of a routine mail's recipients takes it in the digest, and how a
// digest is grouped.

export interface Recipient {
  name: string;
  email: string;
}

export const normalEmail = (email: string) => email.trim().toLowerCase();

/**
 * A routine mail's recipients split: those who take it in their digest (the förbund's official
 * and secretaries, `staff`), and the mail still sent to the others. When every addressee takes the
 * digest, those left in copy become the addressees, so a mail is never sent with copies only.
 */
export function splitRoutine(to: Recipient[], cc: Recipient[], staff: ReadonlySet<string>): { digested: Recipient[]; to: Recipient[]; cc: Recipient[] } {
  const isStaff = (a: Recipient) => staff.has(normalEmail(a.email));
  const seen = new Set<string>();
  const digested = [...to, ...cc].filter((a) => isStaff(a) && !seen.has(normalEmail(a.email)) && seen.add(normalEmail(a.email)));
  const restTo = to.filter((a) => !isStaff(a));
  const restCc = cc.filter((a) => !isStaff(a));
  return restTo.length ? { digested, to: restTo, cc: restCc } : { digested, to: restCc, cc: [] };
}

/** The digest's sections, in the order they are read. */
export const DIGEST_SECTIONS = ['Rapporter', 'Årets moment', 'Ärenden', 'Sammanträden', 'Pengar', 'Övrigt'] as const;
export type DigestSection = (typeof DIGEST_SECTIONS)[number];

/** The section a notice belongs in, by its mail kind ('report.escalation' → Rapporter). */
export function sectionOf(kind: string): DigestSection {
  const prefix = kind.split('.')[0];
  return (
    ({ report: 'Rapporter', milestone: 'Årets moment', cycle: 'Årets moment', matter: 'Ärenden', meeting: 'Sammanträden', review: 'Pengar', money: 'Pengar' }) as Record<string, DigestSection>
  )[prefix] ?? 'Övrigt';
}

export interface DigestLine {
  kind: string;
  /** The notice's subject, without the förbund's name (the digest names it once). */
  subject: string;
  link: string | null;
  at: Date;
}

/** The notices grouped by section, each section in the order the notices came. */
export function digestSections(lines: DigestLine[]): { section: DigestSection; lines: DigestLine[] }[] {
  return DIGEST_SECTIONS.map((section) => ({ section, lines: lines.filter((l) => sectionOf(l.kind) === section).sort((a, b) => a.at.getTime() - b.at.getTime()) })).filter((s) => s.lines.length > 0);
}

/** A subject without its ' – <förbund>' ending (every mail's subject names the förbund). */
export function subjectLine(subject: string, forbundName: string): string {
  const tail = ` – ${forbundName}`;
  return subject.endsWith(tail) ? subject.slice(0, -tail.length) : subject;
}
