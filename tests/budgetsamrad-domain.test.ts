// The budget decided in time, as plain rules (domain/budgetsamrad.ts): what the official sends and
// records for the samråd with the members, the reminders of a member without a reply, and the
// October notice when no board meeting by 30 November has the budget. 2037 has 2026's calendar:
// Kristi himmelsfärd Thursday 14 May, julafton Thursday 24 December.
import { describe, expect, it } from 'vitest';
import { isLate, octoberNotice, octoberNoticeDay, samradKey, samradReminderPlan, samradState, validateReply, validateStart, type OctoberFacts } from '../domain/budgetsamrad.js';
import { stockholmDateTime } from '../domain/dates.js';

const TODAY = '2037-04-06';
const fields = (r: { ok: boolean; problems?: { field: string }[] }) => (r.ok ? [] : r.problems!.map((p) => p.field).sort());

describe('starting the samråd', () => {
  it('takes a reply date not before today and an optional message', () => {
    expect(validateStart({ replyBy: '2037-05-15' }, TODAY)).toEqual({ ok: true, value: { replyBy: '2037-05-15' } });
    expect(validateStart({ replyBy: TODAY, message: '  Förslaget bygger på\r\noförändrade bidrag.  ' }, TODAY)).toEqual({ ok: true, value: { replyBy: TODAY, message: 'Förslaget bygger på\noförändrade bidrag.' } });
    expect(validateStart({ replyBy: '2037-05-15', message: '   ' }, TODAY)).toEqual({ ok: true, value: { replyBy: '2037-05-15' } });
  });

  it('takes a cleared message (null) as no message', () => {
    expect(validateStart({ replyBy: '2037-05-15', message: null }, TODAY)).toEqual({ ok: true, value: { replyBy: '2037-05-15' } });
  });

  it('refuses a missing, malformed or past reply date, and a message too long or with a personnummer, naming the field', () => {
    expect(fields(validateStart({}, TODAY))).toEqual(['replyBy']);
    expect(fields(validateStart({ replyBy: '15 maj' }, TODAY))).toEqual(['replyBy']);
    expect(fields(validateStart({ replyBy: '2037-02-30' }, TODAY))).toEqual(['replyBy']);
    expect(fields(validateStart({ replyBy: '2037-04-05' }, TODAY))).toEqual(['replyBy']);
    expect(fields(validateStart({ replyBy: '2037-05-15', message: 'x'.repeat(5001) }, TODAY))).toEqual(['message']);
    expect(fields(validateStart({ replyBy: '2037-04-01', message: 'Gäller 19121212-1212.' }, TODAY))).toEqual(['message', 'replyBy']);
    const r = validateStart({ replyBy: '2037-04-05' }, TODAY);
    expect(r.ok || r.problems[0].sv).toBe('Svarsdagen kan inte ligga före i dag.');
  });
});

describe("recording a member's reply", () => {
  it('takes a day not in the future and a text of one to 5000 characters', () => {
    expect(validateReply({ repliedOn: TODAY, reply: ' Vi tillstyrker. ' }, TODAY)).toEqual({ ok: true, value: { repliedOn: TODAY, reply: 'Vi tillstyrker.' } });
    expect(validateReply({ repliedOn: '2037-03-01', reply: 'x'.repeat(5000) }, TODAY).ok).toBe(true);
  });

  it('refuses a future or malformed day, and an empty or too long reply', () => {
    expect(fields(validateReply({ repliedOn: '2037-04-07', reply: 'Ja.' }, TODAY))).toEqual(['repliedOn']);
    expect(fields(validateReply({ repliedOn: '6 april', reply: 'Ja.' }, TODAY))).toEqual(['repliedOn']);
    expect(fields(validateReply({ repliedOn: TODAY, reply: '  ' }, TODAY))).toEqual(['reply']);
    expect(fields(validateReply({ repliedOn: TODAY, reply: 'x'.repeat(5001) }, TODAY))).toEqual(['reply']);
    expect(fields(validateReply({}, TODAY))).toEqual(['repliedOn', 'reply']);
    expect(fields(validateReply({ repliedOn: TODAY, reply: 42 }, TODAY))).toEqual(['reply']);
  });
});

describe('where a reply stands', () => {
  it('replied, waiting until the reply date, late after it; a reply after the date is late too', () => {
    expect(samradState({ replyBy: '2037-05-15', repliedOn: null }, '2037-05-15')).toBe('waiting');
    expect(samradState({ replyBy: '2037-05-15', repliedOn: null }, '2037-05-16')).toBe('late');
    expect(samradState({ replyBy: '2037-05-15', repliedOn: '2037-05-20' }, '2037-05-21')).toBe('replied');
    expect(isLate({ replyBy: '2037-05-15', repliedOn: null }, '2037-05-15')).toBe(false);
    expect(isLate({ replyBy: '2037-05-15', repliedOn: null }, '2037-05-16')).toBe(true);
    expect(isLate({ replyBy: '2037-05-15', repliedOn: '2037-05-14' }, '2037-06-01')).toBe(false);
    expect(isLate({ replyBy: '2037-05-15', repliedOn: '2037-05-20' }, '2037-06-01')).toBe(true);
  });
});

describe('the reminders of a member without a reply', () => {
  const at8 = (d: string) => stockholmDateTime(d, '08:00').toISOString();

  it('7 days before the reply date and on the first working day after it, keyed by the consultation', () => {
    // Friday 15 May: Friday 8 May, and Monday 18 May (the weekend between).
    expect(samradReminderPlan({ id: 'c1', sentOn: '2037-04-06', replyBy: '2037-05-15', replied: false })).toEqual([
      { key: 'samrad:c1:reminder', kind: 'reminder', date: '2037-05-08', at: at8('2037-05-08') },
      { key: 'samrad:c1:late', kind: 'late', date: '2037-05-18', at: at8('2037-05-18') },
    ]);
    expect(samradKey('c1', 'sent')).toBe('samrad:c1:sent');
  });

  it('moves off holidays: the week before Thursday 21 May is Kristi himmelsfärd; after 23 December comes Monday 28', () => {
    expect(samradReminderPlan({ id: 'c', sentOn: '2037-04-06', replyBy: '2037-05-21', replied: false }).map((s) => s.date)).toEqual(['2037-05-15', '2037-05-22']);
    expect(samradReminderPlan({ id: 'c', sentOn: '2037-11-02', replyBy: '2037-12-23', replied: false }).map((s) => s.date)).toEqual(['2037-12-16', '2037-12-28']);
    expect(samradReminderPlan({ id: 'c', sentOn: '2037-04-06', replyBy: '2037-05-13', replied: false }).map((s) => s.date)).toEqual(['2037-05-06', '2037-05-15']);
  });

  it('no reminder before the reply date when that would be on or before the day it was sent', () => {
    expect(samradReminderPlan({ id: 'c', sentOn: '2037-05-08', replyBy: '2037-05-15', replied: false }).map((s) => s.kind)).toEqual(['late']);
    expect(samradReminderPlan({ id: 'c', sentOn: '2037-05-12', replyBy: '2037-05-15', replied: false }).map((s) => s.kind)).toEqual(['late']);
  });

  it('none once the member has replied', () => {
    expect(samradReminderPlan({ id: 'c', sentOn: '2037-04-06', replyBy: '2037-05-15', replied: true })).toEqual([]);
  });

  it('nothing due before go-live: no reminder dated before it, none at all when the reply date is', () => {
    expect(samradReminderPlan({ id: 'c', sentOn: '2037-04-06', replyBy: '2037-05-15', replied: false }, '2037-05-11').map((s) => s.kind)).toEqual(['late']);
    expect(samradReminderPlan({ id: 'c', sentOn: '2037-04-06', replyBy: '2037-05-15', replied: false }, '2037-05-16')).toEqual([]);
    expect(samradReminderPlan({ id: 'c', sentOn: '2037-04-06', replyBy: '2037-05-15', replied: false }, '2037-05-08').map((s) => s.kind)).toEqual(['reminder', 'late']);
  });
});

describe('the October notice', () => {
  const board = (id: string, date: string, mattersBy: string) => ({ id, date, mattersBy });
  const base: OctoberFacts = {
    year: 2037,
    vpBudget: { meetingId: null, done: false },
    budgetAdopted: false,
    boardMeetings: [board('feb', '2037-02-26', '2037-02-12'), board('aug', '2037-08-27', '2037-08-13'), board('dec', '2037-12-10', '2037-11-26')],
  };

  it('is sent on the first working day of October (Saturday 1 October 2039: Monday 3)', () => {
    expect(octoberNoticeDay(2037)).toBe('2037-10-01');
    expect(octoberNoticeDay(2039)).toBe('2039-10-03');
  });

  it('no board meeting in October or November: an extra meeting must be called before 30 November', () => {
    expect(octoberNotice(base)).toEqual({ day: '2037-10-01', kind: 'extra', by: '2037-11-30' });
  });

  it('a board meeting by 30 November without the milestone: the budget must be on its agenda by the day the agenda closes', () => {
    const f = { ...base, boardMeetings: [...base.boardMeetings, board('okt', '2037-10-22', '2037-10-08'), board('nov', '2037-11-19', '2037-11-05')] };
    expect(octoberNotice(f)).toEqual({ day: '2037-10-01', kind: 'agenda', meetingId: 'nov', meetingDate: '2037-11-19', mattersBy: '2037-11-05' });
    // The milestone on a board meeting after 30 November does not count.
    expect(octoberNotice({ ...f, vpBudget: { meetingId: 'dec', done: false } })).toMatchObject({ kind: 'agenda', meetingId: 'nov' });
  });

  it('a meeting whose agenda closes before the notice goes is no help: an extra meeting then', () => {
    const f = { ...base, boardMeetings: [board('sep', '2037-10-08', '2037-09-24')] };
    expect(octoberNotice(f)).toEqual({ day: '2037-10-01', kind: 'extra', by: '2037-11-30' });
  });

  it('none when a planned board meeting by 30 November has the vpBudget milestone', () => {
    const f = { ...base, vpBudget: { meetingId: 'nov', done: false }, boardMeetings: [...base.boardMeetings, board('nov', '2037-11-19', '2037-11-05')] };
    expect(octoberNotice(f)).toBeUndefined();
    // …but when that meeting is not among the planned ones (cancelled), the notice goes.
    expect(octoberNotice({ ...f, boardMeetings: base.boardMeetings })).toMatchObject({ kind: 'extra' });
  });

  it('none without the vpBudget milestone, with it done, with the budget adopted, or before go-live', () => {
    const { vpBudget: _, ...without } = base;
    expect(octoberNotice(without)).toBeUndefined();
    expect(octoberNotice({ ...base, vpBudget: { meetingId: null, done: true } })).toBeUndefined();
    expect(octoberNotice({ ...base, budgetAdopted: true })).toBeUndefined();
    expect(octoberNotice({ ...base, goLive: '2037-10-02' })).toBeUndefined();
    expect(octoberNotice({ ...base, goLive: '2037-10-01' })).toMatchObject({ kind: 'extra' });
  });
});

describe('what the official reads when the samråd or a reply is refused', () => {
  const problems = (r: { ok: boolean; problems?: unknown[] }) => (r.ok ? [] : r.problems);

  it('names each fault of the reply date and the message in Swedish', () => {
    expect(problems(validateStart({}, TODAY))).toEqual([
      { field: 'replyBy', problem: 'is required: the day the members reply by, YYYY-MM-DD', sv: 'Ange sista dag för medlemmarnas svar, till exempel 2027-05-15.' },
    ]);
    expect(problems(validateStart({ replyBy: '   ' }, TODAY))).toEqual([
      { field: 'replyBy', problem: 'is required: the day the members reply by, YYYY-MM-DD', sv: 'Ange sista dag för medlemmarnas svar, till exempel 2027-05-15.' },
    ]);
    expect(problems(validateStart({ replyBy: '15 maj' }, TODAY))).toEqual([
      { field: 'replyBy', problem: 'must be a date YYYY-MM-DD', sv: 'Ange svarsdagen som ett datum, till exempel 2027-05-15.' },
    ]);
    expect(problems(validateStart({ replyBy: '2037-04-05' }, TODAY))).toEqual([
      { field: 'replyBy', problem: 'must not be before today (2037-04-06)', sv: 'Svarsdagen kan inte ligga före i dag.' },
    ]);
    expect(problems(validateStart({ replyBy: '2037-05-15', message: 42 }, TODAY))).toEqual([{ field: 'message', problem: 'must be a text', sv: 'Skriv meddelandet som text.' }]);
    expect(problems(validateStart({ replyBy: '2037-05-15', message: 'x'.repeat(5001) }, TODAY))).toEqual([
      { field: 'message', problem: 'must be at most 5000 characters', sv: 'Skriv meddelandet med högst 5 000 tecken.' },
    ]);
  });

  it('takes a reply date and a reply day written with spaces around them, and a lone carriage return as a new line', () => {
    expect(validateStart({ replyBy: ' 2037-05-15 ', message: 'Rad ett\rRad två' }, TODAY)).toEqual({ ok: true, value: { replyBy: '2037-05-15', message: 'Rad ett\nRad två' } });
    expect(validateStart({ replyBy: ` ${TODAY} ` }, TODAY)).toEqual({ ok: true, value: { replyBy: TODAY } });
    expect(validateReply({ repliedOn: ` ${TODAY} `, reply: 'Ja.' }, TODAY)).toEqual({ ok: true, value: { repliedOn: TODAY, reply: 'Ja.' } });
    expect(validateReply({ repliedOn: ' 2037-04-01 ', reply: 'Ja.' }, TODAY)).toEqual({ ok: true, value: { repliedOn: '2037-04-01', reply: 'Ja.' } });
  });

  it("names each fault of the member's reply in Swedish", () => {
    expect(problems(validateReply({ repliedOn: '  ', reply: '  ' }, TODAY))).toEqual([
      { field: 'repliedOn', problem: 'is required: the day the member replied, YYYY-MM-DD', sv: 'Ange dagen då medlemmen svarade, till exempel 2027-05-10.' },
      { field: 'reply', problem: 'is required', sv: 'Skriv vad medlemmen svarade.' },
    ]);
    expect(problems(validateReply({ repliedOn: '6 april', reply: 'Ja.' }, TODAY))).toEqual([
      { field: 'repliedOn', problem: 'must be a date YYYY-MM-DD', sv: 'Ange svarsdagen som ett datum, till exempel 2027-05-10.' },
    ]);
    expect(problems(validateReply({ repliedOn: '2037-04-07', reply: 'Ja.' }, TODAY))).toEqual([
      { field: 'repliedOn', problem: 'must not be in the future (today is 2037-04-06)', sv: 'Dagen för svaret kan inte ligga i framtiden.' },
    ]);
    expect(problems(validateReply({ repliedOn: TODAY, reply: 'x'.repeat(5001) }, TODAY))).toEqual([
      { field: 'reply', problem: 'must be at most 5000 characters', sv: 'Skriv svaret med högst 5 000 tecken.' },
    ]);
  });

  it('asks for the reply when it is cleared (null), as when it is missing', () => {
    expect(problems(validateReply({ repliedOn: TODAY, reply: null }, TODAY))).toEqual([{ field: 'reply', problem: 'is required', sv: 'Skriv vad medlemmen svarade.' }]);
  });

  it('refuses a reply day in the future even when written with a space before it', () => {
    expect(problems(validateReply({ repliedOn: ' 2037-04-07', reply: 'Ja.' }, TODAY))).toEqual([
      { field: 'repliedOn', problem: 'must not be in the future (today is 2037-04-06)', sv: 'Dagen för svaret kan inte ligga i framtiden.' },
    ]);
  });
});

describe('the October notice, at the edges', () => {
  const board = (id: string, date: string, mattersBy: string) => ({ id, date, mattersBy });
  const base: OctoberFacts = { year: 2037, vpBudget: { meetingId: null, done: false }, budgetAdopted: false, boardMeetings: [] };

  it('a board meeting on 30 November itself is in time', () => {
    expect(octoberNotice({ ...base, boardMeetings: [board('nov', '2037-11-30', '2037-11-16')] })).toEqual({ day: '2037-10-01', kind: 'agenda', meetingId: 'nov', meetingDate: '2037-11-30', mattersBy: '2037-11-16' });
  });

  it('an agenda closing on the notice day itself still counts', () => {
    expect(octoberNotice({ ...base, boardMeetings: [board('okt', '2037-10-15', '2037-10-01')] })).toMatchObject({ kind: 'agenda', meetingId: 'okt', mattersBy: '2037-10-01' });
  });

  it('names the last meeting by date, whatever order the meetings come in', () => {
    const f = { ...base, boardMeetings: [board('nov', '2037-11-19', '2037-11-05'), board('okt', '2037-10-22', '2037-10-08')] };
    expect(octoberNotice(f)).toMatchObject({ kind: 'agenda', meetingId: 'nov', meetingDate: '2037-11-19' });
  });
});
