// The texts of the board's meeting process, read as a board member, an ersättare, the secretary
// or a member organisation would: kallelse with föredragningslista, förhinder and ersättare,
// beredning, justering, protokollsutdrag and återrapportering.
import { describe, expect, it } from 'vitest';
import {
  beredningsunderlag,
  declineReceived,
  decisionsToMember,
  ersattareCallIn,
  followUpDue,
  inviteMail,
  justeringReminder,
  kallelseDue,
  kallelseMail,
  matterMoved,
  minutesForJustering,
  type AgendaLine,
  type BoardMeetingFacts,
  type MailText,
} from '../domain/texts.js';

const F = 'Samordningsförbundet Sydnärke';
const board: BoardMeetingFacts = { forbundName: F, when: { date: '2037-02-26', start: '09:00', end: '12:00' }, location: 'Kumla stadshus' };
const april: BoardMeetingFacts = { forbundName: F, when: { date: '2037-04-23', start: '13:00', end: '16:00' }, location: 'Hallsbergs kommunhus' };
const items: AgendaLine[] = [
  { number: 1, title: 'Mötets öppnande', paragraph: 1 },
  { number: 2, title: 'Val av justerare', paragraph: 2, decision: 'Styrelsen väljer Örjan Åkesson att justera protokollet.' },
  {
    number: 3,
    title: 'Ansökan om medel för ”Steg framåt”',
    dnr: '2037-00003',
    paragraph: 3,
    documents: [
      { title: 'Tjänsteskrivelse', url: 'https://arscykel.example/d/1' },
      { title: 'Ansökan från Hallsbergs kommun', url: 'https://arscykel.example/d/2' },
    ],
    decision: 'Styrelsen beviljar 450 000 kronor för perioden 1 mars–31 december 2037.',
    actionBy: 'Åsa Öberg',
    actionDue: '2037-04-30',
  },
  { number: 4, title: 'Årsredovisning med bokslut 2036', dnr: '2037-00001', paragraph: 4, documents: [{ title: 'Årsredovisning 2036', url: 'https://arscykel.example/d/3' }] },
  { number: 5, title: 'Övriga frågor', paragraph: 5 },
  { number: 6, title: 'Mötets avslutande', paragraph: 6 },
];
/** A title with characters HTML must escape. */
const tricky: AgendaLine = { number: 7, title: 'Samverkan R&D <pilot> med ”Arbetsförmedlingen”', dnr: '2037-00009', documents: [{ title: 'Avtal & bilagor', url: 'https://arscykel.example/d/9?a=1&b=2' }] };

/** Every mail: the förbund's name in the subject, no ISO date or 24-hour colon where a reader sees it, signed by the office. */
function expectHouseStyle(m: MailText) {
  expect(m.subject).toMatch(/ – Samordningsförbundet Sydnärke$/);
  for (const t of [m.subject, m.text.replace(/https?:\/\/\S+/g, '')]) {
    expect(t).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(t).not.toMatch(/\d{1,2}:\d{2}/);
  }
  expect(m.text).toMatch(/Vänliga hälsningar\nKansliet, Samordningsförbundet Sydnärke\n$/);
  expect(m.html).toMatch(/^<!doctype html><html lang="sv"><body><p>/);
}

/** The föredragningslista as the mails print it: every item numbered, matters with Dnr, documents indented below as links. */
function expectAgenda(m: MailText, list: AgendaLine[] = items) {
  for (const a of list) expect(m.text).toContain(`\n${a.number}. ${a.title}${a.dnr ? ` (Dnr ${a.dnr})` : ''}\n`);
  for (const d of list.flatMap((a) => a.documents ?? [])) {
    expect(m.text).toContain(`\n    ${d.title}: ${d.url}\n`);
    expect(m.html).toContain(`<a href="${d.url.replace(/&/g, '&amp;')}">`);
  }
}

describe('the kallelse', () => {
  it('to the ledamöter: subject with the short date, the long date and place, the föredragningslista, the PDF, förhinder, the chair', () => {
    const m = kallelseMail({ ...board, items, chairName: 'Eva Ärlig', secretaryName: 'Sara Sekreterare', forInformation: false, declineUrl: 'https://arscykel.example/f/abc' });
    if (process.env.SHOW_TEXTS) console.log(`${m.subject}\n\n${m.text}`);
    expectHouseStyle(m);
    expect(m.subject).toBe('Kallelse: styrelsens sammanträde 26 februari 2037 kl. 9.00 – Samordningsförbundet Sydnärke');
    expect(m.text).toMatch(/^Ledamöterna kallas till styrelsens sammanträde torsdagen den 26 februari 2037 kl\. 9\.00–12\.00, Kumla stadshus\.\n\nFöredragningslista\n1\. Mötets öppnande\n/);
    expectAgenda(m);
    expect(m.text).toContain('3. Ansökan om medel för ”Steg framåt” (Dnr 2037-00003)\n    Tjänsteskrivelse: https://arscykel.example/d/1\n    Ansökan från Hallsbergs kommun: https://arscykel.example/d/2\n4. Årsredovisning');
    expect(m.text).toContain('kallelse.pdf');
    expect(m.text).toContain('Kan du inte komma? Meddela förhinder: https://arscykel.example/f/abc\nDin ersättare kallas då in i ditt ställe.\n');
    // The link by its label, not the token URL as its text.
    expect(m.html).toContain('Kan du inte komma? <a href="https://arscykel.example/f/abc">Meddela förhinder</a><br>');
    expect(m.text).toContain('Eva Ärlig, ordförande\nSara Sekreterare, sekreterare');
    expect(m.text).not.toContain('kännedom');
  });

  it('to the ersättare, for information: said in the subject and the lead, with when they are called in', () => {
    const m = kallelseMail({ ...board, items, forInformation: true });
    expectHouseStyle(m);
    expect(m.subject).toBe('Kallelse för kännedom: styrelsens sammanträde 26 februari 2037 kl. 9.00 – Samordningsförbundet Sydnärke');
    expect(m.text).toMatch(/^För kännedom: ledamöterna kallas till styrelsens sammanträde torsdagen den 26 februari 2037 kl\. 9\.00–12\.00, Kumla stadshus\. Du kallas in om en ordinarie ledamot får förhinder\.\n/);
    expectAgenda(m);
    // No förhinder link given, no names: no such paragraphs.
    expect(m.text).not.toMatch(/Meddela|ordförande|sekreterare/);
  });

  it('without a place the lead ends at the time; titles with & and < are escaped in the HTML, links still links', () => {
    const m = kallelseMail({ ...board, location: null, items: [...items, tricky], forInformation: false });
    expect(m.text).toMatch(/^Ledamöterna kallas till styrelsens sammanträde torsdagen den 26 februari 2037 kl\. 9\.00–12\.00\.\n/);
    expectAgenda(m, [...items, tricky]);
    expect(m.html).toContain('7. Samverkan R&amp;D &lt;pilot&gt; med ”Arbetsförmedlingen” (Dnr 2037-00009)');
    expect(m.html).toContain('Avtal &amp; bilagor: <a href="https://arscykel.example/d/9?a=1&amp;b=2">https://arscykel.example/d/9?a=1&amp;b=2</a>');
    expect(m.html).not.toMatch(/<pilot>|R&D/);
  });

  it('the board invite offers the förhinder link, except when the meeting is cancelled', () => {
    const invite = { forbundName: F, kind: 'styrelse', when: board.when, declineUrl: 'https://arscykel.example/f/abc' };
    const m = inviteMail({ ...invite, change: 'new' });
    expectHouseStyle(m);
    expect(m.text).toContain('Kan du inte komma? Meddela förhinder: https://arscykel.example/f/abc\nDin ersättare kallas då in i ditt ställe.\n');
    expect(m.html).toContain('<a href="https://arscykel.example/f/abc">Meddela förhinder</a>');
    expect(m.html).not.toContain('>https://arscykel.example/f/abc<');
    expect(inviteMail({ ...invite, change: 'cancelled' }).text).not.toContain('förhinder');
    expect(inviteMail({ ...invite, declineUrl: undefined, change: 'new' }).text).not.toContain('förhinder');
  });
});

describe('förhinder and ersättare', () => {
  it('the ersättare called in: for whom and which member, and the föredragningslista once the kallelse has gone', () => {
    const before = ersattareCallIn({ ...board, personName: 'Bo Berg', forName: 'Anna Ek', memberName: 'Kumla kommun', declineUrl: 'https://arscykel.example/f/bo' });
    if (process.env.SHOW_TEXTS) console.log(`${before.subject}\n\n${before.text}`);
    expectHouseStyle(before);
    expect(before.subject).toBe('Du kallas in som ersättare: styrelsens sammanträde 26 februari 2037 kl. 9.00 – Samordningsförbundet Sydnärke');
    expect(before.text).toMatch(/^Hej Bo Berg,\n\nLedamoten Anna Ek \(Kumla kommun\) har anmält förhinder till styrelsens sammanträde torsdagen den 26 februari 2037 kl\. 9\.00–12\.00, Kumla stadshus\. Du kallas därför in som ersättare/);
    expect(before.text).toContain('Du får kallelsen med föredragningslistan när den skickas ut');
    expect(before.text).not.toContain('Föredragningslista\n');
    expect(before.text).toContain('https://arscykel.example/f/bo');
    const after = ersattareCallIn({ ...board, personName: 'Bo Berg', forName: 'Anna Ek', items });
    expect(after.text).toContain('Ledamoten Anna Ek har anmält förhinder');
    expectAgenda(after);
    expect(after.text).not.toMatch(/när den skickas ut|Meddela/);
  });

  it('the confirmation says who was called in, or that nobody could be and the secretary knows', () => {
    const called = declineReceived({ ...board, personName: 'Anna Ek', ersattareName: 'Bo Berg' });
    expectHouseStyle(called);
    expect(called.subject).toBe('Förhinder anmält: styrelsens sammanträde 26 februari 2037 kl. 9.00 – Samordningsförbundet Sydnärke');
    expect(called.text).toContain('Vi har tagit emot ditt förhinder till styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00, Kumla stadshus.');
    expect(called.text).toContain('Ersättaren Bo Berg har kallats in i ditt ställe.');
    const nobody = declineReceived({ ...board, personName: 'Anna Ek' });
    expect(nobody.text).toContain('Det finns ingen ersättare som kan kallas in i ditt ställe. Styrelsens sekreterare har fått besked om det.');
    expect(nobody.text).not.toContain('har kallats in');
  });
});

describe('before the kallelse', () => {
  const due = { ...board, secretaryName: 'Sara Sekreterare', kallelseDate: '2037-02-19', items };

  it('the secretary sees the draft agenda, the deadline and the automatic sending; the quorum warning only when not quorate', () => {
    const ok = kallelseDue({ ...due, quorum: { expected: 7, seats: 8, quorate: true } });
    expectHouseStyle(ok);
    expect(ok.subject).toBe('Granska föredragningslistan: kallelsen till styrelsens sammanträde 26 februari 2037 skickas senast 19 februari 2037 – Samordningsförbundet Sydnärke');
    expect(ok.text).toContain('Hej Sara Sekreterare,');
    expect(ok.text).toContain('ska skickas ut senast torsdagen den 19 februari 2037. Har du inte skickat den tidigare går den ut automatiskt den dagen kl. 8.00.');
    expectAgenda(ok);
    expect(ok.text).toContain('fram till dess att kallelsen har skickats');
    expect(ok.text).toContain('Enligt anmälningarna kommer 7 av 8 ledamöter eller ersättare; styrelsen är beslutsför.');
    expect(ok.text).not.toMatch(/inte beslutsför|Observera/);

    const few = kallelseDue({ ...due, quorum: { expected: 3, seats: 8, quorate: false } });
    if (process.env.SHOW_TEXTS) console.log(`${few.subject}\n\n${few.text}`);
    expectHouseStyle(few);
    expect(few.text).toContain('Observera: enligt anmälningarna kommer 3 av 8 ledamöter eller ersättare; styrelsen är inte beslutsför');
  });

  it('the beredningsgrupp gets the matters to prepare, each with Dnr and owner, the prepared ones marked', () => {
    const m = beredningsunderlag({
      forbundName: F,
      bodyKind: 'beredningsgrupp',
      prepWhen: { date: '2037-02-04', start: '13:00', end: '15:00' },
      board,
      matters: [
        { dnr: '2037-00003', title: 'Ansökan om medel för ”Steg framåt”', owner: 'Åsa Öberg', prepared: false },
        { dnr: '2037-00004', title: 'Budgetuppföljning & prognos', owner: 'Raed Shaqdih', prepared: true },
      ],
    });
    if (process.env.SHOW_TEXTS) console.log(`${m.subject}\n\n${m.text}`);
    expectHouseStyle(m);
    expect(m.subject).toBe('Ärenden att bereda till styrelsens sammanträde 26 februari 2037 – Samordningsförbundet Sydnärke');
    expect(m.text).toMatch(/^Till beredningsgruppen,\n/);
    expect(m.text).toContain('Följande ärenden är anmälda till styrelsens sammanträde torsdagen den 26 februari 2037 och ska beredas på beredningsgruppens sammanträde onsdagen den 4 februari 2037 kl. 13.00–15.00:');
    expect(m.text).toContain('\n– Ansökan om medel för ”Steg framåt” (Dnr 2037-00003), ansvarig: Åsa Öberg\n');
    expect(m.text).toContain('\n– Budgetuppföljning & prognos (Dnr 2037-00004), ansvarig: Raed Shaqdih – redan berett\n');
    expect(m.html).toContain('Budgetuppföljning &amp; prognos');
    expect(m.text).toContain('flyttas till styrelsens nästa sammanträde');
  });

  it('the presidium, for a beredning with no matters, is told there is nothing to prepare', () => {
    const m = beredningsunderlag({ forbundName: F, bodyKind: 'beredning', prepWhen: { date: '2037-02-12' }, board, matters: [] });
    expectHouseStyle(m);
    expect(m.subject).toBe('Inga ärenden att bereda till styrelsens sammanträde 26 februari 2037 – Samordningsförbundet Sydnärke');
    expect(m.text).toMatch(/^Till presidiet,\n/);
    expect(m.text).toContain('Inga ärenden är anmälda till styrelsens sammanträde torsdagen den 26 februari 2037, så det finns inget att bereda på presidiets beredningsmöte torsdagen den 12 februari 2037.');
    const one = beredningsunderlag({ forbundName: F, bodyKind: 'beredning', prepWhen: { date: '2037-02-12' }, board, matters: [{ dnr: '2037-00004', title: 'Budgetuppföljning', owner: 'Raed Shaqdih', prepared: true }] });
    expect(one.text).toContain('Följande ärende är anmält till');
    expect(one.text).toContain('Ärendet är redan berett.');
  });

  it('a matter not prepared in time moves to the next board meeting, or waits for one to be planned', () => {
    const moved = matterMoved({ forbundName: F, ownerName: 'Åsa Öberg', dnr: '2037-00003', title: 'Ansökan om medel för ”Steg framåt”', from: board, to: april });
    expectHouseStyle(moved);
    expect(moved.subject).toBe('Ärendet ”Ansökan om medel för ’Steg framåt’” flyttas till styrelsens sammanträde 23 april 2037 – Samordningsförbundet Sydnärke');
    expect(moved.text).toContain('(Dnr 2037-00003) var inte berett i tid till styrelsens sammanträde torsdagen den 26 februari 2037 och flyttas därför till styrelsens sammanträde torsdagen den 23 april 2037 kl. 13.00–16.00, Hallsbergs kommunhus.');
    const waiting = matterMoved({ forbundName: F, ownerName: 'Åsa Öberg', dnr: '2037-00003', title: 'Budgetuppföljning', from: board });
    expectHouseStyle(waiting);
    expect(waiting.subject).toBe('Ärendet ”Budgetuppföljning” flyttas från styrelsens sammanträde 26 februari 2037 – Samordningsförbundet Sydnärke');
    expect(waiting.text).toContain('Inget senare sammanträde är planerat ännu');
    expect(waiting.text).not.toContain('april');
  });
});

describe('after the meeting', () => {
  it('the justerare gets the minutes: each § with its decision and who acts by when, the last day to justera', () => {
    const m = minutesForJustering({ ...board, justerareName: 'Örjan Åkesson', due: '2037-03-06', items, secretaryName: 'Sara Sekreterare' });
    if (process.env.SHOW_TEXTS) console.log(`${m.subject}\n\n${m.text}`);
    expectHouseStyle(m);
    expect(m.subject).toBe('Protokoll att justera: styrelsens sammanträde 26 februari 2037 – Samordningsförbundet Sydnärke');
    expect(m.text).toContain('Protokollet från styrelsens sammanträde torsdagen den 26 februari 2037 är klart för justering.');
    expect(m.text).toContain('senast fredagen den 6 mars 2037');
    expect(m.text).toContain('protokoll.pdf');
    expect(m.text).toContain('§ 1 Mötets öppnande\n§ 2 Val av justerare\nBeslut: Styrelsen väljer Örjan Åkesson att justera protokollet.\n');
    expect(m.text).toContain('§ 3 Ansökan om medel för ”Steg framåt” (Dnr 2037-00003)\nBeslut: Styrelsen beviljar 450 000 kronor för perioden 1 mars–31 december 2037.\nVerkställs av Åsa Öberg senast torsdagen den 30 april 2037.\n');
    expect(m.text).toContain('§ 4 Årsredovisning med bokslut 2036 (Dnr 2037-00001)\n');
    expect(m.text).toContain('sekreteraren Sara Sekreterare');
  });

  it('the justering reminder, and when it is late', () => {
    const r = justeringReminder({ ...board, justerareName: 'Örjan Åkesson', due: '2037-03-06', overdue: false });
    expectHouseStyle(r);
    expect(r.subject).toBe('Påminnelse: protokollet från styrelsens sammanträde 26 februari 2037 ska justeras senast 6 mars 2037 – Samordningsförbundet Sydnärke');
    expect(r.text).toContain('ska justeras senast fredagen den 6 mars 2037.');
    const late = justeringReminder({ ...board, justerareName: 'Örjan Åkesson', due: '2037-03-06', overdue: true });
    expectHouseStyle(late);
    expect(late.subject).toBe('Försenad justering: protokollet från styrelsens sammanträde 26 februari 2037 skulle ha justerats 6 mars 2037 – Samordningsförbundet Sydnärke');
    expect(late.text).toContain('skulle ha justerats senast fredagen den 6 mars 2037 och är ännu inte justerat.');
    expect(late.text).toContain('förrän det är justerat');
  });

  it('the protokollsutdrag to a member: the decisions only, with § number, Dnr, decision, who acts by when', () => {
    const m = decisionsToMember({ ...board, memberName: 'Kumla kommun', justeradAt: '2037-03-04', items: [...items, { ...tricky, paragraph: 7, decision: 'Styrelsen godkänner avtalet <utkast 2> & bilagorna.' }] });
    if (process.env.SHOW_TEXTS) console.log(`${m.subject}\n\n${m.text}`);
    expectHouseStyle(m);
    expect(m.subject).toBe('Protokollsutdrag: styrelsens sammanträde 26 februari 2037 – Samordningsförbundet Sydnärke');
    expect(m.text).toMatch(/^Till Kumla kommun,\n/);
    expect(m.text).toContain('torsdagen den 26 februari 2037');
    expect(m.text).toContain('Protokollet justerades onsdagen den 4 mars 2037.');
    expect(m.text).toContain('§ 2 Val av justerare\nBeslut: Styrelsen väljer Örjan Åkesson att justera protokollet.');
    expect(m.text).toContain('§ 3 Ansökan om medel för ”Steg framåt” (Dnr 2037-00003)\nBeslut: Styrelsen beviljar 450 000 kronor för perioden 1 mars–31 december 2037.\nVerkställs av Åsa Öberg senast torsdagen den 30 april 2037.');
    // Items without a decision are not in the extract.
    expect(m.text).not.toMatch(/Mötets öppnande|Övriga frågor|Årsredovisning med bokslut/);
    expect(m.html).toContain('Beslut: Styrelsen godkänner avtalet &lt;utkast 2&gt; &amp; bilagorna.');
    const none = decisionsToMember({ ...board, memberName: 'Kumla kommun', justeradAt: '2037-03-04', items: items.map(({ decision: _d, ...a }) => a) });
    expect(none.text).toContain('Styrelsen fattade inga beslut vid sammanträdet');
  });

  it('the official reminded to carry out and report back on a decision, and when the report is late', () => {
    const f = { forbundName: F, ownerName: 'Åsa Öberg', dnr: '2037-00003', title: 'Ansökan om medel för ”Steg framåt”', paragraph: 3, meetingDate: '2037-02-26', decision: 'Styrelsen beviljar 450 000 kronor.', due: '2037-04-30' };
    const m = followUpDue({ ...f, overdue: false });
    if (process.env.SHOW_TEXTS) console.log(`${m.subject}\n\n${m.text}`);
    expectHouseStyle(m);
    expect(m.subject).toBe('Återrapportering: beslutet i ”Ansökan om medel för ’Steg framåt’” (§ 3) ska återrapporteras senast 30 april 2037 – Samordningsförbundet Sydnärke');
    expect(m.text).toContain('Vid styrelsens sammanträde torsdagen den 26 februari 2037 fattades följande beslut i ärendet ”Ansökan om medel för ’Steg framåt’” (Dnr 2037-00003), § 3:\nStyrelsen beviljar 450 000 kronor.');
    expect(m.text).toContain('verkställa beslutet och återrapportera till styrelsen senast torsdagen den 30 april 2037.');
    const late = followUpDue({ ...f, overdue: true });
    expectHouseStyle(late);
    expect(late.subject).toBe('Försenad återrapportering: beslutet i ”Ansökan om medel för ’Steg framåt’” (§ 3) skulle ha återrapporterats 30 april 2037 – Samordningsförbundet Sydnärke');
    expect(late.text).toContain('skulle ha gjorts senast torsdagen den 30 april 2037 och har ännu inte kommit in.');
  });
});
