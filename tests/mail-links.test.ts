// Every mail has the one link its reader needs, shown by its label (issue 18, "Mail that people
// want to read"): in the HTML a secret token URL is never the visible link text, while the plain
// text part still carries the address ('Lämna rapporten: https://…'). The escalation and the overdue
// mail link the official to the report's page and the coordinator to the form; a milestone's mails
// link to where it is marked done; the coordinator's receipt of a report links to its correction;
// the year letter lists what is still owed, overdue first.
import { describe, expect, it } from 'vitest';
import {
  actualsDue,
  ersattareCallIn,
  inviteMail,
  kallelseMail,
  link,
  milestoneEscalation,
  milestoneOverdue,
  milestoneReminder,
  minutesForJustering,
  reportEscalation,
  reportOverdue,
  reportReceipt,
  reportReminder,
  reportYearLetter,
  type CycleMailFacts,
  type MailText,
  type ReportMailFacts,
  type YearLetterFacts,
} from '../domain/texts.js';

const F = 'Samordningsförbundet Sydnärke';
const TOKEN_LINK = 'https://arscykel.example/submit/3f2a?token=hmacAbC_d-9';
const ADMIN = 'https://arscykel.example/admin/rapporter/3f2a';
const report: ReportMailFacts = { forbundName: F, projectName: 'På väg', coordinatorName: 'Åsa Öberg', kind: 'halfYear', periodStart: '2037-01-01', periodEnd: '2037-06-30', dueDate: '2037-07-31', link: TOKEN_LINK, adminUrl: ADMIN };
const milestone: CycleMailFacts = { forbundName: F, title: 'Årsredovisning med bokslut', dueDate: '2037-02-12', ownerName: 'Eva Ekonom', markUrl: 'https://arscykel.example/admin#steg-milestone-9c1d' };
const board = { forbundName: F, when: { date: '2037-02-26', start: '09:00', end: '12:00' }, location: 'Kumla stadshus' };

/** The visible text of each link in the HTML. */
const linkTexts = (html: string) => [...html.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);
/** An <a> with this address (as the HTML escapes it) and this label. */
const anchor = (url: string, label: string) => `<a href="${url.replace(/&/g, '&amp;')}">${label}</a>`;

/** No address, and surely no token, is the visible text of a link. */
function expectLabelledLinks(m: MailText) {
  for (const t of linkTexts(m.html)) {
    expect(t, `a link shows its address in: ${m.subject}`).not.toMatch(/https?:\/\//);
    expect(t).not.toMatch(/token/);
  }
  expect(m.html).not.toMatch(/>[^<]*token=[^<]*</);
  // Nothing of the link marking reaches a reader.
  for (const part of [m.subject, m.text, m.html]) expect(part).not.toMatch(/[\uE000-\uE002]/);
}

describe('a link with a label', () => {
  it('reads "Label: url" in the text part and <a href="url">Label</a> in the HTML, both escaped', () => {
    const m = reportReminder(report, 3);
    expect(m.text).toContain(`Lämna rapporten: ${TOKEN_LINK}\n`);
    expect(m.html).toContain(anchor(TOKEN_LINK, 'Lämna rapporten'));
    expectLabelledLinks(m);
    // An address with & and a label with < are escaped in the HTML, plain in the text.
    const odd = actualsDue({ forbundName: F, year: 2037, quarter: 1, throughMonth: 3, names: ['Eva Ekonom'], link: 'https://arscykel.example/u?a=1&b=2' });
    expect(odd.text).toContain('Lägg in utfallet: https://arscykel.example/u?a=1&b=2');
    expect(odd.html).toContain('<a href="https://arscykel.example/u?a=1&amp;b=2">Lägg in utfallet</a>');
    expect(link('R&D <pilot>', 'https://x.example/')).not.toContain('http://');
  });

  it('every mail with a secret link shows it by its label: reports, year letter and feed, förhinder, ersättare, justering, actuals', () => {
    const declineUrl = 'https://arscykel.example/meetings/m1/forhinder/p1?token=dEcL1ne';
    const signUrl = 'https://arscykel.example/meetings/m1/justera/p1?token=s1gN';
    const mails: [MailText, string, string][] = [
      [reportReminder(report, 14), TOKEN_LINK, 'Lämna rapporten'],
      [reportOverdue(report, ['Örjan Tjänsteman']), TOKEN_LINK, 'Lämna rapporten'],
      [reportReceipt({ ...report, version: 1, submittedAt: '2037-07-20T11:12:00Z' }), TOKEN_LINK, 'Rätta rapporten'],
      [inviteMail({ forbundName: F, kind: 'styrelse', when: board.when, change: 'new', declineUrl }), declineUrl, 'Meddela förhinder'],
      [kallelseMail({ ...board, items: [], forInformation: false, declineUrl }), declineUrl, 'Meddela förhinder'],
      [kallelseMail({ ...board, items: [], forInformation: true, declineUrl }), declineUrl, 'Meddela förhinder'],
      [ersattareCallIn({ ...board, personName: 'Bo Berg', forName: 'Anna Ek', declineUrl }), declineUrl, 'Meddela förhinder'],
      [minutesForJustering({ ...board, justerareName: 'Karin Kommun', due: '2037-03-12', items: [], signUrl, sha256: 'ab12' }), signUrl, 'Läs och justera protokollet'],
    ];
    for (const [m, url, label] of mails) {
      expectLabelledLinks(m);
      expect(m.html, m.subject).toContain(anchor(url, label));
      expect(m.text, m.subject).toContain(`${label}: ${url}`);
    }
    const letter = reportYearLetter(yearLetter());
    expectLabelledLinks(letter);
    expect(letter.html).toContain(anchor('https://arscykel.example/feeds/projects/p/reports.ics?token=f', 'Rapportdagarna som kalender'));
    expect(letter.text).toContain('Rapportdagarna som kalender: https://arscykel.example/feeds/projects/p/reports.ics?token=f');
    expect(minutesForJustering({ ...board, justerareName: 'Karin Kommun', due: '2037-03-12', items: [], signUrl, sha256: 'ab12' }).text).toContain(
      `Läs och justera protokollet: ${signUrl}\nLänken är personlig.\nProtokollets kontrollsumma (SHA-256): ab12`,
    );
  });
});

describe('the one link each reader needs', () => {
  it('the escalation: the report\'s page for the official and the group, never the coordinator\'s form (it submits as the coordinator); the board hears of it under "Rapportläge"', () => {
    const m = reportEscalation(report, 7, { official: true, beredningsgrupp: true, coordinatorInCopy: true, reminded: true });
    expect(m.html).toContain(anchor(ADMIN, 'Öppna rapporten'));
    expect(m.text).toContain(`Öppna rapporten: ${ADMIN}`);
    expect(m.text).toContain('Till dig som samordnare, Åsa Öberg: lämna rapporten så snart som möjligt via den personliga länk du har fått för rapporten.');
    expect(m.text).not.toContain(TOKEN_LINK);
    expect(m.text).toContain('Förseningen tas upp under punkten Rapportläge för insatserna på styrelsens nästa sammanträde.');
    // Not a matter of its own: nothing registered, no Dnr.
    expect(m.text).not.toMatch(/ärende|registrera|Dnr/i);
    // The coordinator not in copy: no form link for the others.
    const alone = reportEscalation(report, 7, { official: true, beredningsgrupp: false, coordinatorInCopy: false });
    expect(alone.text).toContain(`Öppna rapporten: ${ADMIN}`);
    expect(alone.text).not.toContain(TOKEN_LINK);
  });

  it('the overdue mail: the form for the coordinator; the report\'s page for whoever is in copy, and no such line without a copy', () => {
    const m = reportOverdue(report, ['Örjan Tjänsteman']);
    expect(m.text).toContain(`Lämna rapporten: ${TOKEN_LINK}`);
    expect(m.text).toContain(`Örjan Tjänsteman hittar rapporten i Årscykel:\nÖppna rapporten: ${ADMIN}`);
    expect(m.html).toContain(anchor(ADMIN, 'Öppna rapporten'));
    expect(reportOverdue(report, []).text).not.toContain(ADMIN);
  });

  it('a milestone\'s reminder, overdue mail and escalation link to where it is marked done; one done by a board decision to the year\'s milestones', () => {
    for (const m of [milestoneReminder(milestone, 3), milestoneOverdue(milestone), milestoneEscalation(milestone, 5, { official: true, presidium: true })]) {
      expect(m.html, m.subject).toContain(anchor('https://arscykel.example/admin#steg-milestone-9c1d', 'Markera momentet som klart'));
      expect(m.text).toContain('Markera momentet som klart: https://arscykel.example/admin#steg-milestone-9c1d');
    }
    const decided = { ...milestone, byDecision: true, markUrl: 'https://arscykel.example/admin/ar/2037#moment' };
    for (const m of [milestoneReminder(decided, 3), milestoneOverdue(decided), milestoneEscalation(decided, 5, { official: true, presidium: false })]) {
      expect(m.html, m.subject).toContain(anchor('https://arscykel.example/admin/ar/2037#moment', 'Visa årets moment'));
      expect(m.text).toContain('Momentet blir klart när styrelsens beslut om det är registrerat i Årscykel.');
      expect(m.text).not.toContain('Markera');
    }
    // Without a page (an older caller) the sentence stands alone.
    expect(milestoneReminder({ ...milestone, markUrl: undefined }, 3).text).toContain('När det är gjort markerar du det som klart i Årscykel, så slutar påminnelserna.\n\nVänliga');
  });

  it('the receipt: thanks, the report, period, version and time, what happens next, the link to correct it', () => {
    const first = reportReceipt({ ...report, version: 1, submittedAt: '2037-07-20T11:12:00Z' });
    expect(first.subject).toBe('Mottagen: halvårsrapport för ”På väg” – Samordningsförbundet Sydnärke');
    expect(first.text).toMatch(/^Hej Åsa Öberg,\n\nTack, vi har tagit emot halvårsrapporten för insatsen ”På väg” \(perioden 1 januari–30 juni 2037\)\. Den kom in den 20 juli 2037 kl\. 13\.12\.\n/);
    expect(first.text).toContain('Förbundets tjänsteperson går nu igenom rapporten');
    expect(first.text).toContain(`Rätta rapporten: ${TOKEN_LINK}`);
    expect(first.text).not.toContain('version 1');
    const second = reportReceipt({ ...report, kind: 'financial', version: 2, submittedAt: '2037-12-01T08:05:00Z' });
    expect(second.subject).toBe('Mottagen: ekonomisk redovisning för ”På väg”, version 2 – Samordningsförbundet Sydnärke');
    expect(second.text).toContain('Tack, vi har tagit emot den ekonomiska redovisningen för insatsen ”På väg” (perioden 1 januari–30 juni 2037), version 2 (en rättelse). Den kom in den 1 december 2037 kl. 9.05.');
  });
});

const due = (kind: 'quarterly' | 'annual', periodStart: string, periodEnd: string, dueDate: string, id: string) => ({ kind, periodStart, periodEnd, dueDate, link: `https://arscykel.example/submit/${id}?token=t${id}` });
function yearLetter(over: Partial<YearLetterFacts> = {}): YearLetterFacts {
  return {
    forbundName: F,
    projectName: 'Steg framåt',
    coordinatorName: 'Åsa Öberg',
    year: 2037,
    occasion: 'newYear',
    reports: [due('quarterly', '2037-01-01', '2037-03-31', '2037-04-15', 'q1'), due('quarterly', '2037-04-01', '2037-06-30', '2037-07-15', 'q2')],
    reminderDays: [14, 3, 0],
    overdueDays: 1,
    escalateDays: 7,
    feedUrl: 'https://arscykel.example/feeds/projects/p/reports.ics?token=f',
    ...over,
  };
}

describe('the year letter: every report still owed, overdue first', () => {
  const owed = [
    { ...due('quarterly', '2036-07-01', '2036-09-30', '2036-10-15', 'q3'), beforeStart: true },
    due('annual', '2036-01-01', '2036-12-31', '2037-02-02', 'ar'),
  ];

  it('a project running when the förbund goes live: not "upplagd"; what it still owes, the overdue ones first, those due before the start without reminders', () => {
    const m = reportYearLetter(yearLetter({ occasion: 'goLive', overdue: owed }));
    expectLabelledLinks(m);
    expect(m.subject).toBe('Rapporter 2037 för ”Steg framåt”: 2 sista dagar och 2 försenade – Samordningsförbundet Sydnärke');
    expect(m.text).toContain('Samordningsförbundet Sydnärke använder från och med nu Årscykel för insatsernas rapporter. Här är de 4 rapporter som insatsen ”Steg framåt” ännu ska lämna, med sista dag för var och en; de försenade står först.');
    expect(m.text).not.toContain('upplagd');
    const at = (s: string) => {
      const i = m.text.indexOf(s);
      expect(i, s).toBeGreaterThan(0);
      return i;
    };
    const order = [
      at('Försenade rapporter, att lämna så snart som möjligt:'),
      at('Kvartalsrapport för perioden 1 juli–30 september 2036: skulle ha lämnats senast onsdagen den 15 oktober 2036. Sista dag låg före starten i Årscykel, så inga påminnelser skickas om den.\nLämna rapporten: https://arscykel.example/submit/q3?token=tq3'),
      at('Årsrapport för perioden 1 januari–31 december 2036: skulle ha lämnats senast måndagen den 2 februari 2037.\nLämna rapporten: https://arscykel.example/submit/ar?token=tar'),
      at('Med sista dag under 2037:'),
      at('Kvartalsrapport för perioden 1 januari–31 mars 2037: senast onsdagen den 15 april 2037.\nLämna rapporten: https://arscykel.example/submit/q1?token=tq1'),
      at('Kvartalsrapport för perioden 1 april–30 juni 2037: senast onsdagen den 15 juli 2037.'),
      at('Påminnelser: du får ett mejl'),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Reminders are sent for the one due after the start: no "inga påminnelser" about it.
    expect(m.text.match(/inga påminnelser skickas/g)).toHaveLength(1);
  });

  it('the other occasions say the overdue ones come first; without any, the letter is as before', () => {
    const added = reportYearLetter(yearLetter({ occasion: 'added', overdue: owed.slice(1) }));
    expect(added.text).toContain('Insatsen ”Steg framåt” är nu upplagd hos Samordningsförbundet Sydnärke. Här är de 2 rapporter som insatsen ska lämna under 2037, med sista dag för var och en. Dessutom finns en rapport som redan skulle ha lämnats; den står först.');
    expect(added.text).toContain('Försenad rapport, att lämna så snart som möjligt:');
    expect(added.subject).toBe('Rapporter 2037 för ”Steg framåt”: 2 sista dagar och 1 försenad – Samordningsförbundet Sydnärke');
    const plain = reportYearLetter(yearLetter());
    expect(plain.subject).toBe('Rapporter 2037 för ”Steg framåt”: 2 sista dagar – Samordningsförbundet Sydnärke');
    expect(plain.text).not.toMatch(/[Ff]örsenad|Med sista dag under/);
    expect(plain.text).toContain('Ett nytt år har börjat. Här är de 2 rapporter som insatsen ”Steg framåt” ska lämna under 2037, med sista dag för var och en.\n');
  });
});
