// Money the economist can trace, on the Sydnärke example (examples/sydnarke.yaml) and a
// real-shaped SIE 4 file of its books for January–June 2016 built here (PC8, as Visma writes it;
// its own chart: 7631 "Styrelsearvoden", salaries on 7010/7510): the forecast judged against the
// budget table the board adopted (+213 912 kr) and the policy as written (no deficit), the plan's
// result budget (−1 075 016 kr) a warning; the file reconciled (whose books, which year, the
// equity at the start by its #IB, #RES against the entries); a line traced to its accounts and
// verifications, and the mapping on one page; the lines without outcome; the materiality
// threshold; the follow-up's horizons named by their months; the members' shares said as what
// they are. Over HTTP: the API and the pages.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { createApiToken } from '../api/auth.js';
import { isMaterial, materialityThreshold } from '../domain/budget.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { forecast } from '../domain/prognos.js';
import { equityAtStart, parseSie, sieIdentity } from '../domain/sie.js';
import type { Database } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { pagePerson, signInCookie, type PagePerson } from './support/browser.js';
import { testDatabase } from './support/database.js';
import { apiCaller, serve, type Json } from './support/http.js';
import { RecordingNotifier } from './support/notifier.js';
import { pdfLines } from './support/pdf.js';

const NOW = new Date('2016-07-11T08:00:00Z');
const S = '/api/v1/forbund/sydnarke';

/** Text as PC8 (IBM codepage 437) bytes: the Swedish letters a SIE file has, the rest ASCII. */
function pc8(text: string): Buffer {
  const map: Record<string, number> = { å: 0x86, ä: 0x84, ö: 0x94, Å: 0x8f, Ä: 0x8e, Ö: 0x99, é: 0x82 };
  return Buffer.from([...text].map((c) => map[c] ?? c.charCodeAt(0)));
}

interface Ver {
  date: string;
  text: string;
  /** [account, kronor as written in the file]; the bank (1930) takes the other side. */
  rows: [string, string][];
}

/**
 * Sydnärke's books for January–June 2016, as its program exports them. Every line of the budget
 * table is on budget through June (half the year's running costs, the members' first two quarters,
 * half the project money), except Representation, which has no outcome yet.
 */
function sydnarkeSie(o: { orgNr?: string; res?: Record<string, string>; rar?: string } = {}): Buffer {
  const vers: Ver[] = [];
  for (const [month, day] of [['01', '04'], ['04', '04']]) {
    vers.push({ date: `2016${month}${day}`, text: `Medlemsbidrag kv ${month === '01' ? 1 : 2}`, rows: [['3010', '-724424.00'], ['3011', '-362212.00'], ['3012', '-362211.00']] });
  }
  const projekt = ['379666.00', '379667.00', '379667.00', '379666.00', '379667.00', '379667.00'];
  projekt.forEach((amount, i) => vers.push({ date: `20160${i + 1}15`, text: `Projektmedel ${i + 1}/2016`, rows: [['4010', amount]] }));
  for (let m = 1; m <= 6; m++) vers.push({ date: `20160${m}25`, text: `Lön verkställande tjänsteman ${m}/2016`, rows: [['7010', '36420.00'], ['7510', '11435.00']] });
  vers.push({ date: '20160331', text: 'Styrelsearvoden kv 1', rows: [['7631', '51929.00']] });
  vers.push({ date: '20160630', text: 'Styrelsearvoden kv 2', rows: [['7631', '51929.00']] });
  vers.push({ date: '20160520', text: 'Revision 2015', rows: [['6420', '27500.00']] });
  vers.push({ date: '20160129', text: 'Ekonomitjänster Kumla kommun', rows: [['6550', '11166.66']] });
  vers.push({ date: '20160331', text: 'Ekonomitjänster Kumla kommun', rows: [['6550', '11166.67']] });
  vers.push({ date: '20160531', text: 'Ekonomitjänster Kumla kommun', rows: [['6550', '11166.67']] });
  vers.push({ date: '20160412', text: 'Finsamkonferensen', rows: [['7610', '15000.00']] });
  vers.push({ date: '20160610', text: 'Personalfest', rows: [['7630', '2500.00']] });
  vers.push({ date: '20160105', text: 'Lokalhyra kv 1', rows: [['5010', '13375.00']] });
  vers.push({ date: '20160405', text: 'Lokalhyra kv 2', rows: [['5010', '13375.00']] });
  vers.push({ date: '20160218', text: 'Resor Örebro', rows: [['5800', '7500.00']] });
  vers.push({ date: '20160518', text: 'Resor Stockholm', rows: [['5800', '7500.00']] });
  vers.push({ date: '20160630', text: 'Bankavgifter', rows: [['8410', '500.00']] });

  const sum = new Map<string, number>();
  const lines: string[] = [];
  vers.forEach((v, i) => {
    lines.push(`#VER A ${i + 1} ${v.date} "${v.text}" ${v.date}`, '{');
    let bank = 0;
    for (const [account, amount] of v.rows) {
      lines.push(`   #TRANS ${account} {} ${amount}`);
      sum.set(account, Math.round(((sum.get(account) ?? 0) + Number(amount)) * 100) / 100);
      bank -= Number(amount);
    }
    lines.push(`   #TRANS 1930 {} ${bank.toFixed(2)}`, '}');
  });
  const names: Record<string, string> = {
    '1930': 'Företagskonto', '2440': 'Leverantörsskulder', '2091': 'Balanserat resultat',
    '3010': 'Medlemsbidrag Försäkringskassan', '3011': 'Medlemsbidrag Region Örebro län', '3012': 'Medlemsbidrag kommunerna',
    '4010': 'Projektmedel', '5010': 'Lokalhyra', '5800': 'Resekostnader', '6420': 'Revisionsarvoden', '6550': 'Ekonomitjänster',
    '7010': 'Löner', '7510': 'Arbetsgivaravgifter', '7610': 'Kurser och konferenser', '7630': 'Personalrepresentation', '7631': 'Styrelsearvoden',
    '8410': 'Bankkostnader',
  };
  const res = { ...Object.fromEntries([...sum].map(([a, n]) => [a, n.toFixed(2)])), ...(o.res ?? {}) };
  return pc8(
    [
      '#FLAGGA 0',
      '#FORMAT PC8',
      '#SIETYP 4',
      '#PROGRAM "Visma Administration 2000" 2016.1',
      '#GEN 20160705 "Eva Ekonom"',
      '#FNAMN "Samordningsförbundet Sydnärke"',
      `#ORGNR ${o.orgNr ?? '222000-2600'}`,
      o.rar ?? '#RAR 0 20160101 20161231',
      '#RAR -1 20150101 20151231',
      '#KPTYP BAS2014',
      ...Object.entries(names).map(([a, n]) => `#KONTO ${a} "${n}"`),
      '#IB 0 1930 1850000.00',
      '#IB 0 2440 -31250.00',
      '#IB 0 2091 -1818750.00',
      ...Object.entries(res).map(([a, n]) => `#RES 0 ${a} ${n}`),
      ...lines,
    ].join('\r\n') + '\r\n',
  );
}

let db: Database;
let server: { base: string; close(): Promise<void> };
let forbundId: string;
const tokens = { economist: '', board: '' };
const people = {} as Record<'official', PagePerson>;
const call = apiCaller(() => server.base);
const sendSie = (year: number, file: string, body: Buffer) =>
  fetch(`${server.base}${S}/actuals/${year}/sie?file=${encodeURIComponent(file)}`, { method: 'POST', headers: { authorization: `Bearer ${tokens.economist}`, 'content-type': 'application/octet-stream' }, body }).then(async (r) => ({ status: r.status, json: (await r.json()) as Json }));
const cookie = () => signInCookie(server.base, people.official);
const getPage = async (path: string) => {
  const res = await fetch(`${server.base}${path}`, { redirect: 'manual', headers: { cookie: await cookie() } });
  return { status: res.status, text: (await res.text()).replace(/\u00a0/g, ' ') };
};
const uploadPage = async (year: number, file: string, body: Buffer) => {
  const fd = new FormData();
  fd.append('fil', new Blob([body]), file);
  const res = await fetch(`${server.base}/admin/pengar/${year}/utfall`, { method: 'POST', redirect: 'manual', headers: { origin: server.base, cookie: await cookie() }, body: fd });
  return { status: res.status, text: (await res.text()).replace(/\u00a0/g, ' ') };
};

beforeAll(async () => {
  db = await testDatabase();
  forbundId = (await importForbund(db.prisma, parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml'), { actor: 'test' })).forbundId;
  tokens.economist = await createApiToken(db.prisma, { forbundId, name: 'Ekonom', role: 'economist' });
  tokens.board = await createApiToken(db.prisma, { forbundId, name: 'Ledamot', role: 'board_member' });
  people.official = await pagePerson(db.prisma, { forbundId, name: 'Raéd Shaqdih', role: 'official', publicBaseUrl: 'https://arscykel.example', now: () => NOW });
  server = await serve(createApp({ prisma: db.prisma, notifier: new RecordingNotifier(), publicBaseUrl: 'https://arscykel.example', linkSecret: 's'.repeat(32), now: () => NOW }));
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe('the file is reconciled before anything is stored', () => {
  it('another organisation number is refused with 400 naming the file and the reason, in the API and on the page; nothing is stored', async () => {
    const other = sydnarkeSie({ orgNr: '556677-8899' });
    const r = await sendSie(2016, 'kumla-kommun.se', other);
    expect(r.status).toBe(400);
    expect(r.json.error.fields).toEqual([{ field: 'kumla-kommun.se', problem: "kumla-kommun.se: the organisation number in the file (556677-8899) is not the förbund's (222000-2600): these are another organisation's books" }]);
    const page = await uploadPage(2016, 'kumla-kommun.se', other);
    expect(page.status).toBe(400);
    expect(page.text).toContain('kumla-kommun.se: organisationsnumret i filen (556677-8899) är inte förbundets (222000-2600).');
    expect(await db.prisma.actual.count({ where: { forbundId } })).toBe(0);
    // The same number written another way is the same organisation.
    expect(sieIdentity({ fileName: 'x.se', company: { orgNr: '162220002600' }, fiscalYears: [{ index: 0, start: '2016-01-01', end: '2016-12-31' }] }, { orgNr: '222000-2600', year: 2016 })).toEqual({ problems: [], warnings: [] });
    // Without #ORGNR it cannot be checked: said, not refused.
    expect(sieIdentity({ fileName: 'x.se', company: {}, fiscalYears: [{ index: 0, start: '2016-01-01', end: '2016-12-31' }] }, { orgNr: '222000-2600', year: 2016 }).warnings).toEqual(["x.se has no #ORGNR, so it could not be checked that it is the förbund's books"]);
  });

  it('a file of another year than the budget year is refused, naming the file on the page', async () => {
    const r = await sendSie(2016, 'bokforing-2017.se', sydnarkeSie({ rar: '#RAR 0 20170101 20171231' }));
    expect(r.status).toBe(400);
    expect(r.json.error.fields).toEqual([{ field: 'year', problem: "the file's fiscal year (#RAR 0) is 2017-01-01–2017-12-31, not 2016" }]);
    const page = await uploadPage(2016, 'bokforing-2017.se', sydnarkeSie({ rar: '#RAR 0 20170101 20171231' }));
    expect(page.status).toBe(400);
    expect(page.text).toContain('bokforing-2017.se: filens räkenskapsår (#RAR 0) är 2017-01-01–2017-12-31, inte budgetåret 2016.');
  });

  it('#RES that differs from the sum of an account\'s transactions is warned of (API and page), and the equity at the start is read from #IB', async () => {
    const file = sydnarkeSie({ res: { '7631': '110000.00' } });
    const resLine = file.toString('latin1').split('\r\n').indexOf('#RES 0 7631 110000.00') + 1;
    const r = await sendSie(2016, 'sydnarke-res.se', file);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.reconciliation.resDifferences).toEqual([{ account: '7631', name: 'Styrelsearvoden', res: '110000.00', entries: '103858.00', difference: '6142.00' }]);
    expect(resLine).toBeGreaterThan(0);
    expect(r.json.warnings).toContainEqual({ line: resLine, problem: '#RES for account 7631 (Styrelsearvoden) is 110000.00, but its entries in the fiscal year sum to 103858.00: a difference of 6142.00' });
    expect(r.json.reconciliation.equityAtStart).toEqual({ kr: 1_818_750, from: 'equity-accounts', accounts: ['2091'] });
    const page = await getPage('/admin/pengar/2016');
    expect(page.text).toContain('<h2 id="avstamning">Avstämning av bokföringen</h2>');
    expect(page.text).toContain('Konto 7631 Styrelsearvoden: #RES i filen är 110 000,00 kr men verifikationerna summerar till 103 858,00 kr (skillnad 6 142,00 kr).');
    // Without an equity account the opening balance's net assets are the equity.
    expect(equityAtStart(parseSie(Buffer.from('#RAR 0 20160101 20161231\r\n#IB 0 1930 1850000.00\r\n#IB 0 2440 -31250.00\r\n'), 'x.se'))).toEqual({ ore: 181_875_000n, from: 'net-assets', accounts: ['1930', '2440'] });
  });
});

describe('Sydnärke 2016 from its books', () => {
  beforeAll(async () => {
    const r = await sendSie(2016, 'sydnarke-2016.se', sydnarkeSie());
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.through).toBe(6);
    expect(r.json.reconciliation.resDifferences).toEqual([]);
    expect(r.json.unmapped).toEqual([]);
  });

  it('is judged against the budget table the board adopted (+213 912) and the policy as written; the result budget (−1 075 016) is the plan\'s contradiction', async () => {
    const f = await call(`${S}/forecast/2016`, { token: tokens.board });
    expect(f.status).toBe(200);
    expect(f.json.planned).toBe(213_912);
    expect(f.json.statedResult).toBe(-1_075_016);
    expect(f.json.policy).toEqual({ maxPlannedDeficit: 0, minEquity: 0 });
    // On budget through June; the projects' committed grants (4 611 000) hold 55 000 above the project money,
    // and Representation, with no outcome, gets half its budget (1 000 kr less cost).
    expect(f.json.result.yearEnd).toBe(213_912 - 55_000 + 1_000);
    expect(f.json.verdict).toMatchObject({ escalate: false, worseThanPlanned: 54_000, equityEnd: 1_818_750 + 159_912 });
    expect(f.json.verdict.why).toContain('159 912 kr, 54 000 kr worse than the planned 213 912 kr');
    expect(f.json.equityStart).toEqual({ kr: 1_818_750, from: 'sie', file: 'sydnarke-2016.se' });
    const b = await call(`${S}/budget/2016`, { token: tokens.board });
    expect(b.json.totals.result).toBe(213_912);
    expect(b.json.warnings.find((w: Json) => w.path === '/budget/years/2016/stated/result').message).toContain('the stated result −1 075 016 kr is 1 288 928 kr less than the result of the lines, 213 912 kr');

    const page = await getPage('/admin/pengar/2016');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('högst 1 075 016 kr underskott');
    expect(page.text).toContain('<dt>Resultat enligt budgeten styrelsen fastställde (budgettabellens rader)</dt><dd>213 912 kr</dd>');
    expect(page.text).toContain('<dt>Resultat som planen anger på annat ställe</dt><dd>−1 075 016 kr, en motsägelse i planen');
    expect(page.text).toContain('Planen anger på annat ställe resultatet −1 075 016 kr, 1 288 928 kr mindre än budgettabellens rader ger: 213 912 kr');
    expect(page.text).toContain('<dt>Finansieringspolicyn</dt><dd>inget underskott; prognostiseras ett är det styrelsens uppgift att vidta åtgärder som reglerar obalansen; eget kapital minst 0 kr</dd>');
    expect(page.text).toContain('Inom finansieringspolicyn');
    expect(page.text).toContain('Det egna kapitalet blir 1 978 662 kr, inte under det lägsta tillåtna, 0 kr. Budgeten styrelsen fastställde ger resultatet 213 912 kr; prognosen är 54 000 kr sämre.');
    expect(page.text).toContain('<dt>Eget kapital vid årets början enligt bokföringen</dt><dd>1 818 750 kr (ingående balans i sydnarke-2016.se, konto 2091)</dd>');
    expect(page.text).toContain('<dt>Eget kapital vid årets början enligt planen</dt><dd>2 439 354 kr, 620 604 kr mer än bokföringen; prognosen räknar med bokföringens</dd>');
    // The members: the state's half through Försäkringskassan; the municipalities' equal split is an assumption.
    expect(page.text).toContain('<th scope="row">Staten via Försäkringskassan</th><td>50 %</td><td>2 897 694</td>');
    expect(page.text).toContain('<th scope="row">Kumla kommun (antaget: lika delar)</th><td>6,25 %</td>');
    expect(page.text).toContain('<th scope="row">Region Örebro län</th><td>25 %</td>');
  });

  it('says which lines have no outcome yet, in the API and on the page', async () => {
    const f = await call(`${S}/forecast/2016`, { token: tokens.board });
    expect(f.json.withoutOutcome).toEqual(['representation']);
    expect(f.json.perLine.find((l: Json) => l.key === 'representation')).toMatchObject({ noOutcome: true, actualToDate: 0, yearEnd: 1000 });
    const page = await getPage('/admin/pengar/2016');
    expect(page.text).toContain('<h3>Rader utan utfall</h3><p>Raderna nedan har en budget men inget utfall t.o.m. juni.');
    expect(page.text).toContain('<li>Representation: budget 2 000 kr, prognos helår 1 000 kr</li>');
  });

  it('traces a line to its accounts and verifications over HTTP: 7631 Styrelsearvoden in Arvoden, the salaries on 7010/7510 with the verkställande tjänsteman', async () => {
    const arvoden = await call(`${S}/actuals/2016/lines/arvoden`, { token: tokens.board });
    expect(arvoden.status).toBe(200);
    expect(arvoden.json.accounts).toEqual(['7240-7249', '7300-7399', '7631']);
    expect(arvoden.json.stored).toMatchObject({ through: 6, toDate: 103_858 });
    expect(arvoden.json.sie).toMatchObject({ file: 'sydnarke-2016.se', through: 6, totalKr: 103_858, matchesStored: true, vouchersLeftOut: 0 });
    expect(arvoden.json.sie.accounts).toEqual([
      {
        account: '7631',
        name: 'Styrelsearvoden',
        amountOre: '10385800',
        amountKr: 103_858,
        vouchers: [
          { series: 'A', number: '15', date: '2016-03-31', text: 'Styrelsearvoden kv 1', amountOre: 5_192_900 },
          { series: 'A', number: '16', date: '2016-06-30', text: 'Styrelsearvoden kv 2', amountOre: 5_192_900 },
        ],
      },
    ]);
    const vt = await call(`${S}/actuals/2016/lines/kop-verkstallande-tjansteman`, { token: tokens.board });
    expect(vt.json.sie.accounts.map((a: Json) => [a.account, a.name, a.amountKr, a.vouchers.length])).toEqual([
      ['7010', 'Löner', 218_520, 6],
      ['7510', 'Arbetsgivaravgifter', 68_610, 6],
    ]);
    const repr = await call(`${S}/actuals/2016/lines/personalrepresentation`, { token: tokens.board });
    expect(repr.json.sie.accounts.map((a: Json) => a.account)).toEqual(['7630']);
    // Income is turned positive, as the line counts it.
    const drift = await call(`${S}/actuals/2016/lines/driftbidrag`, { token: tokens.board });
    expect(drift.json.sie.totalKr).toBe(2_897_694);
    expect(drift.json.sie.accounts[0].vouchers[0]).toMatchObject({ series: 'A', number: '1', amountOre: 72_442_400 });
    expect((await call(`${S}/actuals/2016/lines/nope`, { token: tokens.board })).status).toBe(404);

    const page = await getPage('/admin/pengar/2016/rader/arvoden');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Arvoden, soc. avg. övriga ersättn. 2016</h1>');
    expect(page.text).toContain('<dt>Konton enligt förbundsfilen</dt><dd>7240-7249, 7300-7399, 7631</dd>');
    expect(page.text).toContain('7631 Styrelsearvoden: 103 858,00 kr');
    expect(page.text).toContain('<tr><th scope="row">A 15</th><td class="text">31 mars 2016</td><td class="text">Styrelsearvoden kv 1</td><td>51 929,00</td></tr>');
    // The money page links each line to it.
    expect((await getPage('/admin/pengar/2016')).text).toContain('<li><a href="/admin/pengar/2016/rader/arvoden">Arvoden, soc. avg. övriga ersättn.</a></li>');
    expect((await getPage('/admin/pengar/2016/rader/nope')).status).toBe(404);
  });

  it('shows the mapping from accounts to lines on one page', async () => {
    const m = await call(`${S}/accounts/2016`, { token: tokens.board });
    expect(m.status).toBe(200);
    expect(m.json.lines.find((l: Json) => l.key === 'arvoden')).toMatchObject({ accounts: ['7240-7249', '7300-7399', '7631'], seen: [{ account: '7631', name: 'Styrelsearvoden', amountKr: 103_858 }] });
    expect(m.json.lines.find((l: Json) => l.key === 'personalrepresentation').seen).toEqual([{ account: '7630', name: 'Personalrepresentation', amountKr: 2_500 }]);
    expect(m.json.unmapped).toEqual([]);
    const page = await getPage('/admin/pengar/2016/konton');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Konton och budgetrader 2016</h1>');
    expect(page.text).toContain('<tr><th scope="row"><a href="/admin/pengar/2016/rader/arvoden">Arvoden, soc. avg. övriga ersättn.</a></th><td>7240-7249, 7300-7399, 7631</td><td>7631 Styrelsearvoden (103 858 kr)</td></tr>');
    expect(page.text).toContain('7010 Löner (218 520 kr); 7510 Arbetsgivaravgifter (68 610 kr)');
  });

  it('the follow-up PDF names its horizons by the months they reach', async () => {
    const pdf = async () => pdfLines(Buffer.from(await (await fetch(`${server.base}${S}/budget/2016/follow-up.pdf`, { headers: { authorization: `Bearer ${tokens.board}` } })).arrayBuffer()));
    const june = await pdf();
    expect(june.lines).toContain('Rad Budget Utfall Prognos +3 mån Prognos +6 mån Prognos helår Avvikelse helår');
    expect(june.lines).toContain('helår t.o.m. juni t.o.m. september t.o.m. december t.o.m. december mot budget');
    expect(june.lines.join(' ')).toContain('Rader utan utfall t.o.m. juni, där prognosen bara bygger på budgeten: Representation.');
    expect(june.lines).toContain('Staten via Försäkringskassan 50 % 2 897 694 724 424 724 424 724 423 724 423');
    // Outcome through October: one horizon, 2 months ahead.
    expect((await call(`${S}/actuals/2016`, { token: tokens.economist, method: 'PUT', json: { rows: [{ line: 'revisionstjanster', month: 10, amount: 0 }] } })).status).toBe(200);
    const october = await pdf();
    expect(october.lines).toContain('Rad Budget Utfall Prognos +2 mån Prognos helår Avvikelse helår');
    expect(october.lines).toContain('helår t.o.m. oktober t.o.m. december t.o.m. december mot budget');
    await db.prisma.actual.deleteMany({ where: { forbundId, month: 10 } });
  });
});

describe('the materiality threshold', () => {
  it('the larger of 1 % of the line\'s budget and 5 000 kr: budget 400 000, forecast 399 997 is no deviation', () => {
    expect(materialityThreshold(400_000)).toBe(5_000);
    expect(materialityThreshold(4_556_000)).toBe(45_560);
    expect(isMaterial(3, 400_000)).toBe(false);
    expect(isMaterial(-5_000, 400_000)).toBe(false);
    expect(isMaterial(-5_001, 400_000)).toBe(true);
    expect(isMaterial(40_000, 4_556_000)).toBe(false);
    expect(isMaterial(2_000, 100_000, { percent: 1, minKr: 1_000 })).toBe(true);
    const budget = { year: 2016, lines: [{ key: 'personal', name: 'Personal', kind: 'cost' as const, group: 'administration' as const, amount: 400_000 }] };
    const at = (amount: number) => forecast({ budget, actuals: [{ lineKey: 'personal', month: 12, amount }], throughMonth: 12 }).perLine[0];
    expect(at(399_997)).toMatchObject({ deviation: 3, threshold: 5_000, material: false });
    expect(at(405_001)).toMatchObject({ deviation: -5_001, material: true });
  });

  it('is the policy\'s setting over HTTP, each line with its threshold; the page names the material ones', async () => {
    const f = await call(`${S}/forecast/2016`, { token: tokens.board });
    expect(f.json.materiality).toEqual({ percent: 1, minKr: 5000 });
    expect(f.json.perLine.find((l: Json) => l.key === 'utbetalda-projektpengar')).toMatchObject({ threshold: 45_560, deviation: -55_000, material: true });
    expect(f.json.perLine.find((l: Json) => l.key === 'representation')).toMatchObject({ threshold: 5_000, deviation: 1_000, material: false });
    const page = await getPage('/admin/pengar/2016');
    expect(page.text).toContain('Väsentlighetsgräns: det största av 1 % av radens budget och 5 000 kr. Väsentliga avvikelser: Utbetalda projektpengar −55 000 kr (gräns 45 560 kr).');
    expect(page.text).toContain('<td>−55 000 <span class="tag warn">väsentlig</span></td>');
    // The förbund file's budget.policy.materiality sets it.
    const forbund = await db.prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } });
    const money = forbund.moneyPolicy as { policy: Record<string, unknown> };
    await db.prisma.forbund.update({ where: { id: forbundId }, data: { moneyPolicy: { ...money, policy: { ...money.policy, materiality: { percent: 2, minKr: 100_000 } } } } });
    const set = await call(`${S}/forecast/2016`, { token: tokens.board });
    expect(set.json.materiality).toEqual({ percent: 2, minKr: 100_000 });
    expect(set.json.perLine.find((l: Json) => l.key === 'utbetalda-projektpengar')).toMatchObject({ threshold: 100_000, material: false });
    expect((await getPage('/admin/pengar/2016')).text).toContain('Väsentlighetsgräns: det största av 2 % av radens budget och 100 000 kr. Ingen rad avviker mer än så.');
    await db.prisma.forbund.update({ where: { id: forbundId }, data: { moneyPolicy: money as never } });
  });
});
