import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  ForbundFileError,
  checkForbundData,
  forbundFileSchema,
  parseForbundFile,
  resolveOwner,
  type ForbundFile,
  type ForbundFileIssue,
} from '../domain/forbund-file.js';

const EXAMPLES = ['sydnarke', 'sofint', 'hjotiborg', 'nedansiljan'] as const;
const read = (name: string) => readFileSync(new URL(`../examples/${name}`, import.meta.url), 'utf8');
const sydnarke = read('sydnarke.yaml');

/** Replaces exactly one occurrence (so a test cannot silently edit nothing). */
function edit(text: string, from: string, to: string): string {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`expected exactly one ${JSON.stringify(from)}, found ${count}`);
  return text.replace(from, to);
}

function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`not found: ${needle}`);
  return text.slice(0, i).split('\n').length;
}

function rejects(text: string, file = 'sydnarke.yaml'): ForbundFileError {
  try {
    parseForbundFile(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ForbundFileError);
    const e = err as ForbundFileError;
    expect(e.message).toBe(e.errors.map((x) => `${x.file}:${x.path}: ${x.message}`).join('\n'));
    return e;
  }
  throw new Error('expected the file to be rejected');
}

const only = (e: ForbundFileError): ForbundFileIssue => {
  expect(e.errors).toHaveLength(1);
  return e.errors[0];
};

describe('examples', () => {
  it.each(EXAMPLES)('%s.yaml parses, with the schema comment on line 1', (name) => {
    const text = read(`${name}.yaml`);
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./forbund.schema.json');
    const file = parseForbundFile(text, `${name}.yaml`);
    expect(file.forbund.id).toBe(name);
    expect(file.people.some((p) => p.roles.includes('official'))).toBe(true);
    expect(file.people.some((p) => p.roles.includes('secretary'))).toBe(true);
    // every project has a coordinator with the coordinator role
    for (const p of file.projects) {
      expect(file.people.find((x) => x.id === p.coordinator)?.roles).toContain('coordinator');
      expect(p.end >= p.start).toBe(true);
    }
    // invented addresses only on example domains
    for (const p of [file.forbund, ...file.people]) expect(p.email).toMatch(/@[a-z]+\.example$/);
    for (const m of file.members) if (m.email !== undefined) expect(m.email).toMatch(/^registrator@[a-z]+\.example$/);
    // everyone in the styrelse is a board member (ledamot or ersättare)
    for (const m of file.bodies.styrelse.members) expect(file.people.find((x) => x.id === m.person)?.roles).toContain('board_member');
  });

  it('the same data as JSON parses to the same result', () => {
    for (const name of EXAMPLES) {
      const text = read(`${name}.yaml`);
      const json = JSON.stringify(parseYaml(text));
      expect(parseForbundFile(json, `${name}.json`)).toEqual(parseForbundFile(text, `${name}.yaml`));
      expect(checkForbundData(JSON.parse(json), `${name}.json`)).toEqual(parseForbundFile(text, `${name}.yaml`));
    }
  });

  it('sydnarke carries the whole årscykel table and the projects with ceilings', () => {
    const f = parseForbundFile(sydnarke, 'sydnarke.yaml');
    expect(f.forbund).toMatchObject({ name: 'Samordningsförbundet Sydnärke', organisationNumber: '222000-2600', year: 2016 });
    expect(f.members).toHaveLength(7);
    expect(f.members.find((m) => m.kind === 'region')).toMatchObject({ share: 25, contribution: 1448847 });

    const dates = (body: string) => f.cycle.meetings.filter((m) => m.body === body).map((m) => m.date);
    expect(dates('styrelse')).toEqual(['2016-01-22', '2016-02-26', '2016-04-25', '2016-06-10', '2016-08-26', '2016-10-28', '2016-12-16']);
    expect(dates('beredningsgrupp')).toEqual(['2016-02-03', '2016-04-01', '2016-05-18', '2016-08-10', '2016-10-05', '2016-11-23']);
    expect(dates('beredning')).toEqual(['2016-02-12', '2016-04-08', '2016-05-25', '2016-08-17', '2016-10-13', '2016-12-05']);
    expect(f.cycle.planningDays.map((d) => d.date)).toEqual(['2016-03-30', '2016-11-11']);
    // each preparatory meeting prepares a later board meeting
    const byId = new Map(f.cycle.meetings.map((m) => [m.id, m]));
    for (const m of f.cycle.meetings.filter((x) => x.body !== 'styrelse')) {
      const board = byId.get(m.for!)!;
      expect(board.body).toBe('styrelse');
      expect(m.date! < board.date!).toBe(true);
    }
    expect(f.cycle.meetings.filter((m) => m.for === 'styrelse-12').map((m) => m.id)).toEqual(['beredningsgrupp-11', 'beredning-12']);
    // meeting times filled from defaults
    expect(f.cycle.meetings.every((m) => m.start === '09:00' && m.end === '12:00')).toBe(true);
    expect(f.cycle.preparation).toBe(false);

    expect(f.cycle.milestones.bokslut).toMatchObject({ meeting: 'styrelse-02', owner: 'official' });
    expect(f.cycle.milestones.halfYearReports).toMatchObject({ meeting: 'styrelse-08' });
    expect(f.cycle.milestones.stateAllocation).toMatchObject({ meeting: 'styrelse-12' });

    const grants = Object.fromEntries(f.projects.map((p) => [p.id, p.grants]));
    expect(grants['pa-vag']).toEqual({ 2016: 1210000 });
    expect(grants.framsteget).toEqual({ 2016: 1000000 });
    expect(f.projects).toHaveLength(10);
    expect(f.projects.find((p) => p.id === 'forsteget')).toMatchObject({ start: '2015-09-01', end: '2016-12-30', coordinator: 'sara-svensson' });
    expect(f.reporting.kinds.financial).toEqual({ dueDays: 15, months: [3, 9] });
  });

  it('hjotiborg has the fourth non-holiday Wednesday in August as a rule', () => {
    const f = parseForbundFile(read('hjotiborg.yaml'), 'hjotiborg.yaml');
    expect(f.forbund.plan?.dnr).toBe('2009-00009');
    expect(f.cycle.planningDays[0].rule).toEqual({ nth: 4, weekday: 'wednesday', month: 8, nonHoliday: true });
    expect(f.cycle.planningDays[0].date).toBeUndefined();
  });

  it('fills in defaults', () => {
    const f: ForbundFile = parseForbundFile(read('nedansiljan.yaml'), 'nedansiljan.yaml');
    expect(f.reporting).toEqual({
      kinds: { quarterly: { dueDays: 15 }, halfYear: { dueDays: 20 }, final: { dueDays: 60 } },
      reminders: [14, 3, 0],
      overdue: { reminderDaysAfter: 1, escalateDaysAfter: 7 },
    });
    const handlaggare = f.projects.find((p) => p.id === 'handlaggargruppen')!;
    expect(handlaggare).toMatchObject({ start: '2010-01-01', end: '2010-12-31', grants: {}, status: 'active', reports: ['quarterly', 'halfYear', 'final'] });
    expect(f.cycle).toMatchObject({
      defaults: { start: '09:00', end: '12:00' },
      kallelseDays: 7,
      preparation: { beredningsgruppDaysBefore: 21, beredningDaysBefore: 14 },
      planningDays: [],
      milestones: {},
    });
    const s = parseForbundFile(sydnarke, 'sydnarke.yaml');
    expect(s.projects.find((p) => p.id === 'kompetensutveckling')!.reports).toEqual([]);
    expect(s.projects.find((p) => p.id === 'pa-vag')!.reports).toEqual(['quarterly', 'halfYear', 'annual', 'final', 'financial']);
    expect(s.bodies.beredningsgrupp!.members).toEqual([{ person: 'official', role: 'member' }]);
  });

  it('resolves milestone owners by role or person id', () => {
    const s = parseForbundFile(sydnarke, 'sydnarke.yaml');
    expect(resolveOwner(s, 'economist').map((p) => p.id)).toEqual(['economist']);
    expect(resolveOwner(s, 'anna-bylin').map((p) => p.name)).toEqual(['Anna Bylin']);
    expect(resolveOwner(s, 'chair')).toEqual([]);
  });

  it('the schema is draft-07 and every property has a description', () => {
    const schema = forbundFileSchema as { $schema: string; definitions: Record<string, { description?: string }> };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const props = (node as { properties?: Record<string, { description?: string; $ref?: string }> }).properties;
      for (const [k, v] of Object.entries(props ?? {})) {
        const viaRef = v.$ref ? schema.definitions[v.$ref.split('/').pop()!]?.description : undefined;
        if (!v.description && !viaRef) missing.push(`${path}/${k}`);
      }
      for (const [k, v] of Object.entries(node)) walk(v, `${path}/${k}`);
    };
    walk(schema, '');
    expect(missing).toEqual([]);
  });
});

describe('broken variants of sydnarke.yaml', () => {
  it('unknown coordinator', () => {
    const text = edit(sydnarke, 'coordinator: samordnare-fordjupad-utredning', 'coordinator: anna');
    const issue = only(rejects(text));
    expect(issue).toMatchObject({ file: 'sydnarke.yaml', path: '/projects/2/coordinator', line: lineOf(text, 'coordinator: anna') });
    expect(issue.message).toMatch(/^unknown person "anna"; known: official, secretary, economist, /);
  });

  it('coordinator without the coordinator role', () => {
    const text = edit(sydnarke, 'coordinator: samordnare-fordjupad-utredning', 'coordinator: secretary');
    expect(only(rejects(text))).toMatchObject({
      path: '/projects/2/coordinator',
      message: 'person "secretary" does not have role "coordinator" (roles: secretary)',
    });
  });

  it('bad date 2016-02-30', () => {
    const text = edit(sydnarke, 'date: 2016-02-26 }', 'date: 2016-02-30 }');
    expect(only(rejects(text))).toEqual({
      file: 'sydnarke.yaml',
      path: '/cycle/meetings/1/date',
      message: '2016-02-30 is not a calendar date (February 2016 has 29 days)',
      line: lineOf(text, 'date: 2016-02-30'),
    });
  });

  it('go-live: a calendar date, kept; a bad one named by file, path and problem', () => {
    expect(parseForbundFile(edit(sydnarke, '  year: 2016\n', '  year: 2016\n  goLive: 2016-09-14\n'), 'sydnarke.yaml').forbund.goLive).toBe('2016-09-14');
    expect(parseForbundFile(sydnarke, 'sydnarke.yaml').forbund.goLive).toBeUndefined();
    const text = edit(sydnarke, '  year: 2016\n', '  year: 2016\n  goLive: 2016-09-31\n');
    expect(only(rejects(text))).toEqual({ file: 'sydnarke.yaml', path: '/forbund/goLive', message: '2016-09-31 is not a calendar date (September 2016 has 30 days)', line: lineOf(text, 'goLive:') });
    expect(only(rejects(edit(sydnarke, '  year: 2016\n', '  year: 2016\n  goLive: 14 september\n')))).toMatchObject({ path: '/forbund/goLive' });
  });

  it('negative grant', () => {
    const text = edit(sydnarke, 'grants: { 2016: 1210000 }', 'grants: { 2016: -1210000 }');
    expect(only(rejects(text))).toMatchObject({
      file: 'sydnarke.yaml',
      path: '/projects/0/grants/2016',
      message: 'must be at least 0 (got number -1210000)',
    });
  });

  it('grant keyed by something other than a year', () => {
    const text = edit(sydnarke, 'grants: { 2016: 700000 }', 'grants: { år2016: 700000 }');
    expect(only(rejects(text))).toMatchObject({ path: '/projects/1/grants/år2016', message: 'key "år2016" must be a 4-digit year' });
  });

  it('missing name', () => {
    const text = edit(sydnarke, '  name: Samordningsförbundet Sydnärke\n', '');
    expect(only(rejects(text))).toMatchObject({
      file: 'sydnarke.yaml',
      path: '/forbund/name',
      message: 'missing required property "name"',
      line: lineOf(text, 'forbund:'),
    });
  });

  it('wrong kind', () => {
    const text = edit(sydnarke, 'kind: region', 'kind: landsting');
    expect(only(rejects(text))).toMatchObject({
      file: 'sydnarke.yaml',
      path: '/members/4/kind',
      message: 'must be one of: municipality, region, forsakringskassan, arbetsformedlingen (got "landsting")',
      line: lineOf(text, 'kind: landsting'),
    });
  });

  it('duplicate id', () => {
    const text = edit(sydnarke, '- id: mottagningsteamet', '- id: pa-vag');
    expect(only(rejects(text))).toMatchObject({
      file: 'sydnarke.yaml',
      path: '/projects/1/id',
      message: 'duplicate project id "pa-vag" (already used at /projects/0)',
    });
  });

  it('duplicate meeting id across meetings and planning days', () => {
    const text = edit(sydnarke, '{ id: planeringsdag-mars,', '{ id: styrelse-04,');
    const e = rejects(text);
    expect(e.errors.map((x) => [x.path, x.message])).toContainEqual([
      '/cycle/planningDays/0/id',
      'duplicate meeting id "styrelse-04" (already used at /cycle/meetings/2)',
    ]);
  });

  it('YAML syntax error, with a line-based path', () => {
    const text = edit(sydnarke, 'name: Samordningsförbundet Sydnärke', 'name: "Samordningsförbundet Sydnärke');
    const line = lineOf(text, 'name: "Samordningsförbundet');
    const issue = rejects(text).errors[0];
    expect(issue.file).toBe('sydnarke.yaml');
    expect(issue.path).toMatch(new RegExp(`^${line}:\\d+$`));
    expect(issue.line).toBe(line);
    expect(issue.message).toMatch(/^YAML syntax error: .*quote/i);
  });

  it('duplicate YAML key is a syntax error', () => {
    const text = edit(sydnarke, '    kind: region\n', '    kind: region\n    kind: region\n');
    const issue = only(rejects(text));
    expect(issue.path).toMatch(new RegExp(`^${lineOf(text, '    kind: region\n    kind') + 1}:\\d+$`));
    expect(issue.message).toBe('YAML syntax error: Map keys must be unique');
  });

  it('preparatory meeting for an unknown board meeting', () => {
    const text = edit(sydnarke, 'date: 2016-04-08, for: styrelse-04 }', 'date: 2016-04-08, for: styrelse-05 }');
    expect(only(rejects(text))).toMatchObject({
      path: '/cycle/meetings/10/for',
      message:
        'unknown meeting "styrelse-05"; known board meetings: styrelse-01, styrelse-02, styrelse-04, styrelse-06, styrelse-08, styrelse-10, styrelse-12',
    });
  });

  it('preparatory meeting after the board meeting it prepares', () => {
    const text = edit(sydnarke, 'date: 2016-04-08, for: styrelse-04 }', 'date: 2016-04-28, for: styrelse-04 }');
    expect(only(rejects(text)).message).toBe('this meeting (2016-04-28) must be before the board meeting "styrelse-04" it prepares (2016-04-25)');
  });

  it('body membership referring to an unknown person and member', () => {
    const text = edit(sydnarke, '- { person: official, role: member }', '- { person: kalle, role: member, member: orebro-kommun }');
    const e = rejects(text);
    expect(e.errors.map((x) => x.path)).toEqual(['/bodies/beredningsgrupp/members/0/person', '/bodies/beredningsgrupp/members/0/member']);
    expect(e.errors[1].message).toMatch(/^unknown member "orebro-kommun"; known: askersunds-kommun, /);
  });

  it('milestone with an unknown meeting and owner', () => {
    const text = edit(sydnarke, 'delar: { due: 2016-09-30, owner: economist,', 'delar: { meeting: styrelse-09, owner: ekonomen,');
    const e = rejects(text);
    expect(e.errors.map((x) => x.path)).toEqual(['/cycle/milestones/delar/meeting', '/cycle/milestones/delar/owner']);
    expect(e.errors[0].message).toMatch(/^unknown meeting "styrelse-09"; known: styrelse-01, /);
    expect(e.errors[1].message).toMatch(/^unknown owner "ekonomen"; give a role \(official, secretary, economist, chair\) or a person id \(official, /);
  });

  it('a grant for a year after the project ends, naming file, path and problem', () => {
    // Försteget ends 2016-12-30.
    const text = edit(sydnarke, 'grants: { 2016: 574000 }', 'grants: { 2016: 574000, 2017: 100000 }');
    const e = rejects(text);
    expect(only(e)).toMatchObject({
      file: 'sydnarke.yaml',
      path: '/projects/4/grants/2017',
      message: "grant for 2017 is after the project's end: the project ends 2016-12-30; move the end or remove the grant",
      line: lineOf(text, 'grants: { 2016: 574000, 2017'),
    });
    expect(e.message).toBe("sydnarke.yaml:/projects/4/grants/2017: grant for 2017 is after the project's end: the project ends 2016-12-30; move the end or remove the grant");
    // A project without an end ends with the plan year.
    const noEnd = rejects(edit(sydnarke, 'grants: { 2016: 1210000 }', 'grants: { 2016: 1210000, 2018: 1 }'));
    expect(only(noEnd)).toMatchObject({ path: '/projects/0/grants/2018' });
    expect(only(noEnd).message).toMatch(/the project ends 2016-12-31 \(default: end of 2016; the project gives no end\)/);
    // The same through the JSON entry point.
    const data = parseYaml(text);
    expect(() => checkForbundData(data, 'body.json')).toThrow(/^body\.json:\/projects\/4\/grants\/2017: grant for 2017 is after the project's end/);
  });

  it('a grant for a year before the project starts is allowed (financed from an earlier budget)', () => {
    const f = parseForbundFile(sydnarke, 'sydnarke.yaml');
    expect(f.projects.find((p) => p.id === 'drop-outs')).toMatchObject({ start: '2016-01-01', grants: { 2015: 700000 } });
  });

  it('project end before start', () => {
    const text = edit(sydnarke, 'end: 2016-12-30\n    grants: { 2016: 1000000 }', 'end: 2015-12-30\n    grants: { 2016: 1000000 }');
    expect(only(rejects(text))).toMatchObject({ path: '/projects/7/end', message: 'end 2015-12-30 is before start 2016-01-01' });
  });

  it('member shares that do not sum to 100', () => {
    let text = sydnarke;
    for (const id of ['askersunds-kommun', 'hallsbergs-kommun', 'kumla-kommun', 'laxa-kommun']) {
      text = edit(text, `  - id: ${id}\n`, `  - id: ${id}\n    share: 6\n`);
    }
    text = edit(text, '    kind: forsakringskassan\n', '    kind: forsakringskassan\n    share: 25\n');
    text = edit(text, '    kind: arbetsformedlingen\n', '    kind: arbetsformedlingen\n    share: 25\n');
    expect(only(rejects(text))).toMatchObject({ path: '/members', message: 'member shares sum to 99, not 100' });
    expect(() => parseForbundFile(text.replaceAll('share: 6', 'share: 6.25'), 'sydnarke.yaml')).not.toThrow();
  });

  it('unknown property, with the allowed ones', () => {
    const text = edit(sydnarke, '  year: 2016\n', '  year: 2016\n  yaer: 2016\n');
    expect(only(rejects(text))).toMatchObject({
      path: '/forbund/yaer',
      message: 'unknown property "yaer"; allowed: id, name, organisationNumber, email, year, goLive, plan',
    });
  });

  it('reports every problem at once, one per line of the message', () => {
    let text = edit(sydnarke, 'kind: region', 'kind: landsting');
    text = edit(text, '  name: Samordningsförbundet Sydnärke\n', '');
    text = edit(text, 'start: "09:00"', 'start: "9.00"');
    const e = rejects(text);
    expect(e.message.split('\n')).toEqual([
      'sydnarke.yaml:/forbund/name: missing required property "name"',
      'sydnarke.yaml:/members/4/kind: must be one of: municipality, region, forsakringskassan, arbetsformedlingen (got "landsting")',
      'sydnarke.yaml:/cycle/defaults/start: must be a time HH:MM (24-hour) (got "9.00")',
    ]);
  });

  it('an empty file', () => {
    expect(only(rejects('', 'empty.yaml'))).toMatchObject({ file: 'empty.yaml', path: '/', message: 'must be a mapping (got null)' });
  });
});

describe('sofint.yaml: Samverkan Ljusnarsberg', () => {
  const sofint = read('sofint.yaml');
  it('as the 2014 overview has it (30 000 kr in 2014 for a project of 2013) is rejected', () => {
    const text = edit(sofint, 'grants: { 2013: 415000 }', 'grants: { 2013: 415000, 2014: 30000 }');
    expect(only(rejects(text, 'sofint.yaml'))).toMatchObject({ file: 'sofint.yaml', path: '/projects/1/grants/2014', message: expect.stringMatching(/^grant for 2014 is after the project's end: the project ends 2013-12-31;/) });
  });
  it('the example keeps the 2014 amount as a note only', () => {
    const p = parseForbundFile(sofint, 'sofint.yaml').projects.find((x) => x.id === 'samverkan-ljusnarsberg')!;
    expect(p.grants).toEqual({ 2013: 415000 });
    expect(p.note).toMatch(/30 000 kr/);
  });
});

describe('milestones are opt-in', () => {
  it('a file that names no milestone has none; HjoTiBorg and Nedansiljan name none', () => {
    for (const name of ['hjotiborg.yaml', 'nedansiljan.yaml']) expect(parseForbundFile(read(name), name).cycle.milestones).toEqual({});
  });

  it('true asks for a known milestone at the default placement; false is kept as off', () => {
    const text = edit(sydnarke, '    nextCalendar: { meeting: styrelse-12, owner: secretary }', '    nextCalendar: true\n    somethingElse: false');
    const f = parseForbundFile(text, 'sydnarke.yaml');
    expect(f.cycle.milestones.nextCalendar).toBe(true);
    expect(f.cycle.milestones.somethingElse).toBe(false);
  });

  it('true for a milestone of the förbund\'s own is rejected: it has no default', () => {
    const text = edit(sydnarke, '    nextCalendar: { meeting: styrelse-12, owner: secretary }', '    ownStep: true');
    const issue = only(rejects(text));
    expect(issue).toMatchObject({ path: '/cycle/milestones/ownStep', line: lineOf(text, 'ownStep: true') });
    expect(issue.message).toMatch(/only for the known milestones \(bokslut, .*\); "ownStep" needs \{ meeting or due, owner, title \}/);
  });
});

describe('kallelseReminderDays', () => {
  it('defaults to 3 working days and can be set', () => {
    expect(parseForbundFile(sydnarke, 'sydnarke.yaml').cycle.kallelseReminderDays).toBe(3);
    const text = edit(sydnarke, '  kallelseDays: 7', '  kallelseReminderDays: 5\n  kallelseDays: 7');
    expect(parseForbundFile(text, 'sydnarke.yaml').cycle.kallelseReminderDays).toBe(5);
  });
  it('must be a whole number 0–20', () => {
    const text = edit(sydnarke, '  kallelseDays: 7', '  kallelseReminderDays: -1\n  kallelseDays: 7');
    expect(only(rejects(text))).toMatchObject({ path: '/cycle/kallelseReminderDays', message: 'must be at least 0 (got number -1)' });
  });
});

describe('justeringDays', () => {
  it('defaults to 14 days and can be set', () => {
    expect(parseForbundFile(sydnarke, 'sydnarke.yaml').cycle.justeringDays).toBe(14);
    expect(parseForbundFile(edit(sydnarke, '  kallelseDays: 7', '  justeringDays: 10\n  kallelseDays: 7'), 'sydnarke.yaml').cycle.justeringDays).toBe(10);
  });
  it('must be a whole number 1–60', () => {
    expect(only(rejects(edit(sydnarke, '  kallelseDays: 7', '  justeringDays: 0\n  kallelseDays: 7')))).toMatchObject({ path: '/cycle/justeringDays', message: 'must be at least 1 (got number 0)' });
  });
});

describe('broken variants of hjotiborg.yaml', () => {
  const hjo = read('hjotiborg.yaml');
  it('a rule without a fifth Wednesday', () => {
    const text = edit(hjo, '{ nth: 4, weekday: wednesday, month: 8, nonHoliday: true }', '{ nth: 5, weekday: wednesday, month: 2 }');
    const issue = only(rejects(text, 'hjotiborg.yaml'));
    expect(issue.path).toBe('/cycle/planningDays/0/rule');
    expect(issue.message).toMatch(/^rule cannot be resolved for 2010: /);
  });

  it('both date and rule', () => {
    const text = edit(hjo, '      rule: {', '      date: 2010-08-25\n      rule: {');
    expect(only(rejects(text, 'hjotiborg.yaml'))).toMatchObject({ path: '/cycle/planningDays/0/rule', message: 'give either date or rule, not both' });
  });
});

describe('the board roster: ledamöter and ersättare, calling-in order, mandatperiod', () => {
  const nedansiljan = read('nedansiljan.yaml');

  /** Per member organisation: its ledamot and its ersättare. */
  const seats = (f: ForbundFile) =>
    Object.fromEntries(
      f.members.map((m) => {
        const of = f.bodies.styrelse.members.filter((x) => x.member === m.id);
        return [m.id, { ledamot: of.filter((x) => x.role !== 'deputy').map((x) => x.person), ersattare: of.filter((x) => x.role === 'deputy').map((x) => x.person) }];
      }),
    );

  it('nedansiljan 2010: one ledamot and one ersättare per member, chair and vice chair, ersättare ordered 1..6, mandatperiod 2007–2010', () => {
    const f = parseForbundFile(nedansiljan, 'nedansiljan.yaml');
    const board = f.bodies.styrelse.members;
    expect(board).toHaveLength(12);
    for (const s of Object.values(seats(f))) {
      expect(s.ledamot).toHaveLength(1);
      expect(s.ersattare).toHaveLength(1);
    }
    expect(board.filter((m) => m.role === 'chair').map((m) => m.person)).toEqual(['anna-ledamot']);
    expect(board.filter((m) => m.role === 'vice_chair').map((m) => m.person)).toEqual(['bertil-ledamot']);
    expect(board.find((m) => m.person === 'gun-ersattare')).toEqual({ person: 'gun-ersattare', role: 'deputy', member: 'leksands-kommun', order: 1, period: { from: '2007-01-01', to: '2010-12-31' } });
    expect(board.filter((m) => m.role === 'deputy').map((m) => m.order)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(board.filter((m) => m.role !== 'deputy').every((m) => m.order === undefined)).toBe(true);
    expect(board.every((m) => m.period?.from === '2007-01-01' && m.period.to === '2010-12-31')).toBe(true);
    expect(resolveOwner(f, 'chair').map((p) => p.email)).toEqual(['anna.ledamot@nedansiljan.example']);
    expect(f.members.find((m) => m.id === 'rattviks-kommun')?.email).toBe('registrator@rattvik.example');
  });

  it('sydnarke 2016: seven ledamöter and seven ersättare ordered 1..7, mandatperiod 2015–2018; members with registrator addresses', () => {
    const f = parseForbundFile(sydnarke, 'sydnarke.yaml');
    const board = f.bodies.styrelse.members;
    expect(board).toHaveLength(14);
    for (const s of Object.values(seats(f))) {
      expect(s.ledamot).toHaveLength(1);
      expect(s.ersattare).toHaveLength(1);
    }
    expect(board.filter((m) => m.role === 'deputy').map((m) => m.order)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(board.every((m) => m.period?.from === '2015-01-01' && m.period.to === '2018-12-31')).toBe(true);
    expect(board.find((m) => m.person === 'maria-ledamot')).toEqual({ person: 'maria-ledamot', role: 'member', member: 'askersunds-kommun', period: { from: '2015-01-01', to: '2018-12-31' } });
    expect(f.members.every((m) => m.email === `registrator@${m.id.replace(/s?-kommun$/, '').replace(/-/g, '')}.example`)).toBe(true);
  });

  it('order only for ersättare', () => {
    const text = edit(sydnarke, '{ person: maria-ledamot, member:', '{ person: maria-ledamot, order: 1, member:');
    expect(only(rejects(text))).toEqual({
      file: 'sydnarke.yaml',
      path: '/bodies/styrelse/members/0/order',
      message: 'order is only for ersättare (role deputy): it is the order in which they are called in; this one has role "member" (the default)',
      line: lineOf(text, '{ person: maria-ledamot'),
    });
    const chair = edit(nedansiljan, 'role: chair, member: leksands-kommun,', 'role: chair, order: 7, member: leksands-kommun,');
    expect(only(rejects(chair, 'nedansiljan.yaml'))).toMatchObject({ path: '/bodies/styrelse/members/0/order', message: expect.stringMatching(/this one has role "chair"$/) });
  });

  it('order unique among the body\'s ersättare', () => {
    const text = edit(sydnarke, 'member: hallsbergs-kommun, order: 2,', 'member: hallsbergs-kommun, order: 1,');
    const e = rejects(text);
    expect(only(e)).toMatchObject({
      path: '/bodies/styrelse/members/8/order',
      message: 'order 1 is already held by ersättare "axel-ersattare" (item 7); each ersättare in styrelse needs a place of its own in the calling-in order',
      line: lineOf(text, '{ person: britt-ersattare'),
    });
    expect(e.message).toMatch(/^sydnarke\.yaml:\/bodies\/styrelse\/members\/8\/order: order 1 is already held by/);
  });

  it('order is a whole number from 1', () => {
    expect(only(rejects(edit(sydnarke, 'order: 1,', 'order: 0,')))).toMatchObject({ path: '/bodies/styrelse/members/7/order', message: 'must be at least 1 (got number 0)' });
    expect(only(rejects(edit(sydnarke, 'order: 1,', 'order: 1.5,')))).toMatchObject({ path: '/bodies/styrelse/members/7/order', message: 'must be an integer (got number 1.5)' });
  });

  it('a mandatperiod ending before it starts', () => {
    const text = edit(nedansiljan, 'member: rattviks-kommun, period: { from: 2007-01-01, to: 2010-12-31 }', 'member: rattviks-kommun, period: { from: 2011-01-01, to: 2010-12-31 }');
    expect(only(rejects(text, 'nedansiljan.yaml'))).toEqual({
      file: 'nedansiljan.yaml',
      path: '/bodies/styrelse/members/3/period/to',
      message: 'the mandatperiod ends (2010-12-31) before it starts (2011-01-01)',
      line: lineOf(text, '{ person: david-ledamot'),
    });
  });

  it('a mandatperiod: real dates, only from and to, either end may be left out', () => {
    const bad = edit(sydnarke, 'member: kumla-kommun, period: { from: 2015-01-01, to: 2018-12-31 }', 'member: kumla-kommun, period: { from: 2015-01-01, to: 2018-02-30 }');
    expect(only(rejects(bad))).toMatchObject({ path: '/bodies/styrelse/members/2/period/to', message: '2018-02-30 is not a calendar date (February 2018 has 28 days)' });
    const unknown = edit(sydnarke, 'member: kumla-kommun, period: { from: 2015-01-01, to: 2018-12-31 }', 'member: kumla-kommun, period: { start: 2015-01-01 }');
    expect(only(rejects(unknown))).toMatchObject({ path: '/bodies/styrelse/members/2/period/start', message: 'unknown property "start"; allowed: from, to' });
    const open = edit(sydnarke, 'member: kumla-kommun, period: { from: 2015-01-01, to: 2018-12-31 }', 'member: kumla-kommun, period: { from: 2015-01-01 }');
    expect(parseForbundFile(open, 'sydnarke.yaml').bodies.styrelse.members[2].period).toEqual({ from: '2015-01-01' });
  });

  it('an ersättare in the styrelse names the member it represents (not required in other bodies)', () => {
    const text = edit(sydnarke, '{ person: axel-ersattare, role: deputy, member: askersunds-kommun, order: 1,', '{ person: axel-ersattare, role: deputy, order: 1,');
    const issue = only(rejects(text));
    expect(issue).toMatchObject({ path: '/bodies/styrelse/members/7/member', line: lineOf(text, '{ person: axel-ersattare') });
    expect(issue.message).toBe(
      'missing member: an ersättare in the styrelse stands in for a member organisation\'s ledamot; give the member it represents (known: askersunds-kommun, hallsbergs-kommun, kumla-kommun, laxa-kommun, region-orebro-lan, forsakringskassan, arbetsformedlingen)',
    );
    const beredning = edit(sydnarke, '- { person: official, role: member }', '- { person: official, role: member }\n      - { person: secretary, role: deputy, order: 1 }');
    expect(parseForbundFile(beredning, 'sydnarke.yaml').bodies.beredningsgrupp!.members[1]).toEqual({ person: 'secretary', role: 'deputy', order: 1 });
  });

  it('a member organisation has one ledamot at a time', () => {
    const text = edit(sydnarke, '{ person: nils-ledamot, member: hallsbergs-kommun,', '{ person: nils-ledamot, member: askersunds-kommun,');
    expect(only(rejects(text))).toEqual({
      file: 'sydnarke.yaml',
      path: '/bodies/styrelse/members/1/member',
      message:
        'member "askersunds-kommun" already has a ledamot in the styrelse for an overlapping mandatperiod: "maria-ledamot" (item 0, 2015-01-01 – 2018-12-31; this one 2015-01-01 – 2018-12-31); a member organisation has one ledamot at a time, its other representatives are ersättare (role deputy)',
      line: lineOf(text, '{ person: nils-ledamot'),
    });
    // The chair counts as a ledamot; an open end overlaps everything after (or before) it.
    const chair = edit(nedansiljan, '{ person: cecilia-ledamot, role: member, member: gagnefs-kommun, period: { from: 2007-01-01, to: 2010-12-31 } }', '{ person: cecilia-ledamot, role: member, member: leksands-kommun, period: { from: 2010-06-01 } }');
    expect(only(rejects(chair, 'nedansiljan.yaml'))).toMatchObject({ path: '/bodies/styrelse/members/2/member', message: expect.stringMatching(/^member "leksands-kommun" already has a ledamot in the styrelse for an overlapping mandatperiod: "anna-ledamot" \(item 0, 2007-01-01 – 2010-12-31; this one 2010-06-01 – \(open\)\)/) });
    // A successor in the next mandatperiod is fine, and so is the ersättare of the same member.
    const next = edit(sydnarke, '{ person: nils-ledamot, member: hallsbergs-kommun, period: { from: 2015-01-01, to: 2018-12-31 } }', '{ person: nils-ledamot, member: askersunds-kommun, period: { from: 2019-01-01, to: 2022-12-31 } }');
    expect(() => parseForbundFile(next, 'sydnarke.yaml')).not.toThrow();
  });

  it('a member\'s registrator address must be an e-mail address', () => {
    const text = edit(sydnarke, 'email: registrator@kumla.example', 'email: registrator(at)kumla.example');
    expect(only(rejects(text))).toEqual({
      file: 'sydnarke.yaml',
      path: '/members/2/email',
      message: 'must be an e-mail address (got "registrator(at)kumla.example")',
      line: lineOf(text, 'email: registrator(at)'),
    });
  });

  it('the same checks through the JSON entry point', () => {
    const data = parseYaml(edit(sydnarke, 'member: hallsbergs-kommun, order: 2,', 'member: hallsbergs-kommun, order: 1,'));
    expect(() => checkForbundData(data, 'body.json')).toThrow(/^body\.json:\/bodies\/styrelse\/members\/8\/order: order 1 is already held by ersättare "axel-ersattare"/);
  });
});

describe('the budget section', () => {
  const withoutBudget = sydnarke.slice(0, sydnarke.indexOf('\nbudget:\n') + 1);
  /** Sydnärke with this budget section instead of its own. */
  const withBudget = (yaml: string) => `${withoutBudget}budget:\n${yaml}`;
  const year2030 = [
    '  years:',
    '    2030:',
    '      income:',
    '        - { id: bidrag, name: Bidrag, group: members, amount: 1000000 }',
    '      costs:',
    '        - { id: personal, name: Personal, group: administration, amount: 300000 }',
    '        - { id: pa-vag, name: På väg, group: project, project: pa-vag, amount: 500000 }',
    '',
  ].join('\n');

  it('sydnarke and sofint carry their seeds\' budgets, sydnarke with its policy and an account mapping', () => {
    const s = parseForbundFile(sydnarke, 'sydnarke.yaml');
    expect(Object.keys(s.budget!.years)).toEqual(['2016', '2017', '2018']);
    expect(s.budget!.policy).toEqual({ maxPlannedDeficit: 0, minEquity: 0 });
    expect(s.budget!.years['2016']).toMatchObject({ equityCarriedOver: 2439354, stated: { totalIncome: 5795388, result: -1075016, projectTotal: 4556000 } });
    expect(s.budget!.years['2016'].income[0]).toEqual({ id: 'driftbidrag', name: 'Driftbidrag', group: 'members', amount: 5795388 });
    expect(s.budget!.years['2017'].costs.find((c) => c.id === 'kop-verkstallande-tjansteman')!.amount).toBe(585750);
    expect(s.budget!.accounts.find((a) => a.line === 'driftbidrag')).toEqual({ line: 'driftbidrag', accounts: ['3010-3019'] });
    const f = parseForbundFile(read('sofint.yaml'), 'sofint.yaml');
    expect(Object.keys(f.budget!.years)).toEqual(['2013', '2014', '2015']);
    expect(f.budget!.policy).toEqual({ maxPlannedDeficit: 0, minEquity: 0 });
    expect(f.budget!.accounts).toEqual([]);
    expect(f.budget!.years['2013'].stated).toEqual({ totalIncome: 2700000, totalCosts: 3600000, result: -900000, administrationTotal: 602200 });
    // Optional: the files without one have none.
    expect(parseForbundFile(read('hjotiborg.yaml'), 'hjotiborg.yaml').budget).toBeUndefined();
    expect(parseForbundFile(withBudget(year2030), 'sydnarke.yaml').budget).toEqual({
      years: { 2030: { income: [{ id: 'bidrag', name: 'Bidrag', group: 'members', amount: 1000000 }], costs: [{ id: 'personal', name: 'Personal', group: 'administration', amount: 300000 }, { id: 'pa-vag', name: 'På väg', group: 'project', project: 'pa-vag', amount: 500000 }] } },
      accounts: [],
    });
  });

  it('an unknown project or member, naming file, path and line', () => {
    const text = withBudget(year2030.replace('project: pa-vag', 'project: pa-vagen').replace('group: members,', 'group: members, member: kumla,'));
    const e = rejects(text);
    expect(e.errors).toEqual([
      {
        file: 'sydnarke.yaml',
        path: '/budget/years/2030/income/0/member',
        message: 'unknown member "kumla"; known: askersunds-kommun, hallsbergs-kommun, kumla-kommun, laxa-kommun, region-orebro-lan, forsakringskassan, arbetsformedlingen',
        line: lineOf(text, '- { id: bidrag'),
      },
      {
        file: 'sydnarke.yaml',
        path: '/budget/years/2030/costs/1/project',
        message: expect.stringMatching(/^unknown project "pa-vagen"; known: pa-vag, mottagningsteamet, /),
        line: lineOf(text, '- { id: pa-vag'),
      },
    ]);
  });

  it('a project only on a project line, a member only on a members line', () => {
    const text = withBudget(year2030.replace('group: administration,', 'group: administration, project: pa-vag,').replace('group: members,', 'group: other_income, member: kumla-kommun,'));
    expect(rejects(text).errors.map((x) => [x.path, x.message])).toEqual([
      ['/budget/years/2030/income/0/member', 'member is only for lines of group "members" (one member\'s contribution); this line has group "other_income"'],
      ['/budget/years/2030/costs/0/project', 'project is only for lines of group "project" (a project\'s grant); this line has group "administration"'],
    ]);
  });

  it('line ids unique within a year, across income and costs (the same id in another year is the same line)', () => {
    const text = withBudget(`${year2030.replace('id: personal', 'id: bidrag')}    2031:\n      income: [{ id: bidrag, name: Bidrag, group: members, amount: 1000000 }]\n      costs: []\n`);
    expect(only(rejects(text))).toMatchObject({ path: '/budget/years/2030/costs/0/id', message: 'duplicate budget line id "bidrag" in 2030 (already used at /budget/years/2030/income/0)' });
  });

  it('the schema: whole kronor not negative, known groups, 4-digit years, a policy with both limits', () => {
    const text = withBudget(
      [
        '  policy: { maxPlannedDeficit: -5 }',
        '  years:',
        '    30:',
        '      income: []',
        '      costs: []',
        '    2030:',
        '      income:',
        '        - { id: bidrag, name: Bidrag, group: members, amount: 1000.5 }',
        '      costs:',
        '        - { id: personal, name: Personal, group: members, amount: -300000 }',
        '      stated: { result: -5, totalCosts: -1 }',
        '',
      ].join('\n'),
    );
    expect(rejects(text).errors.map((x) => [x.path, x.message])).toEqual([
      ['/budget/policy/minEquity', 'missing required property "minEquity"'],
      ['/budget/policy/maxPlannedDeficit', 'must be at least 0 (got number -5)'],
      ['/budget/years/30', 'key "30" must be a 4-digit year'],
      ['/budget/years/2030/income/0/amount', 'must be an integer (got number 1000.5)'],
      ['/budget/years/2030/costs/0/group', 'must be one of: administration, project (got "members")'],
      ['/budget/years/2030/costs/0/amount', 'must be at least 0 (got number -300000)'],
      ['/budget/years/2030/stated/totalCosts', 'must be at least 0 (got number -1)'],
    ]);
  });

  it('the account mapping: known lines, each once, real accounts, no account for two lines', () => {
    const text = withBudget(
      `${year2030}  accounts:\n` +
        [
          '    - { line: bidrag, accounts: ["3010-3019"] }',
          '    - { line: personal, accounts: ["7000-7599", "3015"] }',
          '    - { line: pa-vag, accounts: ["4*", "40100-4020"] }',
          '    - { line: pa-vag, accounts: ["4000"] }',
          '    - { line: revision, accounts: ["6420"] }',
          '    - { line: bidrag, accounts: ["30x0"] }',
          '',
        ].join('\n'),
    );
    expect(rejects(text).errors.map((x) => [x.path, x.message])).toEqual([
      ['/budget/accounts/5/accounts/0', 'must be a BAS account ("3010"), a range of accounts of the same length ("4000-4099") or a prefix ("4*") (got "30x0")'],
    ]);
    const semantic = text.replace('"30x0"', '"3100"');
    expect(rejects(semantic).errors.map((x) => [x.path, x.message])).toEqual([
      ['/budget/accounts/1/accounts/1', 'accounts 3015 overlap 3010-3019 of budget line "bidrag" (both take 3015); an account counts for one line only'],
      ['/budget/accounts/2/accounts/1', 'the range 40100-4020 must have two ends of the same length (e.g. 4000-4099)'],
      ['/budget/accounts/3/line', 'budget line "pa-vag" is mapped twice (also at /budget/accounts/2); give all its accounts in one list'],
      ['/budget/accounts/4/line', 'unknown budget line "revision"; known: bidrag, pa-vag, personal'],
      ['/budget/accounts/5/line', 'budget line "bidrag" is mapped twice (also at /budget/accounts/0); give all its accounts in one list'],
    ]);
    // Ranges and prefixes that meet are caught too; ranges that only touch are not.
    const meet = withBudget(`${year2030}  accounts:\n    - { line: personal, accounts: ["7000-7599"] }\n    - { line: pa-vag, accounts: ["75*"] }\n`);
    expect(only(rejects(meet)).message).toBe('accounts 75* overlap 7000-7599 of budget line "personal" (both take 7500-7599); an account counts for one line only');
    const apart = withBudget(`${year2030}  accounts:\n    - { line: personal, accounts: ["7000-7599"] }\n    - { line: pa-vag, accounts: ["7600-7699", "4*"] }\n    - { line: bidrag, accounts: ["3*"] }\n`);
    expect(parseForbundFile(apart, 'sydnarke.yaml').budget!.accounts).toHaveLength(3);
  });

  it('the same checks through the JSON entry point', () => {
    const data = parseYaml(withBudget(year2030.replace('project: pa-vag', 'project: nowhere')));
    expect(() => checkForbundData(data, 'budget.json')).toThrow(/^budget\.json:\/budget\/years\/2030\/costs\/1\/project: unknown project "nowhere"/);
  });
});

describe('the statutory chain in the file', () => {
  it("a revisor's appointing members are known members, and only a revisor has them; the reply date for ansvarsfrihet is a day of the year", () => {
    const auditor = edit(sydnarke, '    roles: [economist]', '    roles: [economist, auditor]\n    appointedBy: [nowhere]');
    expect(only(rejects(auditor))).toMatchObject({ path: '/people/2/appointedBy/0', message: 'no member with id "nowhere"' });
    const notAuditor = rejects(edit(sydnarke, '    roles: [economist]', '    roles: [economist]\n    appointedBy: [forsakringskassan]'));
    expect(only(notAuditor).message).toMatch(/only a revisor is appointed by members/);
    const day = rejects(edit(sydnarke, '  kallelseDays: 7 ', '  dischargeReplyBy: "02-30"\n  kallelseDays: 7 '));
    expect(only(day)).toMatchObject({ path: '/cycle/dischargeReplyBy', message: '02-30 is not a day of the year (month 2 has 28 days)' });
    const ok = parseForbundFile(edit(edit(sydnarke, '    roles: [economist]', '    roles: [economist, auditor]\n    appointedBy: [forsakringskassan, arbetsformedlingen]'), '  kallelseDays: 7 ', '  dischargeReplyBy: "05-31"\n  kallelseDays: 7 '), 'sydnarke.yaml');
    expect(ok.people.find((p) => p.roles.includes('auditor'))?.appointedBy).toEqual(['forsakringskassan', 'arbetsformedlingen']);
    expect(ok.cycle.dischargeReplyBy).toBe('05-31');
  });
});
