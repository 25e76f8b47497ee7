// The rules of the day's digest, "Dagens läge" (domain/dagens-lage.ts): who of a routine mail's
// recipients takes it in the digest (the official and the secretaries) and who still gets the
// mail; which section of the digest a notice is read in, and in what order; the subject line
// without the förbund's name.
import { describe, expect, it } from 'vitest';
import { DIGEST_SECTIONS, digestSections, normalEmail, sectionOf, splitRoutine, subjectLine, type DigestLine } from '../domain/dagens-lage.js';

const official = { name: 'Örjan Tjänsteman', email: 'Official@Digest.example' };
const secretary = { name: 'Sara Sekreterare', email: 'secretary@digest.example' };
const coordinator = { name: 'Åsa Kvartal', email: 'asa@digest.example' };
const member = { name: 'Märta Chef', email: 'marta@digest.example' };
const chair = { name: 'Ordf Örn', email: 'chair@digest.example' };
const staff = new Set(['official@digest.example', 'secretary@digest.example']);

describe('an e-mail address is compared as written, whatever its case and spaces', () => {
  it('lower case, without the spaces around it', () => {
    expect(normalEmail('  Official@Digest.EXAMPLE ')).toBe('official@digest.example');
  });
});

describe('who takes a routine notice in the digest', () => {
  it('the official and the secretaries take it in the digest; the others get the mail, addressee and copy as before', () => {
    expect(splitRoutine([official, member], [coordinator, secretary], staff)).toEqual({ digested: [official, secretary], to: [member], cc: [coordinator] });
  });

  it('an address in another case or with spaces is still the official', () => {
    const shouting = { name: official.name, email: ' OFFICIAL@DIGEST.EXAMPLE ' };
    expect(splitRoutine([member], [shouting], staff)).toEqual({ digested: [shouting], to: [member], cc: [] });
  });

  it('the official named twice (addressee and copy) takes it once', () => {
    expect(splitRoutine([official, member], [{ ...official, email: 'official@digest.example' }], staff)).toEqual({ digested: [official], to: [member], cc: [] });
  });

  it('every addressee takes the digest: the one in copy gets the mail as its addressee, never a mail with copies only', () => {
    expect(splitRoutine([official], [coordinator, secretary], staff)).toEqual({ digested: [official, secretary], to: [coordinator], cc: [] });
  });

  it('only staff: no mail at all, the notice waits for the digest', () => {
    expect(splitRoutine([secretary], [official], staff)).toEqual({ digested: [secretary, official], to: [], cc: [] });
  });

  it('no staff among them: the mail goes as it was, nothing to the digest', () => {
    expect(splitRoutine([coordinator], [chair], staff)).toEqual({ digested: [], to: [coordinator], cc: [chair] });
  });
});

describe('the sections of the digest', () => {
  it('are read in this order', () => {
    expect(DIGEST_SECTIONS).toEqual(['Rapporter', 'Årets moment', 'Ärenden', 'Sammanträden', 'Pengar', 'Övrigt']);
  });

  it('a notice is read in the section of its kind', () => {
    expect(sectionOf('report.escalation')).toBe('Rapporter');
    expect(sectionOf('milestone.reminder')).toBe('Årets moment');
    expect(sectionOf('cycle.started')).toBe('Årets moment');
    expect(sectionOf('matter.moved')).toBe('Ärenden');
    expect(sectionOf('meeting.declined')).toBe('Sammanträden');
    expect(sectionOf('review.deficit')).toBe('Pengar');
    expect(sectionOf('money.samrad-reminder')).toBe('Pengar');
    expect(sectionOf('report')).toBe('Rapporter');
  });

  it('a notice of any other kind under Övrigt', () => {
    expect(sectionOf('calendar.missing')).toBe('Övrigt');
    expect(sectionOf('reports.overdue')).toBe('Övrigt');
    expect(sectionOf('')).toBe('Övrigt');
  });
});

describe('the digest grouped', () => {
  const at = (hour: number) => new Date(Date.UTC(2037, 9, 22, hour));
  const line = (kind: string, subject: string, hour: number): DigestLine => ({ kind, subject, link: null, at: at(hour) });

  it('by section in reading order, each section in the order the notices came, no empty section', () => {
    const sections = digestSections([
      line('money.samrad', 'Samråd', 1),
      line('report.overdue', 'Försenad 2', 5),
      line('calendar.missing', 'Kalender', 2),
      line('report.escalation', 'Eskalering', 3),
      line('report.overdue', 'Försenad 1', 4),
    ]);
    expect(sections.map((s) => [s.section, s.lines.map((l) => l.subject)])).toEqual([
      ['Rapporter', ['Eskalering', 'Försenad 1', 'Försenad 2']],
      ['Pengar', ['Samråd']],
      ['Övrigt', ['Kalender']],
    ]);
  });

  it('nothing to read: no sections', () => {
    expect(digestSections([])).toEqual([]);
  });
});

describe("a notice's subject in the digest", () => {
  it("without its ' – <förbund>' ending (the digest names the förbund once)", () => {
    expect(subjectLine('Eskalering: kvartalsrapport är 7 dagar försenad – Samordningsförbundet Sydnärke', 'Samordningsförbundet Sydnärke')).toBe('Eskalering: kvartalsrapport är 7 dagar försenad');
  });

  it('as it is when it does not end with the förbund', () => {
    expect(subjectLine('Samordningsförbundet Sydnärke – Påminnelse', 'Samordningsförbundet Sydnärke')).toBe('Samordningsförbundet Sydnärke – Påminnelse');
    expect(subjectLine('Påminnelse Samordningsförbundet Sydnärke', 'Samordningsförbundet Sydnärke')).toBe('Påminnelse Samordningsförbundet Sydnärke');
  });
});
