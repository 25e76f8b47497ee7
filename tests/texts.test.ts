// The Swedish texts of the mails and invites, read as a Swedish reader would: dates, times,
// agreement, quotes, subjects that name the förbund, greetings that follow the recipients.
import { describe, expect, it } from 'vitest';
import {
  calendarMissing,
  greeting,
  inviteDetails,
  inviteMail,
  kallelseReminder,
  milestoneEscalation,
  milestoneOverdue,
  milestoneReminder,
  reportEscalation,
  reportOverdue,
  reportReminder,
  reportYearLetter,
  svDayDate,
  svList,
  svPeriod,
  svTime,
  svWhen,
  type CycleMailFacts,
  type InviteFacts,
  type MailText,
  type ReportMailFacts,
} from '../domain/texts.js';

const F = 'Samordningsförbundet Sydnärke';
const report: ReportMailFacts = { forbundName: F, projectName: 'På väg', coordinatorName: 'Åsa Öberg', kind: 'halfYear', periodStart: '2016-01-01', periodEnd: '2016-06-30', dueDate: '2016-07-29', link: 'https://arscykel.example/submit/1?token=t' };
const milestone: CycleMailFacts = { forbundName: F, title: 'Årsredovisning med bokslut', dueDate: '2016-02-12', ownerName: 'Raed Shaqdih', meetingKind: 'styrelse', meetingDate: '2016-02-26' };
const board = { date: '2016-02-26', start: '09:00', end: '12:00' };

/** Every mail: the förbund's name in the subject, no ISO date or 24-hour colon anywhere a reader sees, signed by the office. */
function expectHouseStyle(m: MailText) {
  expect(m.subject).toMatch(/ – Samordningsförbundet Sydnärke$/);
  for (const t of [m.subject, m.text.replace(/https?:\/\/\S+/g, '')]) {
    expect(t).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(t).not.toMatch(/\d{1,2}:\d{2}/);
  }
  expect(m.text).toMatch(/Vänliga hälsningar\nKansliet, Samordningsförbundet Sydnärke\n$/);
  expect(m.text).not.toMatch(/Årscykel\n/);
}

describe('Swedish dates and times', () => {
  it('weekday, "den", "kl.", hours without a leading zero, a period and an en dash', () => {
    expect(svDayDate('2016-02-26')).toBe('fredagen den 26 februari 2016');
    expect(svTime('09:00')).toBe('9.00');
    expect(svTime('13:30')).toBe('13.30');
    expect(svWhen(board)).toBe('fredagen den 26 februari 2016 kl. 9.00–12.00');
    expect(svWhen(board, 'short')).toBe('26 februari 2016 kl. 9.00–12.00');
    expect(svWhen(board, 'start')).toBe('26 februari 2016 kl. 9.00');
    expect(svWhen({ date: '2016-03-30' })).toBe('onsdagen den 30 mars 2016');
    expect(svPeriod('2016-01-01', '2016-06-30')).toBe('1 januari–30 juni 2016');
    expect(svPeriod('2015-07-01', '2016-06-30')).toBe('1 juli 2015–30 juni 2016');
    expect(svList(['a', 'b', 'c'])).toBe('a, b och c');
  });
});

describe('report mails', () => {
  it('halvårsrapport and ekonomisk redovisning, the project in Swedish quotes, "får bara innehålla"', () => {
    const m = reportReminder(report, 14);
    expectHouseStyle(m);
    expect(m.subject).toBe('Påminnelse: halvårsrapport för ”På väg” ska lämnas senast 29 juli 2016 – Samordningsförbundet Sydnärke');
    expect(m.text).toContain('Halvårsrapporten för insatsen ”På väg” (perioden 1 januari–30 juni 2016) ska lämnas om 14 dagar, senast fredagen den 29 juli 2016.');
    expect(m.text).toContain('Rapporten får bara innehålla sammanställda uppgifter');
    const f = reportReminder({ ...report, kind: 'financial' }, 0);
    expect(f.subject).toBe('Påminnelse: ekonomisk redovisning för ”På väg” ska lämnas i dag – Samordningsförbundet Sydnärke');
    expect(f.text).toContain('Den ekonomiska redovisningen för insatsen ”På väg” (perioden 1 januari–30 juni 2016) ska lämnas senast i dag, fredagen den 29 juli 2016.');
    expect(f.text).not.toMatch(/delår\)|ekonomisk rapport/);
  });

  it('the overdue mail names who is in copy, and nobody when nobody is', () => {
    const withCopy = reportOverdue(report, ['Örjan Tjänsteman']);
    expectHouseStyle(withCopy);
    expect(withCopy.text).toContain('och har ännu inte kommit in. Örjan Tjänsteman får också besked om detta.');
    expect(reportOverdue(report, []).text).not.toContain('kopia');
  });

  it('the escalation greets whoever receives it', () => {
    const both = reportEscalation(report, 7, { official: true, beredningsgrupp: true, coordinatorInCopy: true });
    expectHouseStyle(both);
    expect(both.subject).toBe('Eskalering: halvårsrapport för ”På väg” är 7 dagar försenad – Samordningsförbundet Sydnärke');
    expect(both.text).toContain('Till verkställande tjänsteman och beredningsgruppen,');
    expect(both.text).toContain('Samordnaren Åsa Öberg får en kopia');
    const official = reportEscalation(report, 7, { official: true, beredningsgrupp: false, coordinatorInCopy: false });
    expect(official.text).toContain('Till verkställande tjänsteman,');
    expect(official.text).not.toMatch(/beredningsgrupp|kopia/i);
    expect(reportEscalation(report, 7, { official: false, beredningsgrupp: true, coordinatorInCopy: true }).text).toContain('Till beredningsgruppen,');
  });

  it('the escalation says "trots påminnelser" only when the coordinator was reminded', () => {
    const reminded = reportEscalation(report, 7, { official: true, beredningsgrupp: false, coordinatorInCopy: true, reminded: true });
    expectHouseStyle(reminded);
    expect(reminded.text).toContain('och är nu 7 dagar försenad trots påminnelser.');
    const unreminded = reportEscalation(report, 7, { official: true, beredningsgrupp: false, coordinatorInCopy: true });
    expectHouseStyle(unreminded);
    expect(unreminded.text).toContain('och är nu 7 dagar försenad.');
    expect(unreminded.text).not.toContain('påminnelse');
  });
});

describe('the year letter of a project\'s report dates', () => {
  const letter = {
    forbundName: F,
    projectName: 'På väg',
    coordinatorName: 'Åsa Öberg',
    year: 2027,
    occasion: 'newYear' as const,
    reports: [
      { kind: 'quarterly' as const, periodStart: '2026-10-01', periodEnd: '2026-12-31', dueDate: '2027-01-15', link: 'https://arscykel.example/submit/q4?token=a' },
      { kind: 'annual' as const, periodStart: '2026-01-01', periodEnd: '2026-12-31', dueDate: '2027-02-01', link: 'https://arscykel.example/submit/ar?token=b' },
      { kind: 'financial' as const, periodStart: '2027-01-01', periodEnd: '2027-03-31', dueDate: '2027-04-15', link: 'https://arscykel.example/submit/ek?token=c' },
    ],
    reminderDays: [14, 3, 0],
    overdueDays: 1,
    escalateDays: 7,
    feedUrl: 'https://arscykel.example/feeds/projects/p/reports.ics?token=f',
  };

  it('lists every report date of the year with its link, how reminders work and the calendar feed, in Swedish', () => {
    const m = reportYearLetter(letter);
    expectHouseStyle(m);
    expect(m.subject).toBe('Rapporter 2027 för ”På väg”: 3 sista dagar – Samordningsförbundet Sydnärke');
    expect(m.text).toMatch(/^Hej Åsa Öberg,\n\nEtt nytt år har börjat\. Här är de 3 rapporter som insatsen ”På väg” ska lämna under 2027/);
    expect(m.text).toContain('Kvartalsrapport för perioden 1 oktober–31 december 2026: senast fredagen den 15 januari 2027.\nLämna rapporten: https://arscykel.example/submit/q4?token=a');
    expect(m.text).toContain('Årsrapport för perioden 1 januari–31 december 2026: senast måndagen den 1 februari 2027.\nLämna rapporten: https://arscykel.example/submit/ar?token=b');
    expect(m.text).toContain('Ekonomisk redovisning för perioden 1 januari–31 mars 2027: senast torsdagen den 15 april 2027.');
    expect(m.text).toContain('du får ett mejl 14 och 3 dagar före sista dag och på sista dagen.');
    expect(m.text).toContain('en påminnelse dagen efter sista dag, och förbundets tjänsteperson får veta det. Efter 7 dagar får tjänstepersonen och beredningsgruppen besked om förseningen.');
    expect(m.text).toContain('Prenumerera på dem med länken nedan');
    expect(m.text).toContain('\nRapportdagarna som kalender: https://arscykel.example/feeds/projects/p/reports.ics?token=f');
    expect(m.text).toContain('Rapporten får bara innehålla sammanställda uppgifter');
    expect(m.text).toContain('spara ett utkast');
    expect(m.html).toContain('<a href="https://arscykel.example/submit/q4?token=a">Lämna rapporten</a>');
    expect(m.text).not.toMatch(/\b(report|due|reminder|draft|feed)\b/i);
  });

  it('a project added during the year says so; one report is "den rapport"', () => {
    const m = reportYearLetter({ ...letter, occasion: 'added', reports: letter.reports.slice(2), reminderDays: [7] });
    expectHouseStyle(m);
    expect(m.subject).toBe('Rapporter 2027 för ”På väg”: 1 sista dag – Samordningsförbundet Sydnärke');
    expect(m.text).toContain('Insatsen ”På väg” är nu upplagd hos Samordningsförbundet Sydnärke. Här är den rapport som insatsen ska lämna under 2027');
    expect(m.text).toContain('du får ett mejl 7 dagar före sista dag.');
  });

  it('a due date moved into a year the project had no letter for says so, not that the project was just added', () => {
    const m = reportYearLetter({ ...letter, occasion: 'changed', reports: letter.reports.slice(2) });
    expectHouseStyle(m);
    expect(m.text).toContain('Sista dag för en rapport från insatsen ”På väg” har flyttats till 2027. Här är den rapport som insatsen ska lämna under 2027');
    expect(m.text).not.toContain('upplagd');
  });
});

describe('milestone mails', () => {
  it('recast around "momentet ”…”" so klart/försenat agree whatever the title', () => {
    for (const title of ['Årsredovisning med bokslut', 'Halvårsrapporter från insatserna', 'Dialog med huvudmän angående budgetram']) {
      const r = milestoneReminder({ ...milestone, title }, 3);
      expectHouseStyle(r);
      expect(r.subject).toBe(`Påminnelse: momentet ”${title}” ska vara klart senast 12 februari 2016 – Samordningsförbundet Sydnärke`);
      expect(r.text).toContain(`Momentet ”${title}” i årscykeln ska vara klart om 3 dagar, senast fredagen den 12 februari 2016. Det behandlas på styrelsens sammanträde fredagen den 26 februari 2016.`);
      expect(r.text).not.toContain(`${title} ska vara klart`);
      const o = milestoneOverdue({ ...milestone, title });
      expectHouseStyle(o);
      expect(o.subject).toBe(`Försenat: momentet ”${title}” skulle ha varit klart 12 februari 2016 – Samordningsförbundet Sydnärke`);
      const e = milestoneEscalation({ ...milestone, title }, 7, { official: true, presidium: true });
      expectHouseStyle(e);
      expect(e.subject).toBe(`Eskalering: momentet ”${title}” är 7 dagar försenat – Samordningsförbundet Sydnärke`);
    }
  });

  it('the copy sentence only when someone is in copy; the escalation greets only who receives it', () => {
    expect(milestoneOverdue(milestone).text).not.toContain('kopia');
    expect(milestoneOverdue({ ...milestone, copyTo: ['Örjan Tjänsteman, verkställande tjänsteman,'] }).text).toContain('Örjan Tjänsteman, verkställande tjänsteman, får också besked om detta.');
    expect(milestoneEscalation(milestone, 7, { official: true, presidium: false }).text).toMatch(/^Till verkställande tjänsteman,\n/);
    expect(milestoneEscalation(milestone, 7, { official: true, presidium: true }).text).toMatch(/^Till verkställande tjänsteman och presidiet,\n/);
    expect(milestoneEscalation(milestone, 7, { official: false, presidium: false, names: ['Raed Shaqdih'] }).text).toMatch(/^Hej Raed Shaqdih,\n/);
    expect(greeting([], [])).toBe('Hej,');
  });

  it('kallelse and the missing calendar', () => {
    const k = kallelseReminder({ forbundName: F, secretaryName: 'Sara Sekreterare', meetingKind: 'styrelse', meeting: board, kallelseDate: '2016-02-19' });
    expectHouseStyle(k);
    expect(k.subject).toBe('Kallelse till styrelsens sammanträde 26 februari 2016 ska skickas senast 19 februari 2016 – Samordningsförbundet Sydnärke');
    expect(k.text).toContain('Kallelsen med föredragningslista till styrelsens sammanträde fredagen den 26 februari 2016 kl. 9.00–12.00 ska skickas ut senast fredagen den 19 februari 2016.');
    const c = calendarMissing({ forbundName: F, nextYear: 2017, lastMeetingDate: '2016-12-16' }, { official: true, presidium: false, secretary: true });
    expectHouseStyle(c);
    expect(c.text).toMatch(/^Till verkställande tjänsteman och styrelsens sekreterare,\n/);
  });
});

describe('invites', () => {
  const base: InviteFacts = { forbundName: F, kind: 'styrelse', when: board, change: 'new' };

  it('a new invite: "styrelsens sammanträde", the long date', () => {
    const m = inviteMail({ ...base, location: 'Kumla stadshus' });
    expectHouseStyle(m);
    expect(m.subject).toBe('Inbjudan: styrelsens sammanträde 26 februari 2016 kl. 9.00–12.00 – Samordningsförbundet Sydnärke');
    expect(m.text).toMatch(/^Välkommen till styrelsens sammanträde fredagen den 26 februari 2016 kl\. 9\.00–12\.00, Kumla stadshus\.\n/);
  });

  it('a moved meeting says from what to what; a cancelled one "Sammanträdet … är inställt"', () => {
    const moved = inviteMail({ ...base, change: 'update', when: { date: '2016-09-02', start: '13:00', end: '16:00' }, previous: { when: { date: '2016-08-26', start: '09:00', end: '12:00' } } });
    expectHouseStyle(moved);
    expect(moved.subject).toBe('Flyttat: styrelsens sammanträde från 26 augusti 2016 kl. 9.00 till 2 september 2016 kl. 13.00 – Samordningsförbundet Sydnärke');
    expect(moved.text).toContain('Styrelsens sammanträde är flyttat från fredagen den 26 augusti 2016 kl. 9.00–12.00 till fredagen den 2 september 2016 kl. 13.00–16.00.');
    const place = inviteMail({ ...base, change: 'update', location: 'Kumla', previous: { when: board, location: 'Örebro' } });
    expect(place.text).toContain('Styrelsens sammanträde fredagen den 26 februari 2016 kl. 9.00–12.00 hålls på en ny plats: Kumla (tidigare Örebro).');
    const unknown = inviteMail({ ...base, change: 'update' });
    expect(unknown.text).toContain('Tid eller plats har ändrats för styrelsens sammanträde. Gäller nu: fredagen den 26 februari 2016 kl. 9.00–12.00.');
    const cancelled = inviteMail({ ...base, kind: 'beredningsgrupp', change: 'cancelled' });
    expectHouseStyle(cancelled);
    expect(cancelled.subject).toBe('Inställt: beredningsgruppens sammanträde 26 februari 2016 kl. 9.00–12.00 – Samordningsförbundet Sydnärke');
    expect(cancelled.text).toMatch(/^Beredningsgruppens sammanträde fredagen den 26 februari 2016 kl\. 9\.00–12\.00 är inställt\.\n/);
  });

  it('a preparatory meeting says which board meeting it prepares and what is due for it', () => {
    const facts: InviteFacts = {
      ...base,
      kind: 'beredningsgrupp',
      when: { date: '2016-02-03', start: '09:00', end: '12:00' },
      prepares: { kind: 'styrelse', when: board, kallelse: '2016-02-19' },
      preparedMatters: [{ title: 'Årsredovisning med bokslut', dueDate: '2016-02-12' }],
    };
    const d = inviteDetails(facts);
    expect(d).toContain('Sammanträdet förbereder styrelsens sammanträde fredagen den 26 februari 2016 kl. 9.00–12.00.');
    expect(d).toContain('– Årsredovisning med bokslut (sista dag fredagen den 12 februari 2016)');
    expect(d).toContain('Kallelse med föredragningslista till styrelsens sammanträde skickas senast fredagen den 19 februari 2016.');
    expect(inviteMail(facts).text).toContain(d);
  });

  it('a board meeting nobody prepares (Sydnärke, 22 January): matters ready by the kallelse, not "senast" on the meeting day', () => {
    const jan = { date: '2016-01-22', start: '09:00', end: '12:00' };
    // The plan's preparation deadline falls back to the meeting day itself.
    const d = inviteDetails({ ...base, when: jan, preparation: { matters: '2016-01-22', kallelse: '2016-01-15' } });
    expect(d).not.toContain('22 januari');
    expect(d).toContain('ärenden ska vara beredda när kallelsen med föredragningslista skickas, senast fredagen den 15 januari 2016.');
    const feb = inviteDetails({ ...base, preparation: { beredningsgrupp: '2016-02-03', beredning: '2016-02-12', matters: '2016-02-12', kallelse: '2016-02-19' }, matters: [{ title: 'Årsredovisning med bokslut', dueDate: '2016-02-12' }] });
    expect(feb).toContain('Beredningsgruppens sammanträde: onsdagen den 3 februari 2016.');
    expect(feb).toContain('Ärenden ska vara beredda senast fredagen den 12 februari 2016.');
    expect(feb).toContain('Ärenden enligt årscykeln:\n– Årsredovisning med bokslut');
  });
});
