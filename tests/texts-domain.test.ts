// The Swedish texts of the mails that only integration tests sent before: a correction asked for,
// renewed links, förhinder withdrawn, justering, protokollsutdrag, the quarter's forecast and the
// deficit matter, the day's digest, sign-in, the statutory chain to revisorer and members, the
// budget's samråd and the October notice, and the short texts of grants. Each read in full, as the
// recipient reads it: dates with weekday, Swedish quotes, agreement, the office's signature.
import { describe, expect, it } from 'vitest';
import {
  actionOf,
  actualsDue,
  actualsMissing,
  agendaLine,
  beredningsunderlag,
  budgetAgendaNotice,
  calendarMissing,
  conditionalStartText,
  dagensLage,
  declineNewLink,
  declineReceived,
  declineWithdrawn,
  deficitForecast,
  deficitMatterDescription,
  deficitRecovered,
  deficitRecoveredNote,
  dischargeRecordedText,
  dischargeReminder,
  ersattareReleased,
  ersattareCallIn,
  escapeHtml,
  followUpDue,
  fundingText,
  grantDecisionText,
  greeting,
  inviteMail,
  inviteDetails,
  justeringReminder,
  kallelseDue,
  kallelseMail,
  kallelseReminder,
  matterMoved,
  meetingName,
  milestoneEscalation,
  milestoneOverdue,
  milestoneReminder,
  minutesForJustering,
  nameWithTitle,
  paragraphExtract,
  publicationSentence,
  reportEscalation,
  reportNewLink,
  reportOverdue,
  reportReminder,
  reportReturned,
  reportToAuditor,
  reportToMember,
  reportYearLetter,
  roleTitle,
  samradProposal,
  samradReminder,
  signInMail,
  signNewLink,
  svList,
  titlesOfRole,
  type DeficitFacts,
  type InviteFacts,
  type ReportMailFacts,
} from '../domain/texts.js';

const F = 'Samordningsförbundet Sydnärke';
const SIG = `\n\nVänliga hälsningar\nKansliet, ${F}\n`;
const report: ReportMailFacts = { forbundName: F, projectName: 'På väg', coordinatorName: 'Åsa Öberg', kind: 'halfYear', periodStart: '2037-01-01', periodEnd: '2037-06-30', dueDate: '2037-07-31', link: 'https://a.example/r/1?token=t' };
// torsdagen den 26 februari 2037
const board = { forbundName: F, when: { date: '2037-02-26', start: '09:00', end: '12:00' }, location: 'Kumla stadshus' };

describe('short texts: lists, role titles, meeting names', () => {
  it('an empty list reads as nothing, one item as itself', () => {
    expect(svList([])).toBe('');
    expect(svList(['Kumla'])).toBe('Kumla');
    expect(svList(['Kumla', 'Askersund'])).toBe('Kumla och Askersund');
  });

  it('a role key, even with spaces around it, reads as its Swedish title; a name is not a role', () => {
    expect(titlesOfRole(' official ')).toEqual({ title: 'förbundschef', the: 'förbundschefen' });
    expect(roleTitle('secretary ')).toBe('sekreterare');
    expect(titlesOfRole('Åsa Öberg')).toBeUndefined();
    expect(titlesOfRole('toString')).toBeUndefined();
  });

  it('a name with its title in parentheses, or the name alone', () => {
    expect(nameWithTitle('Örjan Tjänsteman', 'förbundschef')).toBe('Örjan Tjänsteman (förbundschef)');
    expect(nameWithTitle('Örjan Tjänsteman')).toBe('Örjan Tjänsteman');
  });

  it('an unknown meeting kind is "sammanträdet"', () => {
    expect(meetingName('planning_day')).toBe('planeringsdagen');
    expect(meetingName('okänd')).toBe('sammanträdet');
  });

  it('HTML escapes every special character', () => {
    expect(escapeHtml(`<a href="x">Ö & 'å'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Ö &amp; &#39;å&#39;&lt;/a&gt;');
  });
});

describe('agenda lines and who acts', () => {
  it('the item, its Dnr, documents (linked, unlinked, secret), lines and the förslag till beslut, indented', () => {
    const line = agendaLine({
      number: 6,
      title: 'Ansökan om medel',
      dnr: '2037-00003',
      documents: [
        { title: 'Ansökan', url: 'https://a.example/h/1' },
        { title: 'Budget', url: '/handlingar/2' },
      ],
      lines: ['Rapport saknas'],
      proposal: 'Styrelsen beviljar 400 000 kr.',
    });
    expect(line).toBe('6. Ansökan om medel (Dnr 2037-00003)\n    Ansökan: https://a.example/h/1\n    Handling: Budget\n    Rapport saknas\n    Förslag till beslut: Styrelsen beviljar 400 000 kr.');
    expect(agendaLine({ number: 1, title: 'Mötets öppnande' })).toBe('1. Mötets öppnande');
  });

  it('who carries out a decision and by when; a role key as its title; nothing when nobody acts', () => {
    expect(actionOf({ actionBy: 'official', actionDue: '2037-04-30' })).toBe('Verkställs av förbundschefen senast torsdagen den 30 april 2037.');
    expect(actionOf({ actionBy: 'Åsa Öberg (förbundschef)' })).toBe('Verkställs av Åsa Öberg (förbundschef).');
    expect(actionOf({ actionDue: '2037-04-30' })).toBe('Verkställs senast torsdagen den 30 april 2037.');
    expect(actionOf({})).toBe('');
  });
});

describe('report sent back and new report link', () => {
  it('the coordinator reads who returned the report, what to correct and the link', () => {
    const m = reportReturned({ ...report, version: 2, reason: 'Antalet deltagare saknas.', reviewerName: 'Örjan Tjänsteman' });
    expect(m.subject).toBe(`Rätta rapporten: halvårsrapport för ”På väg” – ${F}`);
    expect(m.text).toBe(
      'Hej Åsa Öberg,\n\n' +
        'Örjan Tjänsteman, förbundschef, har granskat halvårsrapporten för insatsen ”På väg” (perioden 1 januari–30 juni 2037, version 2) och skickar tillbaka den till dig för rättelse innan den kan publiceras på förbundets webbplats.\n\n' +
        'Det här behöver rättas:\nAntalet deltagare saknas.\n\n' +
        'Rätta rapporten via din länk; rättelsen sparas som en ny version och granskas igen innan den publiceras. Tills dess publiceras inget nytt från rapporten.\nRätta rapporten: https://a.example/r/1?token=t\n\n' +
        'Rapporten får bara innehålla sammanställda uppgifter (antal och belopp) – inga uppgifter om enskilda deltagare.' +
        SIG,
    );
    expect(m.html).toContain('<a href="https://a.example/r/1?token=t">Rätta rapporten</a>');
  });

  it('without a reviewer\'s name, "Förbundschefen" returned it', () => {
    const m = reportReturned({ ...report, version: 1, reason: 'x', reviewerName: null });
    expect(m.text).toContain('\n\nFörbundschefen har granskat halvårsrapporten för insatsen ”På väg” (perioden 1 januari–30 juni 2037, version 1)');
  });

  it('a new personal link: the old one no longer works, the draft is kept', () => {
    const m = reportNewLink(report);
    expect(m.subject).toBe(`Ny länk till rapporten: halvårsrapport för ”På väg” – ${F}`);
    expect(m.text).toBe(
      'Hej Åsa Öberg,\n\n' +
        'Förbundet har gjort en ny personlig länk till halvårsrapporten för insatsen ”På väg” (perioden 1 januari–30 juni 2037, sista dag fredagen den 31 juli 2037).\n\n' +
        'Den tidigare länken fungerar inte längre. Använd den här i stället, även för ett utkast du har sparat: utkastet finns kvar.\nÖppna rapporten: https://a.example/r/1?token=t\n\n' +
        'Skicka inte vidare länken: den som har den kan lämna och rätta rapporten.' +
        SIG,
    );
  });
});

describe('förhinder: new link, withdrawn, ersättare released', () => {
  it('a new link to report förhinder', () => {
    const m = declineNewLink({ ...board, personName: 'Per Persson', declineUrl: 'https://a.example/d/1' });
    expect(m.subject).toBe(`Ny länk för förhinder: styrelsens sammanträde 26 februari 2037 kl. 9.00 – ${F}`);
    expect(m.text).toBe(
      'Hej Per Persson,\n\n' +
        'Här är en ny personlig länk till styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00, Kumla stadshus. Den tidigare länken för att meddela förhinder fungerar inte längre.\n\n' +
        'Kan du inte komma? Meddela förhinder: https://a.example/d/1\nEn ersättare kallas då in i ditt ställe, om det finns någon.\n\n' +
        'Skicka inte vidare länken: den som har den kan meddela förhinder i ditt namn.' +
        SIG,
    );
  });

  it('förhinder withdrawn: the ersättare was told, or none was called in', () => {
    const m = declineWithdrawn({ ...board, personName: 'Per Persson', releasedName: 'Eva Ek' });
    expect(m.subject).toBe(`Förhinder återtaget: styrelsens sammanträde 26 februari 2037 kl. 9.00 – ${F}`);
    expect(m.text).toBe(
      'Hej Per Persson,\n\n' +
        'Ditt förhinder till styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00, Kumla stadshus är återtaget, och du är kallad till sammanträdet igen.\n\n' +
        'Ersättaren Eva Ek, som var inkallad i ditt ställe, har fått besked att det inte längre behövs.' +
        SIG,
    );
    expect(declineWithdrawn({ ...board, personName: 'Per Persson' }).text).toContain('\n\nIngen ersättare var inkallad i ditt ställe.\n\n');
  });

  it('the ersättare need not come', () => {
    const m = ersattareReleased({ ...board, personName: 'Eva Ek', forName: 'Per Persson' });
    expect(m.subject).toBe(`Du behöver inte komma: styrelsens sammanträde 26 februari 2037 kl. 9.00 – ${F}`);
    expect(m.text).toBe(
      'Hej Eva Ek,\n\n' +
        'Ledamoten Per Persson kan ändå komma till styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00, Kumla stadshus. Du behöver därför inte tjänstgöra i ledamotens ställe, och inbjudan i din kalender tas bort.\n\n' +
        'Tack för att du ställde upp.' +
        SIG,
    );
  });
});

describe('justering and protokollsutdrag', () => {
  const items = [{ number: 6, paragraph: 5, title: 'Ansökan om medel', dnr: '2037-00003', decision: 'Styrelsen beviljar 400 000 kr.', actionBy: 'official', actionDue: '2037-04-30' }];

  it('the ordförande gets the minutes with the personal link, the checksum and the decisions', () => {
    const m = minutesForJustering({ ...board, justerareName: 'Anna Ordf', due: '2037-03-12', items, secretaryName: 'Sara Sekr', signerRole: 'ordforande', signUrl: 'https://a.example/s/1', sha256: 'abc123' });
    expect(m.subject).toBe(`Protokoll att justera: styrelsens sammanträde 26 februari 2037 – ${F}`);
    expect(m.text).toBe(
      'Hej Anna Ordf,\n\n' +
        'Protokollet från styrelsens sammanträde torsdagen den 26 februari 2037 är klart för justering. Som ordförande justerar du protokollet senast torsdagen den 12 mars 2037. Protokollet finns bifogat som pdf-fil (protokoll.pdf).\n\n' +
        'Läs och justera protokollet: https://a.example/s/1\nLänken är personlig.\nProtokollets kontrollsumma (SHA-256): abc123\n\n' +
        'Protokollet innehåller följande paragrafer och beslut:\n§ 5 Ansökan om medel (Dnr 2037-00003)\nBeslut: Styrelsen beviljar 400 000 kr.\nVerkställs av förbundschefen senast torsdagen den 30 april 2037.\n\n' +
        'Hör av dig till sekreteraren Sara Sekr om något behöver rättas.' +
        SIG,
    );
  });

  it('a justerare without link: asked as the one elected, the office to contact', () => {
    const m = minutesForJustering({ ...board, justerareName: 'Jon Just', due: '2037-03-12', items: [{ number: 1, title: 'Mötets öppnande' }] });
    expect(m.text).toBe(
      'Hej Jon Just,\n\n' +
        'Protokollet från styrelsens sammanträde torsdagen den 26 februari 2037 är klart för justering. Du valdes till justerare och ombeds justera protokollet senast torsdagen den 12 mars 2037. Protokollet finns bifogat som pdf-fil (protokoll.pdf).\n\n' +
        'Protokollet innehåller följande paragrafer och beslut:\n1. Mötets öppnande\n\n' +
        'Hör av dig till kansliet om något behöver rättas.' +
        SIG,
    );
  });

  it('a new justering link, for the ordförande with the last day', () => {
    const m = signNewLink({ ...board, personName: 'Anna Ordf', signUrl: 'https://a.example/s/2', due: '2037-03-12', signerRole: 'ordforande' });
    expect(m.subject).toBe(`Ny länk för justering av protokollet: styrelsens sammanträde 26 februari 2037 – ${F}`);
    expect(m.text).toBe(
      'Hej Anna Ordf,\n\n' +
        'Här är en ny personlig länk för att läsa och justera protokollet från styrelsens sammanträde torsdagen den 26 februari 2037, som du justerar som ordförande. Den tidigare länken för att justera protokollet fungerar inte längre.\n\n' +
        'Läs och justera protokollet: https://a.example/s/2\nProtokollet ska justeras senast torsdagen den 12 mars 2037.\n\n' +
        'Skicka inte vidare länken: den som har den kan justera protokollet i ditt namn.' +
        SIG,
    );
    const j = signNewLink({ ...board, personName: 'Jon Just', signUrl: 'https://a.example/s/3', signerRole: 'justerare' });
    expect(j.text).toContain('protokollet från styrelsens sammanträde torsdagen den 26 februari 2037. Den tidigare');
    expect(j.text).toContain('Läs och justera protokollet: https://a.example/s/3\n\nSkicka inte');
  });

  it('the protokollsutdrag of the § that concerns the person, certified', () => {
    const m = paragraphExtract({ ...board, personName: 'Åsa Öberg', line: items[0], justeradAt: '2037-03-05', certifiedBy: 'Sara Sekr' });
    expect(m.subject).toBe(`Protokollsutdrag § 5: Ansökan om medel – ${F}`);
    expect(m.text).toBe(
      'Hej Åsa Öberg,\n\n' +
        'Beslutet i § 5 vid styrelsens sammanträde torsdagen den 26 februari 2037 gäller dig. Protokollet justerades torsdagen den 5 mars 2037; ett bestyrkt utdrag (rätt utdraget intygar Sara Sekr) finns bifogat som pdf-fil.\n\n' +
        '§ 5 Ansökan om medel (Dnr 2037-00003)\nBeslut: Styrelsen beviljar 400 000 kr.\nVerkställs av förbundschefen senast torsdagen den 30 april 2037.' +
        SIG,
    );
    expect(paragraphExtract({ ...board, personName: 'X', line: { number: 7, title: 'Övrigt' }, justeradAt: '2037-03-05', certifiedBy: 'S' }).subject).toBe(`Protokollsutdrag § 7: Övrigt – ${F}`);
  });
});

describe('the quarter\'s forecast and the deficit matter', () => {
  const review = { forbundName: F, year: 2037, quarter: 2, throughMonth: 6, names: ['Örjan Tjänsteman', 'Anna Ordf'] };
  const deficit: DeficitFacts = {
    ...review,
    planned: -100_000,
    yearEnd: -450_000,
    at3Months: -150_000,
    at6Months: -300_000,
    equityEnd: 250_000,
    maxPlannedDeficit: 200_000,
    minEquity: 300_000,
    dnr: '2037-00020',
    meetingDate: '2037-10-09',
    update: false,
    lines: [
      { name: 'Insatser', budget: 1_000_000, yearEnd: 1_350_000 },
      { name: 'Kansli', budget: 500_000, yearEnd: 500_000 },
    ],
  };

  it('the outcome missing, days after the reminder', () => {
    const m = actualsMissing({ ...review, names: ['Örjan Tjänsteman'], daysLate: 5 });
    expect(m.subject).toBe(`Eskalering: utfall saknas för andra kvartalet 2037 – ${F}`);
    expect(m.text).toBe('Hej Örjan Tjänsteman,\n\nUtfallet till och med juni 2037 har inte lagts in, 5 dagar efter påminnelsen. Utan det kan ingen prognos göras för kvartalets genomgång.' + SIG);
    expect(actualsMissing({ ...review, quarter: 4, throughMonth: 12, daysLate: 1 }).text).toContain('Utfallet till och med december 2037 har inte lagts in, 1 dag efter påminnelsen.');
  });

  it('a deficit beyond the policy: figures, the policy\'s floor, equity, the deviating lines, the new matter and its meeting', () => {
    const m = deficitForecast(deficit);
    expect(m.subject).toBe(`Prognostiserat underskott 2037: −450 000 kr – ${F}`);
    expect(m.text).toBe(
      'Hej Örjan Tjänsteman och Anna Ordf,\n\n' +
        'Prognosen efter andra kvartalet visar ett resultat för 2037 på −450 000 kr (budgeterat −100 000 kr). Policyn tillåter ett resultat ned till −200 000 kr. Eget kapital vid årets slut blir enligt prognosen 250 000 kr (lägsta tillåtna 300 000 kr).\n\n' +
        'Prognos: −150 000 kr om tre månader, −300 000 kr om sex månader, −450 000 kr vid årets slut (ackumulerat resultat).\n\n' +
        'Rader som avviker från budget:\n– Insatser: budget 1 000 000 kr, prognos 1 350 000 kr\n\n' +
        'Ett ärende ”Prognostiserat underskott” (Dnr 2037-00020) har registrerats och tas upp av styrelsen fredagen den 9 oktober 2037.' +
        SIG,
    );
  });

  it('a policy allowing no deficit, an updated matter, no meeting planned, no deviating line', () => {
    const m = deficitForecast({ ...deficit, maxPlannedDeficit: 0, equityEnd: undefined, update: true, meetingDate: undefined, lines: [{ name: 'Kansli', budget: 500_000, yearEnd: 500_000 }] });
    expect(m.text).toBe(
      'Hej Örjan Tjänsteman och Anna Ordf,\n\n' +
        'Prognosen efter andra kvartalet visar ett resultat för 2037 på −450 000 kr (budgeterat −100 000 kr). Policyn tillåter inget underskott.\n\n' +
        'Prognos: −150 000 kr om tre månader, −300 000 kr om sex månader, −450 000 kr vid årets slut (ackumulerat resultat).\n\n' +
        'Ärendet ”Prognostiserat underskott” (Dnr 2037-00020) har uppdaterats med den nya prognosen och tas upp av styrelsen vid nästa sammanträde.' +
        SIG,
    );
  });

  it('the forecast within the policy again', () => {
    const m = deficitRecovered({ ...review, quarter: 3, throughMonth: 9, names: ['Örjan Tjänsteman'], yearEnd: -150_000, dnr: '2037-00020' });
    expect(m.subject).toBe(`Prognosen för 2037 är åter inom policyn – ${F}`);
    expect(m.text).toBe('Hej Örjan Tjänsteman,\n\nPrognosen efter tredje kvartalet visar ett resultat för 2037 på −150 000 kr, inom det som policyn tillåter. Ärendet ”Prognostiserat underskott” (Dnr 2037-00020) har uppdaterats med detta.' + SIG);
    expect(deficitRecoveredNote({ quarter: 3, yearEnd: -150_000 })).toBe('Prognosen efter kvartal 3: resultat vid årets slut −150 000 kr, inom policyn.');
  });

  it('the matter\'s description: below the policy\'s floor and the lowest equity', () => {
    expect(deficitMatterDescription({ year: 2037, quarter: 2, throughMonth: 6, planned: -100_000, yearEnd: -450_000, equityEnd: 250_000, maxPlannedDeficit: 200_000, minEquity: 300_000, withinPolicy: false })).toBe(
      'Prognosen efter andra kvartalet 2037 (utfall till och med juni): resultat vid årets slut −450 000 kr (budgeterat −100 000 kr, 350 000 kr sämre än budgeterat). ' +
        'Det är 250 000 kr under vad finansieringspolicyn tillåter, ett resultat ned till −200 000 kr. ' +
        'Det egna kapitalet skulle sjunka till 250 000 kr, 50 000 kr under det lägsta tillåtna, 300 000 kr. ' +
        'Prognosen är utanför finansieringspolicyn och tas därför till styrelsen, som beslutar hur balansen ska återställas.',
    );
  });

  it('the matter\'s description: no outcome yet and a policy without deficit', () => {
    expect(deficitMatterDescription({ year: 2037, quarter: 1, throughMonth: 0, planned: 0, yearEnd: -50_000, maxPlannedDeficit: 0, minEquity: 0, withinPolicy: false })).toBe(
      'Prognosen efter första kvartalet 2037 (inget utfall ännu): resultat vid årets slut −50 000 kr (budgeterat 0 kr, 50 000 kr sämre än budgeterat). Finansieringspolicyn tillåter inget underskott. Prognosen är utanför finansieringspolicyn och tas därför till styrelsen, som beslutar hur balansen ska återställas.',
    );
  });

  it('the matter\'s description: a deficit exactly at the floor, equity exactly at the lowest, as budgeted, is within', () => {
    expect(deficitMatterDescription({ year: 2037, quarter: 3, throughMonth: 9, planned: -200_000, yearEnd: -200_000, equityEnd: 300_000, maxPlannedDeficit: 200_000, minEquity: 300_000, withinPolicy: true })).toBe(
      'Prognosen efter tredje kvartalet 2037 (utfall till och med september): resultat vid årets slut −200 000 kr (budgeterat −200 000 kr). Underskottet ryms inom finansieringspolicyn (högst 200 000 kr under noll). Det egna kapitalet blir 300 000 kr, inte under det lägsta tillåtna, 300 000 kr. Prognosen är inom finansieringspolicyn.',
    );
  });

  it('the matter\'s description: a surplus, better than budgeted', () => {
    expect(deficitMatterDescription({ year: 2037, quarter: 4, throughMonth: 12, planned: -100_000, yearEnd: 20_000, maxPlannedDeficit: 200_000, minEquity: 300_000, withinPolicy: true })).toBe(
      'Prognosen efter fjärde kvartalet 2037 (utfall till och med december): resultat vid årets slut 20 000 kr (budgeterat −100 000 kr). Prognosen visar inget underskott. Prognosen är inom finansieringspolicyn.',
    );
    expect(deficitMatterDescription({ year: 2037, quarter: 4, throughMonth: 12, planned: 0, yearEnd: 0, maxPlannedDeficit: 0, minEquity: 0, withinPolicy: true })).toContain('(budgeterat 0 kr). Prognosen visar inget underskott.');
  });
});

describe('the day\'s digest and the sign-in link', () => {
  it('the notices by section, each with its link, and Att göra', () => {
    const m = dagensLage({
      forbundName: F,
      personName: 'official',
      day: '2037-03-05',
      sections: [{ section: 'Rapporter', lines: [{ subject: 'Halvårsrapport lämnad', link: 'https://a.example/x' }, { subject: 'Kvartalsrapport försenad', link: null }] }],
      todoUrl: 'https://a.example/todo',
    });
    expect(m.subject).toBe(`Dagens läge 5 mars 2037: 2 saker att känna till – ${F}`);
    expect(m.text).toBe(
      'Hej förbundschef,\n\n' +
        'Här är det som har hänt i förbundets år sedan förra sammanfattningen. Du får de här beskeden samlat en gång om dagen i stället för ett mejl för varje.\n\n' +
        'Rapporter\n– Halvårsrapport lämnad\n  Öppna: https://a.example/x\n– Kvartalsrapport försenad\n\n' +
        'Allt som väntar på någon finns under Att göra. Öppna Att göra: https://a.example/todo' +
        SIG,
    );
    expect(dagensLage({ forbundName: F, personName: 'Åsa', day: '2037-03-05', sections: [{ section: 'S', lines: [{ subject: 'a', link: null }] }], todoUrl: 'u' }).subject).toBe(`Dagens läge 5 mars 2037: 1 sak att känna till – ${F}`);
  });

  it('the sign-in link from every förbund of the address, how long it holds', () => {
    const m = signInMail({ forbundNames: [F, 'Samordningsförbundet Lerum'], personName: 'Åsa Öberg', link: 'https://a.example/login?t=1', minutes: 15 });
    expect(m.subject).toBe(`Din inloggningslänk till Årscykel – ${F} och Samordningsförbundet Lerum`);
    expect(m.text).toBe(
      'Hej Åsa Öberg,\n\n' +
        'Du bad om att få logga in i Årscykel med den här e-postadressen. Öppna länken i samma webbläsare som du bad om den i och tryck på Logga in.\nLogga in i Årscykel: https://a.example/login?t=1\n\n' +
        'Länken gäller i 15 minuter och kan bara användas en gång. Har den hunnit gå ut kan du be om en ny på inloggningssidan.\n\n' +
        'Bad du inte om att logga in kan du bortse från mejlet: ingen kan logga in med länken i en annan webbläsare. Skicka inte vidare länken.' +
        `\n\nVänliga hälsningar\nKansliet, ${F} och Samordningsförbundet Lerum\n`,
    );
    expect(signInMail({ forbundNames: [F], personName: 'Å', link: 'u', minutes: 1 }).text).toContain('Länken gäller i 1 minut och');
  });
});

describe('årsredovisning and delårsrapport to the revisorer and the members', () => {
  const adopted = { forbundName: F, year: 2036, adoptedBy: '§ 4', adoptedOn: '2037-03-19' };

  it('the revisor gets the årsredovisning with the attachments and is asked for the revisionsberättelse', () => {
    const m = reportToAuditor({ ...adopted, auditorName: 'auditor', kind: 'arsredovisning', attached: ['Årsredovisning 2036.pdf', 'Protokoll.pdf'], pagesUrl: 'https://a.example/revision' });
    expect(m.subject).toBe(`Årsredovisning 2036 för granskning – ${F}`);
    expect(m.text).toBe(
      'Hej revisor,\n\n' +
        'Styrelsen antog årsredovisningen för 2036 torsdagen den 19 mars 2037 (§ 4). Du får den som förbundets revisor.\n\n' +
        'Bifogat: Årsredovisning 2036.pdf och Protokoll.pdf.\n\n' +
        'Som revisor läser du årets protokoll, budgetuppföljningen och årsredovisningen under Revision: https://a.example/revision\n\n' +
        'När revisionsberättelsen är klar skickar ni den till förbundet, som registrerar den och sänder den vidare till medlemmarna.' +
        SIG,
    );
  });

  it('the delårsrapport without attachments: on the revisor\'s pages, no revisionsberättelse asked for', () => {
    const m = reportToAuditor({ ...adopted, year: 2037, auditorName: 'Rolf Revisor', kind: 'delarsrapport', attached: [], pagesUrl: 'https://a.example/revision' });
    expect(m.subject).toBe(`Delårsrapport 2037 för granskning – ${F}`);
    expect(m.text).toBe(
      'Hej Rolf Revisor,\n\n' +
        'Styrelsen antog delårsrapporten för 2037 torsdagen den 19 mars 2037 (§ 4). Du får den som förbundets revisor.\n\n' +
        'Handlingarna finns på dina sidor i Årscykel.\n\n' +
        'Som revisor läser du årets protokoll, budgetuppföljningen och delårsrapporten under Revision: https://a.example/revision' +
        SIG,
    );
  });

  it('the member is asked for its decision on ansvarsfrihet by the reply date', () => {
    const m = reportToMember({ ...adopted, memberName: 'Kumla kommun', kind: 'arsredovisning', auditReportOn: '2037-03-12', attached: ['a.pdf'], replyBy: '2037-06-15', link: 'https://a.example/m/1' });
    expect(m.subject).toBe(`Årsredovisning 2036, revisionsberättelse och beslut om ansvarsfrihet – ${F}`);
    expect(m.text).toBe(
      'Till registratorn, Kumla kommun\n\n' +
        `Styrelsen för ${F} antog årsredovisningen för 2036 torsdagen den 19 mars 2037 (§ 4). Revisorernas revisionsberättelse är daterad torsdagen den 12 mars 2037.\n\n` +
        'Bifogat: a.pdf.\n\n' +
        'Varje medlem i förbundet beslutar om ansvarsfrihet för styrelsen. Vi ber Kumla kommun att fatta beslut senast måndagen den 15 juni 2037 och meddela oss beslutet, med datum och er referens (diarienummer eller paragraf).\n\n' +
        'Meddela beslutet här: https://a.example/m/1\n\n' +
        'Länken är personlig för er organisation. Beslutet kan också skickas till förbundet med e-post.' +
        SIG,
    );
  });

  it('the delårsrapport to a member is for kännedom only', () => {
    const m = reportToMember({ ...adopted, year: 2037, memberName: 'Kumla kommun', kind: 'delarsrapport', auditReportOn: '2037-03-12', attached: [] });
    expect(m.subject).toBe(`Delårsrapport 2037 för kännedom – ${F}`);
    expect(m.text).toBe(`Till registratorn, Kumla kommun\n\nStyrelsen för ${F} antog delårsrapporten för 2037 torsdagen den 19 mars 2037 (§ 4).\n\nDelårsrapporten skickas för kännedom; den kräver inget beslut av Kumla kommun.` + SIG);
  });

  it('reminders on ansvarsfrihet, before and after the reply date', () => {
    const f = { forbundName: F, memberName: 'Kumla kommun', year: 2036, sentOn: '2037-03-19', replyBy: '2037-06-15', link: 'https://a.example/m/1' };
    const before = dischargeReminder({ ...f, late: false });
    expect(before.subject).toBe(`Påminnelse: beslut om ansvarsfrihet för 2036 senast 15 juni 2037 – ${F}`);
    expect(before.text).toContain('\n\nTorsdagen den 19 mars 2037 skickade vi årsredovisningen för 2036 med revisionsberättelsen och protokollet, och bad Kumla kommun att besluta om ansvarsfrihet för styrelsen senast måndagen den 15 juni 2037.\n\n');
    expect(before.text).toContain('\n\nMeddela beslutet här när det är fattat, med datum och er referens.\n\nhttps://a.example/m/1' + SIG);
    const late = dischargeReminder({ ...f, late: true });
    expect(late.subject).toBe(`Påminnelse: beslut om ansvarsfrihet för 2036 har inte kommit in – ${F}`);
    expect(late.text).toContain('\n\nVi har ännu inte fått Kumla kommuns beslut. Om beslutet är fattat: meddela det här, med datum och er referens.\n\nhttps://a.example/m/1' + SIG);
    expect(late.text.startsWith('Till registratorn, Kumla kommun\n\n')).toBe(true);
  });

  it('the recorded decision, granted with its reference or not granted', () => {
    expect(dischargeRecordedText({ memberName: 'Kumla kommun', year: 2036, outcome: 'beviljad', decidedOn: '2037-06-15', reference: 'KS 2037/12 § 40' })).toBe('Kumla kommun beslutade måndagen den 15 juni 2037 att bevilja styrelsen ansvarsfrihet för 2036 (KS 2037/12 § 40).');
    expect(dischargeRecordedText({ memberName: 'Kumla kommun', year: 2036, outcome: 'inte_beviljad', decidedOn: '2037-06-15', reference: null })).toBe('Kumla kommun beslutade måndagen den 15 juni 2037 att inte bevilja styrelsen ansvarsfrihet för 2036.');
  });
});

describe('the budget\'s samråd and the October notice', () => {
  const samrad = { forbundName: F, memberName: 'Kumla kommun', budgetYear: 2038, replyBy: '2037-10-09' };

  it('the proposal to a member, with the message, the figures and its contribution', () => {
    const m = samradProposal({ ...samrad, message: 'Vi föreslår oförändrade bidrag.', totals: { income: 3_000_000, costs: 3_200_000, result: -200_000 }, contribution: 750_000 });
    expect(m.subject).toBe(`Samråd om budget 2038: svar senast 9 oktober 2037 – ${F}`);
    expect(m.text).toBe(
      'Till Kumla kommun,\n\n' +
        `${F} skickar förslaget till budget för 2038 till förbundets medlemmar för samråd innan styrelsen beslutar om budgeten. Styrelsen beslutar om verksamhetsplan och budget för 2038 senast i november 2037.\n\n` +
        'Vi föreslår oförändrade bidrag.\n\n' +
        'Förslaget i korthet: intäkter 3 000 000 kr, kostnader 3 200 000 kr, resultat −200 000 kr.\n\n' +
        'Kumla kommun bidrar enligt förslaget med 750 000 kr under 2038.\n\n' +
        'Vi vill ha synpunkter från Kumla kommun senast fredagen den 9 oktober 2037. Svara genom att besvara det här meddelandet eller skriv till kansliet.' +
        SIG,
    );
  });

  it('a proposal without figures; a contribution of 0 kr is still said', () => {
    expect(samradProposal(samrad).text).toContain('senast i november 2037.\n\nVi vill ha synpunkter från Kumla kommun');
    expect(samradProposal({ ...samrad, contribution: 0 }).text).toContain('\n\nKumla kommun bidrar enligt förslaget med 0 kr under 2038.\n\n');
  });

  it('the reminder after the reply date, with the day it was sent', () => {
    const m = samradReminder({ ...samrad, sentOn: '2037-09-18' }, true);
    expect(m.subject).toBe(`Försenat svar: samråd om budget 2038 – ${F}`);
    expect(m.text).toBe(
      'Till Kumla kommun,\n\n' +
        'Vi har ännu inte fått svar från Kumla kommun på samrådet om förslaget till budget för 2038 som skickades fredagen den 18 september 2037. Svaret skulle ha kommit senast fredagen den 9 oktober 2037. Styrelsen ska besluta om budgeten senast i november 2037; skicka era synpunkter så snart som möjligt.\n\n' +
        'Svara genom att besvara det här meddelandet eller skriv till kansliet. Har ni redan svarat kan ni bortse från det här meddelandet.' +
        SIG,
    );
  });

  it('the reminder before the reply date', () => {
    const m = samradReminder(samrad, false);
    expect(m.subject).toBe(`Påminnelse: samråd om budget 2038, svar senast 9 oktober 2037 – ${F}`);
    expect(m.text).toContain('Till Kumla kommun,\n\nVi vill påminna om samrådet om förslaget till budget för 2038. Vi vill ha synpunkter från Kumla kommun senast fredagen den 9 oktober 2037.\n\n');
  });

  it('October: the budget must be on the last meeting before 30 November', () => {
    const m = budgetAgendaNotice({ forbundName: F, year: 2037, decidedBy: '2037-11-30', kind: 'agenda', meetingDate: '2037-11-26', mattersBy: '2037-11-05' }, { official: true, presidium: true });
    expect(m.subject).toBe(`Budget 2038 behöver tas upp på styrelsens möte 26 november 2037 – ${F}`);
    expect(m.text).toBe(
      'Till verkställande tjänsteman och presidiet,\n\n' +
        'Verksamhetsplan och budget för 2038 ska diskuteras i oktober och beslutas av styrelsen senast i november (måndagen den 30 november 2037). Inget av styrelsens planerade sammanträden fram till dess har ärendet ”Verksamhetsplan och budget för 2038” och budgeten är inte antagen.\n\n' +
        'Styrelsens sista sammanträde före den 30 november 2037 är torsdagen den 26 november 2037. Ärendet om verksamhetsplan och budget behöver vara anmält till föredragningslistan senast torsdagen den 5 november 2037.' +
        SIG,
    );
  });

  it('October: no meeting in time, an extra one is needed', () => {
    const m = budgetAgendaNotice({ forbundName: F, year: 2037, decidedBy: '2037-11-30', kind: 'extra' }, { official: false, presidium: false, secretary: true });
    expect(m.subject).toBe(`Budget 2038: ett extra styrelsemöte behövs före 30 november 2037 – ${F}`);
    expect(m.text).toContain('Till styrelsens sekreterare,\n\n');
    expect(m.text).toContain('\n\nInget av styrelsens planerade sammanträden ligger så att ärendet hinner tas upp före den 30 november 2037. Ett extra sammanträde behöver kallas in så att styrelsen kan besluta om verksamhetsplan och budget i tid.' + SIG);
  });
});

describe('grants and conditional starts', () => {
  it('the application, the grant or the refusal, the condition', () => {
    expect(fundingText({ projectName: 'Steg framåt', year: 2037, amount: 400_000, budgetLineName: 'Insatser' })).toBe('Ansökan: Steg framåt 2037, 400 000 kr, ur budgetraden Insatser');
    expect(fundingText({ projectName: 'Steg framåt', year: 2037, amount: 400_000, budgetLineName: null })).toBe('Ansökan: Steg framåt 2037, 400 000 kr');
    expect(grantDecisionText({ year: 2037, amount: 400_000, ref: 'beslut 2037-00012 § 5' })).toBe('Beviljat 2037: 400 000 kr, beslut 2037-00012 § 5');
    expect(grantDecisionText({ year: 2037, amount: 400_000, ref: 'beslut 2037-00012 § 5', granted: false })).toBe('Avslag 2037: ansökan om 400 000 kr, beslut 2037-00012 § 5');
    expect(conditionalStartText({ condition: 'Region Örebro läns beslut' })).toBe('Villkorad start: Region Örebro läns beslut — väntar på beslut');
    expect(conditionalStartText({ condition: 'Region Örebro läns beslut', metOn: '2037-05-04' })).toBe('Villkorad start: Region Örebro läns beslut — villkoret uppfyllt 4 maj 2037');
  });
});

describe('reminders on the last day and the day before', () => {
  it('a report due today or tomorrow says so, not "om 0 dagar"', () => {
    expect(reportReminder(report, 0).text).toContain('ska lämnas senast i dag, fredagen den 31 juli 2037.');
    expect(reportReminder(report, -2).text).toContain('ska lämnas senast i dag, fredagen den 31 juli 2037.');
    expect(reportReminder(report, 1).text).toContain('ska lämnas senast i morgon, fredagen den 31 juli 2037.');
    expect(reportReminder(report, 1).subject).toBe(`Påminnelse: halvårsrapport för ”På väg” ska lämnas senast 31 juli 2037 – ${F}`);
  });

  it('an overdue report without anyone in copy names no copy', () => {
    const m = reportOverdue(report);
    expect(m.text).toContain('skulle ha lämnats senast fredagen den 31 juli 2037 och har ännu inte kommit in.\n\nLämna rapporten så snart som möjligt.');
    expect(m.text).not.toContain('besked om detta');
  });

  it('a milestone due today or tomorrow', () => {
    const f = { forbundName: F, title: 'Årsredovisning med bokslut', dueDate: '2037-02-12', ownerName: 'Raed Shaqdih', meetingKind: 'styrelse', meetingDate: '2037-02-26' };
    const today = milestoneReminder(f, 0);
    expect(today.subject).toBe(`Påminnelse: momentet ”Årsredovisning med bokslut” ska vara klart i dag – ${F}`);
    expect(today.text).toContain('Hej Raed Shaqdih,\n\nMomentet ”Årsredovisning med bokslut” i årscykeln ska vara klart senast i dag, torsdagen den 12 februari 2037. Det behandlas på styrelsens sammanträde torsdagen den 26 februari 2037.\n\n');
    const tomorrow = milestoneReminder(f, 1);
    expect(tomorrow.subject).toBe(`Påminnelse: momentet ”Årsredovisning med bokslut” ska vara klart senast 12 februari 2037 – ${F}`);
    expect(tomorrow.text).toContain('ska vara klart senast i morgon, torsdagen den 12 februari 2037.');
  });
});

describe('invites: moved, new place, förhinder kept, an unknown kind', () => {
  const base: InviteFacts = { forbundName: F, kind: 'styrelse', when: { date: '2037-03-12', start: '09:00', end: '12:00' }, location: 'Kumla stadshus', change: 'update' };
  const before = { date: '2037-02-26', start: '09:00', end: '12:00' };

  it('moved to a new place: the new and the earlier place', () => {
    const m = inviteMail({ ...base, previous: { when: before, location: 'Hallsbergs kommunhus' } });
    expect(m.subject).toBe(`Flyttat: styrelsens sammanträde från 26 februari 2037 kl. 9.00 till 12 mars 2037 kl. 9.00 – ${F}`);
    expect(m.text).toBe('Styrelsens sammanträde är flyttat från torsdagen den 26 februari 2037 kl. 9.00–12.00 till torsdagen den 12 mars 2037 kl. 9.00–12.00. Ny plats: Kumla stadshus (tidigare Hallsbergs kommunhus).' + SIG);
  });

  it('moved, with a place where there was none, the place removed, the place kept, or never a place', () => {
    const lead = 'Styrelsens sammanträde är flyttat från torsdagen den 26 februari 2037 kl. 9.00–12.00 till torsdagen den 12 mars 2037 kl. 9.00–12.00.';
    expect(inviteMail({ ...base, previous: { when: before } }).text).toBe(`${lead} Ny plats: Kumla stadshus.` + SIG);
    expect(inviteMail({ ...base, location: null, previous: { when: before, location: 'Hallsbergs kommunhus' } }).text).toBe(lead + SIG);
    expect(inviteMail({ ...base, previous: { when: before, location: 'Kumla stadshus' } }).text).toBe(`${lead} Plats: Kumla stadshus.` + SIG);
    expect(inviteMail({ ...base, location: null, previous: { when: before, location: null } }).text).toBe(lead + SIG);
  });

  it('the planeringsdag is "flyttad" (en planeringsdag)', () => {
    expect(inviteMail({ ...base, kind: 'planning_day', previous: { when: before, location: 'Kumla stadshus' } }).text).toMatch(/^Planeringsdagen är flyttad från /);
  });

  it('same time, the place removed or a place where there was none', () => {
    const removed = inviteMail({ ...base, location: null, previous: { when: base.when, location: 'Hallsbergs kommunhus' } });
    expect(removed.subject).toBe(`Ny plats: styrelsens sammanträde 12 mars 2037 kl. 9.00–12.00 – ${F}`);
    expect(removed.text).toBe('Styrelsens sammanträde torsdagen den 12 mars 2037 kl. 9.00–12.00 hålls inte längre på den plats som angavs (tidigare Hallsbergs kommunhus).' + SIG);
    expect(inviteMail({ ...base, previous: { when: base.when } }).text).toBe('Styrelsens sammanträde torsdagen den 12 mars 2037 kl. 9.00–12.00 hålls på en ny plats: Kumla stadshus.' + SIG);
  });

  it('one who reported förhinder keeps it, and may say they come after all', () => {
    const kept = 'Du har anmält förhinder till styrelsens sammanträde, och förhindret gäller fortfarande. Du får ändringen så att din kalender visar rätt tid.';
    expect(inviteMail({ ...base, answer: 'declined', previous: { when: before, location: 'Kumla stadshus' } }).text).toContain(`\n\n${kept}` + SIG);
    expect(inviteMail({ ...base, answer: 'declined', declineUrl: 'https://a.example/d/1', previous: { when: before, location: 'Kumla stadshus' } }).text).toContain(`\n\n${kept}\nKan du komma ändå? Meddela att du kommer: https://a.example/d/1` + SIG);
  });

  it('a meeting of an unknown kind is "sammanträdet", cancelled as "inställt"', () => {
    const m = inviteMail({ ...base, kind: 'okänd', change: 'cancelled' });
    expect(m.subject).toBe(`Inställt: sammanträdet 12 mars 2037 kl. 9.00–12.00 – ${F}`);
    expect(m.text).toBe('Sammanträdet torsdagen den 12 mars 2037 kl. 9.00–12.00 är inställt.' + SIG);
  });
});

describe('the beredning\'s matters and the reports still missing', () => {
  const prep = { forbundName: F, prepWhen: { date: '2037-02-12', start: '13:00', end: '15:00' }, board };

  it('all matters already prepared, and one report missing despite escalation', () => {
    const m = beredningsunderlag({
      ...prep,
      bodyKind: 'beredningsgrupp',
      matters: [
        { dnr: '2037-00003', title: 'Ansökan om medel', owner: 'official', prepared: true },
        { dnr: '2037-00004', title: 'Delårsrapport', owner: 'Åsa Öberg', prepared: true },
      ],
      overdueReports: ['Halvårsrapport för ”På väg”, sista dag 31 juli 2037'],
    });
    expect(m.subject).toBe(`Ärenden att bereda till styrelsens sammanträde 26 februari 2037 – ${F}`);
    expect(m.text).toBe(
      'Till beredningsgruppen,\n\n' +
        'Följande ärenden är anmälda till styrelsens sammanträde torsdagen den 26 februari 2037 och ska beredas på beredningsgruppens sammanträde torsdagen den 12 februari 2037 kl. 13.00–15.00:\n' +
        '– Ansökan om medel (Dnr 2037-00003), ansvarig: förbundschefen – redan berett\n– Delårsrapport (Dnr 2037-00004), ansvarig: Åsa Öberg – redan berett\n\n' +
        'Alla ärendena är redan beredda.\n\n' +
        'Rapportläge för insatserna: en rapport har inte kommit in trots eskalering. Det tas upp som en punkt på styrelsens föredragningslista:\n– Halvårsrapport för ”På väg”, sista dag 31 juli 2037' +
        SIG,
    );
  });

  it('no matters for the presidium, two reports missing', () => {
    const m = beredningsunderlag({ ...prep, bodyKind: 'beredning', matters: [], overdueReports: ['A', 'B'] });
    expect(m.subject).toBe(`Inga ärenden att bereda till styrelsens sammanträde 26 februari 2037 – ${F}`);
    expect(m.text).toBe(
      'Till presidiet,\n\n' +
        'Inga ärenden är anmälda till styrelsens sammanträde torsdagen den 26 februari 2037, så det finns inget att bereda på presidiets beredningsmöte torsdagen den 12 februari 2037 kl. 13.00–15.00.\n\n' +
        'Rapportläge för insatserna: 2 rapporter har inte kommit in trots eskalering. Det tas upp som en punkt på styrelsens föredragningslista:\n– A\n– B' +
        SIG,
    );
  });
});

describe('the year letter: overdue reports, go-live, one reminder day', () => {
  const owed = { kind: 'halfYear' as const, periodStart: '2036-07-01', periodEnd: '2036-12-31', dueDate: '2037-01-29', link: 'https://a.example/o1', beforeStart: true };
  const letter = {
    forbundName: F,
    projectName: 'På väg',
    coordinatorName: 'Åsa Öberg',
    year: 2037,
    occasion: 'goLive' as const,
    reports: [{ kind: 'financial' as const, periodStart: '2037-01-01', periodEnd: '2037-03-31', dueDate: '2037-04-30', link: 'https://a.example/e1' }],
    overdue: [owed],
    reminderDays: [1],
    overdueDays: 3,
    escalateDays: 10,
    feedUrl: 'https://a.example/feed',
  };

  it('go-live with one overdue report first, then the year\'s, one day before and three days after', () => {
    const m = reportYearLetter(letter);
    expect(m.subject).toBe(`Rapporter 2037 för ”På väg”: 1 sista dag och 1 försenad – ${F}`);
    expect(m.text).toContain(
      `Hej Åsa Öberg,\n\n${F} använder från och med nu Årscykel för insatsernas rapporter. Här är de 2 rapporter som insatsen ”På väg” ännu ska lämna, med sista dag för var och en; de försenade står först.\n\n` +
        'Försenad rapport, att lämna så snart som möjligt:\n\n' +
        'Halvårsrapport för perioden 1 juli–31 december 2036: skulle ha lämnats senast torsdagen den 29 januari 2037. Sista dag låg före starten i Årscykel, så inga påminnelser skickas om den.\nLämna rapporten: https://a.example/o1\n\n' +
        'Med sista dag under 2037:\n\n' +
        'Ekonomisk redovisning för perioden 1 januari–31 mars 2037: senast torsdagen den 30 april 2037.\nLämna rapporten: https://a.example/e1\n\nVarje rapport',
    );
    expect(m.text).toContain('Påminnelser: du får ett mejl 1 dag före sista dag. Har rapporten inte kommit in får du en påminnelse 3 dagar efter sista dag, och förbundets tjänsteperson får veta det. Efter 10 dagar får tjänstepersonen');
  });

  it('only overdue reports left: no year\'s list, reminders on the last day only', () => {
    const m = reportYearLetter({ ...letter, reports: [], overdue: [owed, { ...owed, beforeStart: false, link: 'https://a.example/o2' }], reminderDays: [0] });
    expect(m.subject).toBe(`Rapporter 2037 för ”På väg”: 2 försenade – ${F}`);
    expect(m.text).toContain('Här är de 2 rapporter som insatsen ”På väg” ännu ska lämna, med sista dag för var och en.\n\nFörsenade rapporter, att lämna så snart som möjligt:\n\n');
    expect(m.text).toContain('skulle ha lämnats senast torsdagen den 29 januari 2037.\nLämna rapporten: https://a.example/o2\n\nVarje rapport lämnas via sin egen länk ovan.');
    expect(m.text).toContain('du får ett mejl på sista dagen.');
  });
});

describe('the whole text of the report mails', () => {
  const ONLY = 'Rapporten får bara innehålla sammanställda uppgifter (antal och belopp) – inga uppgifter om enskilda deltagare.';

  it('a reminder days before: greeting, the report, the days left, the link', () => {
    const m = reportReminder(report, 5);
    expect(m.subject).toBe(`Påminnelse: halvårsrapport för ”På väg” ska lämnas senast 31 juli 2037 – ${F}`);
    expect(m.text).toBe(`Hej Åsa Öberg,\n\nHalvårsrapporten för insatsen ”På väg” (perioden 1 januari–30 juni 2037) ska lämnas om 5 dagar, senast fredagen den 31 juli 2037.\n\n${ONLY}\nLämna rapporten: https://a.example/r/1?token=t` + SIG);
  });

  it('overdue, nobody in copy', () => {
    const m = reportOverdue(report);
    expect(m.subject).toBe(`Försenad: halvårsrapport för ”På väg” skulle ha lämnats 31 juli 2037 – ${F}`);
    expect(m.text).toBe(
      'Hej Åsa Öberg,\n\nHalvårsrapporten för insatsen ”På väg” (perioden 1 januari–30 juni 2037) skulle ha lämnats senast fredagen den 31 juli 2037 och har ännu inte kommit in.\n\n' +
        `Lämna rapporten så snart som möjligt. ${ONLY}\nLämna rapporten: https://a.example/r/1?token=t` +
        SIG,
    );
  });

  it('escalated to the official and the beredningsgrupp, the coordinator in copy, after reminders', () => {
    const m = reportEscalation({ ...report, adminUrl: 'https://a.example/admin/r/1' }, 10, { official: true, beredningsgrupp: true, coordinatorInCopy: true, reminded: true });
    expect(m.subject).toBe(`Eskalering: halvårsrapport för ”På väg” är 10 dagar försenad – ${F}`);
    expect(m.text).toBe(
      'Till verkställande tjänsteman och beredningsgruppen,\n\n' +
        'Halvårsrapporten för insatsen ”På väg” (perioden 1 januari–30 juni 2037) skulle ha lämnats senast fredagen den 31 juli 2037 och är nu 10 dagar försenad trots påminnelser. Samordnaren Åsa Öberg får en kopia av detta meddelande.\n\n' +
        'Rapporten ligger bland verkställande tjänstemannens väntande steg tills den har lämnats. Beredningsgruppen, som är styrgrupp för insatserna, uppmärksammas på förseningen. Förseningen tas upp under punkten Rapportläge för insatserna på styrelsens nästa sammanträde.\n\n' +
        'På rapportens sida i Årscykel syns påminnelserna, och där kan rapporten få en ny sista dag:\nÖppna rapporten: https://a.example/admin/r/1\n\n' +
        'Till dig som samordnare, Åsa Öberg: lämna rapporten så snart som möjligt via den personliga länk du har fått för rapporten.' +
        SIG,
    );
  });

  it('escalated one day late to the official only: the coordinator named, not in copy', () => {
    const m = reportEscalation(report, 1, { official: true, beredningsgrupp: false, coordinatorInCopy: false });
    expect(m.subject).toBe(`Eskalering: halvårsrapport för ”På väg” är 1 dag försenad – ${F}`);
    expect(m.text).toBe(
      'Till verkställande tjänsteman,\n\n' +
        'Halvårsrapporten för insatsen ”På väg” (perioden 1 januari–30 juni 2037) skulle ha lämnats senast fredagen den 31 juli 2037 och är nu 1 dag försenad. Samordnare är Åsa Öberg.\n\n' +
        'Rapporten ligger bland verkställande tjänstemannens väntande steg tills den har lämnats. Förseningen tas upp under punkten Rapportläge för insatserna på styrelsens nästa sammanträde.' +
        SIG,
    );
  });

  it('published at the earliest the day after the period ends, also over a year end', () => {
    expect(publicationSentence('2037-06-30')).toBe(
      'Texten och de sammanställda siffrorna publiceras på förbundets webbplats när förbundschefen har granskat rapporten, tidigast 1 juli 2037, dagen efter att perioden slutar. Förbundschefen läser texten först och kan stryka det som kan peka ut en deltagare.',
    );
    expect(publicationSentence('2036-12-31')).toContain('tidigast 1 januari 2037, dagen efter');
  });

  it('a greeting to nobody in particular is "Hej,"', () => {
    expect(greeting([])).toBe('Hej,');
  });
});

describe('the whole text of the milestone mails', () => {
  const m0 = { forbundName: F, title: 'Årsredovisning med bokslut', dueDate: '2037-02-12', ownerName: 'official', markUrl: 'https://a.example/admin#steg-1' };

  it('a reminder to a role, with the link to mark it done, no meeting', () => {
    expect(milestoneReminder(m0, 5).text).toBe(
      'Hej förbundschef,\n\nMomentet ”Årsredovisning med bokslut” i årscykeln ska vara klart om 5 dagar, senast torsdagen den 12 februari 2037.\n\nNär det är gjort markerar du det som klart i Årscykel, så slutar påminnelserna.\nMarkera momentet som klart: https://a.example/admin#steg-1' + SIG,
    );
  });

  it('overdue, greeting the named person', () => {
    const m = milestoneOverdue({ ...m0, greetName: 'Raed Shaqdih' });
    expect(m.subject).toBe(`Försenat: momentet ”Årsredovisning med bokslut” skulle ha varit klart 12 februari 2037 – ${F}`);
    expect(m.text).toBe(
      'Hej Raed Shaqdih,\n\nMomentet ”Årsredovisning med bokslut” i årscykeln skulle ha varit klart senast torsdagen den 12 februari 2037 och är ännu inte markerat som klart.\n\nSå snart det är gjort markerar du det som klart i Årscykel.\nMarkera momentet som klart: https://a.example/admin#steg-1' + SIG,
    );
  });

  it('escalated: the owner by title, the link alone on its paragraph; without link nothing after', () => {
    const m = milestoneEscalation(m0, 3, { official: true, presidium: false });
    expect(m.subject).toBe(`Eskalering: momentet ”Årsredovisning med bokslut” är 3 dagar försenat – ${F}`);
    expect(m.text).toBe(
      'Till verkställande tjänsteman,\n\nMomentet ”Årsredovisning med bokslut” i årscykeln (ansvarig: förbundschefen) skulle ha varit klart senast torsdagen den 12 februari 2037 och är nu 3 dagar försenat.\n\nMomentet ligger bland verkställande tjänstemannens väntande steg tills det är klart.\n\nMarkera momentet som klart: https://a.example/admin#steg-1' + SIG,
    );
    expect(m.html).toContain('<p><a href="https://a.example/admin#steg-1">Markera momentet som klart</a></p>');
    const one = milestoneEscalation({ ...m0, markUrl: undefined }, 1, { official: true, presidium: false });
    expect(one.subject).toBe(`Eskalering: momentet ”Årsredovisning med bokslut” är 1 dag försenat – ${F}`);
    expect(one.text).toContain('och är nu 1 dag försenat.\n\nMomentet ligger bland verkställande tjänstemannens väntande steg tills det är klart.' + SIG);
  });

  it('the kallelse reminder to the secretary and the missing sammanträdesplan', () => {
    const k = kallelseReminder({ forbundName: F, secretaryName: 'secretary', meetingKind: 'styrelse', meeting: board.when, kallelseDate: '2037-02-12' });
    expect(k.subject).toBe(`Kallelse till styrelsens sammanträde 26 februari 2037 ska skickas senast 12 februari 2037 – ${F}`);
    expect(k.text).toBe('Hej sekreterare,\n\nKallelsen med föredragningslista till styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00 ska skickas ut senast torsdagen den 12 februari 2037.' + SIG);
    const c = calendarMissing({ forbundName: F, nextYear: 2038, lastMeetingDate: '2037-11-26' }, { official: true, presidium: true });
    expect(c.subject).toBe(`Eskalering: sammanträdesplanen för 2038 är inte fastställd – ${F}`);
    expect(c.text).toBe(
      'Till verkställande tjänsteman och presidiet,\n\nStyrelsens sista sammanträde för året var torsdagen den 26 november 2037, men ingen sammanträdesplan (kalendarium) för 2038 har fastställts. Årscykeln för 2038 kan inte planeras förrän styrelsen har fastställt den.' + SIG,
    );
  });
});

describe('invite details and other changes', () => {
  const base: InviteFacts = { forbundName: F, kind: 'styrelse', when: { date: '2037-03-12', start: '09:00', end: '12:00' }, location: 'Kumla stadshus', change: 'update' };

  it('a preparatory meeting: the board meeting it prepares, the matters due, the kallelse', () => {
    expect(inviteDetails({ ...base, kind: 'beredningsgrupp', prepares: { kind: 'styrelse', when: board.when, kallelse: '2037-02-12' }, preparedMatters: [{ title: 'Budget', dueDate: '2037-02-05' }] })).toBe(
      'Sammanträdet förbereder styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00.\nÄrenden enligt årscykeln som ska vara beredda till styrelsens sammanträde:\n– Budget (sista dag torsdagen den 5 februari 2037)\nKallelse med föredragningslista till styrelsens sammanträde skickas senast torsdagen den 12 februari 2037.',
    );
  });

  it('only a presidium beredning: matters ready by it', () => {
    expect(inviteDetails({ ...base, preparation: { beredning: '2037-02-05', matters: '2037-02-05', kallelse: '2037-02-12' } })).toBe(
      'Presidiets beredningsmöte: torsdagen den 5 februari 2037.\nÄrenden ska vara beredda senast torsdagen den 5 februari 2037.\nKallelse med föredragningslista skickas senast torsdagen den 12 februari 2037.',
    );
  });

  it('matters never due after the kallelse; without a preparatory meeting, due with the kallelse', () => {
    expect(inviteDetails({ ...base, preparation: { beredningsgrupp: '2037-01-29', matters: '2037-02-19', kallelse: '2037-02-12' } })).toContain('Ärenden ska vara beredda senast torsdagen den 12 februari 2037.');
    expect(inviteDetails({ ...base, preparation: { matters: '2037-02-05', kallelse: '2037-02-12' } })).toBe(
      'Inget förberedande sammanträde är planerat: ärenden ska vara beredda när kallelsen med föredragningslista skickas, senast torsdagen den 12 februari 2037.',
    );
  });

  it('a planeringsdag cancelled is "inställd"; a change without the earlier time says what holds now', () => {
    expect(inviteMail({ ...base, kind: 'planning_day', change: 'cancelled' }).text).toBe('Planeringsdagen torsdagen den 12 mars 2037 kl. 9.00–12.00 är inställd.' + SIG);
    const m = inviteMail(base);
    expect(m.subject).toBe(`Ändrat: styrelsens sammanträde 12 mars 2037 kl. 9.00–12.00 – ${F}`);
    expect(m.text).toBe('Tid eller plats har ändrats för styrelsens sammanträde. Gäller nu: torsdagen den 12 mars 2037 kl. 9.00–12.00, Kumla stadshus.' + SIG);
  });

  it('a document with an http address is linked; an address that only contains one is not', () => {
    expect(agendaLine({ number: 2, title: 'X', documents: [{ title: 'Protokoll', url: 'http://a.example/h/3' }, { title: 'Omdirigering', url: '/goto?u=https://x' }] })).toBe('2. X\n    Protokoll: http://a.example/h/3\n    Handling: Omdirigering');
  });
});

describe('the HTML part', () => {
  it('paragraphs, and the signature with a line break', () => {
    expect(ersattareReleased({ ...board, personName: 'Eva Ek', forName: 'Per Persson' }).html).toBe(
      '<!doctype html><html lang="sv"><body><p>Hej Eva Ek,</p><p>Ledamoten Per Persson kan ändå komma till styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00, Kumla stadshus. Du behöver därför inte tjänstgöra i ledamotens ställe, och inbjudan i din kalender tas bort.</p><p>Tack för att du ställde upp.</p>' +
        `<p>Vänliga hälsningar<br>Kansliet, ${F}</p></body></html>`,
    );
  });

  it('a marked link shows its label; a bare http address is linked as it is', () => {
    expect(declineNewLink({ ...board, personName: 'P', declineUrl: 'https://a.example/d/1' }).html).toContain(
      '<p>Kan du inte komma? <a href="https://a.example/d/1">Meddela förhinder</a><br>En ersättare kallas då in i ditt ställe, om det finns någon.</p>',
    );
    expect(dischargeReminder({ forbundName: F, memberName: 'Kumla kommun', year: 2036, sentOn: '2037-03-19', replyBy: '2037-06-15', late: true, link: 'http://a.example/m/1' }).html).toContain('<p><a href="http://a.example/m/1">http://a.example/m/1</a></p>');
  });
});

describe('the whole text of the board meeting mails', () => {
  it('the kallelse without signatures or förhinder link', () => {
    const m = kallelseMail({ ...board, items: [{ number: 1, title: 'Mötets öppnande' }], forInformation: false });
    expect(m.subject).toBe(`Kallelse: styrelsens sammanträde 26 februari 2037 kl. 9.00 – ${F}`);
    expect(m.text).toBe(
      'Ledamöterna kallas till styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00, Kumla stadshus.\n\nFöredragningslista\n1. Mötets öppnande\n\nKallelsen med föredragningslistan finns också bifogad som pdf-fil (kallelse.pdf) för utskrift.' + SIG,
    );
    expect(kallelseMail({ ...board, items: [], forInformation: false, secretaryName: 'Sara Sekr' }).text).toContain('för utskrift.\n\nSara Sekr, sekreterare' + SIG);
    expect(kallelseMail({ ...board, items: [], forInformation: false, chairName: 'Anna Ordf' }).text).toContain('för utskrift.\n\nAnna Ordf, ordförande' + SIG);
  });

  it('an ersättare called in before the kallelse, without a link', () => {
    expect(ersattareCallIn({ ...board, personName: 'Eva Ek', forName: 'Per Persson' }).text).toBe(
      'Hej Eva Ek,\n\nLedamoten Per Persson har anmält förhinder till styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00, Kumla stadshus. Du kallas därför in som ersättare och tjänstgör i ledamotens ställe.\n\nDu får kallelsen med föredragningslistan när den skickas ut till ledamöterna.' + SIG,
    );
  });

  it('förhinder received, no ersättare to call in', () => {
    const m = declineReceived({ ...board, personName: 'Per Persson' });
    expect(m.subject).toBe(`Förhinder anmält: styrelsens sammanträde 26 februari 2037 kl. 9.00 – ${F}`);
    expect(m.text).toBe(
      'Hej Per Persson,\n\nVi har tagit emot ditt förhinder till styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00, Kumla stadshus.\n\nDet finns ingen ersättare som kan kallas in i ditt ställe. Styrelsens sekreterare har fått besked om det.' + SIG,
    );
  });

  it('the kallelse due: the agenda as it stands under its heading', () => {
    const m = kallelseDue({ ...board, secretaryName: 'Sara Sekr', kallelseDate: '2037-02-12', items: [{ number: 1, title: 'Mötets öppnande' }], quorum: { expected: 5, seats: 7, quorate: true } });
    expect(m.text).toContain('\n\nFöredragningslistan ser just nu ut så här:\n1. Mötets öppnande\n\nDu kan ändra föredragningslistan');
    expect(m.text).toContain('\n\nEnligt anmälningarna kommer 5 av 7 ledamöter eller ersättare; styrelsen är beslutsför.' + SIG);
  });

  it('one matter already prepared, no reports missing', () => {
    const m = beredningsunderlag({ forbundName: F, bodyKind: 'beredningsgrupp', prepWhen: { date: '2037-02-12', start: '13:00', end: '15:00' }, board, matters: [{ dnr: '2037-00003', title: 'Ansökan om medel', owner: 'Åsa Öberg', prepared: true }] });
    expect(m.text).toBe(
      'Till beredningsgruppen,\n\nFöljande ärende är anmält till styrelsens sammanträde torsdagen den 26 februari 2037 och ska beredas på beredningsgruppens sammanträde torsdagen den 12 februari 2037 kl. 13.00–15.00:\n– Ansökan om medel (Dnr 2037-00003), ansvarig: Åsa Öberg – redan berett\n\nÄrendet är redan berett.' + SIG,
    );
  });

  it('a matter moved to the next meeting', () => {
    const m = matterMoved({ forbundName: F, ownerName: 'official', dnr: '2037-00003', title: 'Ansökan om medel', from: board, to: { ...board, when: { date: '2037-03-12', start: '09:00', end: '12:00' } } });
    expect(m.subject).toBe(`Ärendet ”Ansökan om medel” flyttas till styrelsens sammanträde 12 mars 2037 – ${F}`);
    expect(m.text).toBe(
      'Hej förbundschef,\n\nÄrendet ”Ansökan om medel” (Dnr 2037-00003) var inte berett i tid till styrelsens sammanträde torsdagen den 26 februari 2037 och flyttas därför till styrelsens sammanträde torsdagen den 12 mars 2037 kl. 9.00–12.00, Kumla stadshus.\n\nMarkera ärendet som berett i Årscykel när beredningen är klar.' + SIG,
    );
  });

  it('the justering reminder before the last day', () => {
    const m = justeringReminder({ ...board, justerareName: 'Jon Just', due: '2037-03-12', overdue: false });
    expect(m.subject).toBe(`Påminnelse: protokollet från styrelsens sammanträde 26 februari 2037 ska justeras senast 12 mars 2037 – ${F}`);
    expect(m.text).toBe(
      'Hej Jon Just,\n\nProtokollet från styrelsens sammanträde torsdagen den 26 februari 2037 ska justeras senast torsdagen den 12 mars 2037.\n\nProtokollet kan inte anslås och besluten kan inte skickas till förbundsmedlemmarna förrän det är justerat.' + SIG,
    );
  });

  it('the återrapportering due', () => {
    const m = followUpDue({ forbundName: F, ownerName: 'official', dnr: '2037-00003', title: 'Ansökan om medel', paragraph: 5, meetingDate: '2037-02-26', decision: 'Styrelsen beviljar 400 000 kr.', due: '2037-04-30', overdue: false });
    expect(m.subject).toBe(`Återrapportering: beslutet i ”Ansökan om medel” (§ 5) ska återrapporteras senast 30 april 2037 – ${F}`);
    expect(m.text).toBe(
      'Hej förbundschef,\n\nVid styrelsens sammanträde torsdagen den 26 februari 2037 fattades följande beslut i ärendet ”Ansökan om medel” (Dnr 2037-00003), § 5:\nStyrelsen beviljar 400 000 kr.\n\nDu är ansvarig för att verkställa beslutet och återrapportera till styrelsen senast torsdagen den 30 april 2037.\n\nMarkera beslutet som återrapporterat i Årscykel när det är gjort.' +
        SIG,
    );
  });

  it('the outcome of the quarter asked for', () => {
    const m = actualsDue({ forbundName: F, year: 2037, quarter: 2, throughMonth: 6, names: ['Ebba Ekonom'], link: 'https://a.example/utfall' });
    expect(m.subject).toBe(`Utfall för andra kvartalet 2037 behövs till prognosen – ${F}`);
    expect(m.text).toBe(
      'Hej Ebba Ekonom,\n\nDet är dags för kvartalets genomgång av ekonomin. Lägg in utfallet till och med juni 2037 per budgetrad (en SIE-fil från bokföringen eller en CSV-fil går bra), så räknas prognosen för 3 och 6 månader framåt och för helåret.\n\nLägg in utfallet: https://a.example/utfall' + SIG,
    );
  });
});

describe('the year letter\'s lead, by occasion and count', () => {
  const r = (due: string, l: string) => ({ kind: 'quarterly' as const, periodStart: '2037-01-01', periodEnd: '2037-03-31', dueDate: due, link: l });
  const owed = { kind: 'halfYear' as const, periodStart: '2036-07-01', periodEnd: '2036-12-31', dueDate: '2037-01-29', link: 'https://a.example/o1' };
  const base = { forbundName: F, projectName: 'På väg', coordinatorName: 'Åsa Öberg', year: 2037, reminderDays: [0, 3, 14, 3], overdueDays: 1, escalateDays: 7, feedUrl: 'https://a.example/feed' };
  const two = [r('2037-04-30', 'https://a.example/1'), r('2037-07-31', 'https://a.example/2')];
  const lead = (m: { text: string }) => m.text.split('\n\n')[1];

  it('one report and no overdue: "med sista dag"', () => {
    expect(lead(reportYearLetter({ ...base, occasion: 'newYear', reports: two.slice(1) }))).toBe('Ett nytt år har börjat. Här är den rapport som insatsen ”På väg” ska lämna under 2037, med sista dag.');
    expect(lead(reportYearLetter({ ...base, occasion: 'changed', reports: two.slice(1) }))).toBe('Sista dag för en rapport från insatsen ”På väg” har flyttats till 2037. Här är den rapport som insatsen ska lämna under 2037, med sista dag.');
    expect(lead(reportYearLetter({ ...base, occasion: 'goLive', reports: two.slice(1) }))).toBe(`${F} använder från och med nu Årscykel för insatsernas rapporter. Här är den rapport som insatsen ”På väg” ännu ska lämna, med sista dag.`);
  });

  it('two reports and one overdue: each its own day, the overdue one first', () => {
    const also = ' Dessutom finns en rapport som redan skulle ha lämnats; den står först.';
    expect(lead(reportYearLetter({ ...base, occasion: 'added', reports: two.slice(1), overdue: [owed] }))).toBe(`Insatsen ”På väg” är nu upplagd hos ${F}. Här är den rapport som insatsen ska lämna under 2037, med sista dag för var och en.${also}`);
    expect(lead(reportYearLetter({ ...base, occasion: 'newYear', reports: two, overdue: [owed] }))).toBe(`Ett nytt år har börjat. Här är de 2 rapporter som insatsen ”På väg” ska lämna under 2037, med sista dag för var och en.${also}`);
    expect(lead(reportYearLetter({ ...base, occasion: 'changed', reports: two, overdue: [owed] }))).toBe(`Sista dag för en rapport från insatsen ”På väg” har flyttats till 2037. Här är de 2 rapporter som insatsen ska lämna under 2037, med sista dag för var och en.${also}`);
    expect(lead(reportYearLetter({ ...base, occasion: 'goLive', reports: two, overdue: [owed] }))).toBe(`${F} använder från och med nu Årscykel för insatsernas rapporter. Här är de 3 rapporter som insatsen ”På väg” ännu ska lämna, med sista dag för var och en; de försenade står först.`);
  });

  it('two overdue: "de står först"; two at go-live without overdue: no word of overdue ones', () => {
    expect(lead(reportYearLetter({ ...base, occasion: 'newYear', reports: two, overdue: [owed, owed] }))).toBe('Ett nytt år har börjat. Här är de 2 rapporter som insatsen ”På väg” ska lämna under 2037, med sista dag för var och en. Dessutom finns 2 rapporter som redan skulle ha lämnats; de står först.');
    expect(lead(reportYearLetter({ ...base, occasion: 'goLive', reports: two }))).toBe(`${F} använder från och med nu Årscykel för insatsernas rapporter. Här är de 2 rapporter som insatsen ”På väg” ännu ska lämna, med sista dag för var och en.`);
  });

  it('a project added with one report: "med sista dag"; escalation after one day: "Efter 1 dag"', () => {
    const m = reportYearLetter({ ...base, occasion: 'added', reports: two.slice(1), escalateDays: 1 });
    expect(lead(m)).toBe(`Insatsen ”På väg” är nu upplagd hos ${F}. Här är den rapport som insatsen ska lämna under 2037, med sista dag.`);
    expect(m.text).toContain('Efter 1 dag får tjänstepersonen och beredningsgruppen besked om förseningen.');
  });

  it('reminder days in any order and repeated read once, largest first', () => {
    expect(reportYearLetter({ ...base, occasion: 'newYear', reports: two }).text).toContain('du får ett mejl 14 och 3 dagar före sista dag och på sista dagen.');
  });
});
