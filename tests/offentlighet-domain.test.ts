// What of the board's work is public (domain/offentlighet.ts), as the rules alone; the queries
// that read them from a database (services/offentligt.ts) are tested in tests/offentlighet.test.ts.
// A board meeting's day and title always; its agenda only once the kallelse is sent; decisions and
// § only once justerat; the protokoll once the anslag is posted; handlingar only not secret, of a
// matter on a sent agenda, in the version the kallelse carried; people only the board's seats.
import { describe, expect, it } from 'vitest';
import { agendaIsPublic, BOARD_ROLE_SV, boardRoleSv, decisionsArePublic, latestKallelse, meetingModified, protokollIsPublic, publicDecisionOf, publicSeats, publicVersions, publishedAt, seatHolds } from '../domain/offentlighet.js';

const t = (iso: string) => new Date(iso);

describe('the rules', () => {
  it('the agenda once the kallelse is sent, not before', () => {
    expect(agendaIsPublic({ kallelseSentAt: null })).toBe(false);
    expect(agendaIsPublic({ kallelseSentAt: t('2037-02-12T08:00:00Z') })).toBe(true);
  });

  it('decisions and § once justerat, never from an unjusterat protokoll', () => {
    const item = { paragraph: 7, decision: 'Styrelsen beviljar medel.' };
    expect(decisionsArePublic({ justeradAt: null })).toBe(false);
    expect(publicDecisionOf({ justeradAt: null }, item)).toEqual({ paragraph: null, decision: null });
    expect(decisionsArePublic({ justeradAt: t('2037-03-04T09:00:00Z') })).toBe(true);
    expect(publicDecisionOf({ justeradAt: t('2037-03-04T09:00:00Z') }, item)).toEqual(item);
    expect(publicDecisionOf({ justeradAt: t('2037-03-04T09:00:00Z') }, { paragraph: 8, decision: '  ' })).toEqual({ paragraph: 8, decision: null });
  });

  it('the protokoll once justerat and the anslag posted (by the time asked), not before', () => {
    const at = t('2037-03-10T09:00:00Z');
    expect(protokollIsPublic({ justeradAt: null, anslagPostedAt: null }, at)).toBe(false);
    expect(protokollIsPublic({ justeradAt: t('2037-03-04T09:00:00Z'), anslagPostedAt: null }, at)).toBe(false);
    expect(protokollIsPublic({ justeradAt: t('2037-03-04T09:00:00Z'), anslagPostedAt: t('2037-03-11T09:00:00Z') }, at)).toBe(false);
    expect(protokollIsPublic({ justeradAt: t('2037-03-04T09:00:00Z'), anslagPostedAt: t('2037-03-04T09:00:00Z') }, at)).toBe(true);
  });

  it('a handling: the latest version at or before the kallelse; none before it; none of a handling secret in any version', () => {
    const sent = t('2037-02-12T08:00:00Z');
    const v = (key: string, version: number, uploadedAt: string, secret = false) => ({ key, version, uploadedAt: t(uploadedAt), secret });
    const rows = [
      v('a', 1, '2037-02-01T08:00:00Z'),
      v('a', 2, '2037-02-12T08:00:00Z'), // at the kallelse: sent
      v('a', 3, '2037-02-13T08:00:00Z'), // after: not sent
      v('b', 1, '2037-02-13T08:00:00Z'), // only after: none
      v('c', 1, '2037-02-01T08:00:00Z'),
      v('c', 2, '2037-02-14T08:00:00Z', true), // secret later: none of c
      v('d', 1, '2037-02-02T08:00:00Z', true),
      v('d', 2, '2037-02-03T08:00:00Z'), // an open version of a secret handling: none of d
      v('e', 1, '2037-01-30T08:00:00Z'),
    ];
    expect(publicVersions(rows, null)).toEqual([]);
    expect(publicVersions(rows, sent).map((x) => `${x.key}${x.version}`)).toEqual(['e1', 'a2']);
    expect(publicVersions(rows, t('2037-03-01T08:00:00Z')).map((x) => `${x.key}${x.version}`)).toEqual(['e1', 'a3', 'b1']);
    expect(latestKallelse([{ kallelseSentAt: null }, { kallelseSentAt: sent }, { kallelseSentAt: t('2037-01-10T08:00:00Z') }])).toEqual(sent);
    expect(latestKallelse([{ kallelseSentAt: null }])).toBeNull();
    // Public from the first kallelse sent at or after its upload.
    expect(publishedAt({ uploadedAt: t('2037-02-01T08:00:00Z') }, [null, t('2037-03-12T08:00:00Z'), sent, t('2037-01-12T08:00:00Z')])).toEqual(sent);
    expect(publishedAt({ uploadedAt: t('2037-04-01T08:00:00Z') }, [sent])).toBeNull();
  });

  it('people: only seats on the board whose mandatperiod holds, in the board order, with the Swedish title', () => {
    const s = (name: string, role: string, from: string | null = null, to: string | null = null) => ({ name, role, from, to });
    const seats = publicSeats([s('Ersa', 'deputy'), s('Led', 'member'), s('Ord', 'chair'), s('Vice', 'vice_chair'), s('Gammal', 'member', '2030-01-01', '2034-12-31'), s('Sekr', 'secretary'), s('Ny', 'member', '2038-01-01')], '2037-03-10');
    expect(seats.map((x) => [x.name, x.roleSv])).toEqual([['Ord', 'Ordförande'], ['Vice', 'Vice ordförande'], ['Led', 'Ledamot'], ['Ersa', 'Ersättare']]);
    expect(boardRoleSv('secretary')).toBeUndefined();
    expect(boardRoleSv('toString')).toBeUndefined();
  });

  it('a meeting is modified at its latest change the public sees, the anslag only once posted', () => {
    const m = { updatedAt: t('2037-03-04T09:00:00Z'), kallelseSentAt: t('2037-02-12T08:00:00Z'), justeradAt: t('2037-03-04T09:00:00Z'), anslagPostedAt: t('2037-03-05T09:00:00Z') };
    expect(meetingModified(m, t('2037-03-10T00:00:00Z'))).toEqual(t('2037-03-05T09:00:00Z'));
    expect(meetingModified(m, t('2037-03-04T12:00:00Z'))).toEqual(t('2037-03-04T09:00:00Z'));
  });
});

describe('the rules at their edges', () => {
  it('the protokoll: not before it is justerat, even with an anslag posted; public from the very moment the anslag is posted', () => {
    const posted = t('2037-03-05T09:00:00Z');
    expect(protokollIsPublic({ justeradAt: null, anslagPostedAt: posted }, t('2037-03-10T09:00:00Z'))).toBe(false);
    expect(protokollIsPublic({ justeradAt: t('2037-03-04T09:00:00Z'), anslagPostedAt: posted }, posted)).toBe(true);
    expect(protokollIsPublic({ justeradAt: t('2037-03-04T09:00:00Z'), anslagPostedAt: posted }, t('2037-03-05T08:59:59.999Z'))).toBe(false);
  });

  it('a justerat decision with no § yet: the decision without a §', () => {
    expect(publicDecisionOf({ justeradAt: t('2037-03-04T09:00:00Z') }, { paragraph: null, decision: 'Styrelsen noterar informationen.' })).toEqual({ paragraph: null, decision: 'Styrelsen noterar informationen.' });
  });

  it('a handling: the latest version sent, whatever order the versions are read in', () => {
    const sent = t('2037-02-12T08:00:00Z');
    const v = (version: number, uploadedAt: string) => ({ key: 'a', version, uploadedAt: t(uploadedAt), secret: false });
    expect(publicVersions([v(2, '2037-02-05T08:00:00Z'), v(3, '2037-02-20T08:00:00Z'), v(1, '2037-02-01T08:00:00Z')], sent).map((x) => x.version)).toEqual([2]);
    expect(publicVersions([v(1, '2037-02-01T08:00:00Z'), v(2, '2037-02-05T08:00:00Z')], sent).map((x) => x.version)).toEqual([2]);
  });

  it('handlingar are listed in the order they were first uploaded, by key when uploaded at the same time', () => {
    const v = (key: string, version: number, uploadedAt: string) => ({ key, version, uploadedAt: t(uploadedAt), secret: false });
    const rows = [
      v('protokollsutdrag', 1, '2037-01-15T08:00:00Z'),
      v('ansokan', 1, '2037-01-01T08:00:00Z'),
      v('ansokan', 2, '2037-02-10T08:00:00Z'), // its latest version is newer than the others: still listed by its first
      v('budget', 1, '2037-01-20T08:00:00Z'),
      v('bilaga', 1, '2037-01-20T08:00:00Z'),
    ];
    expect(publicVersions(rows, t('2037-02-12T08:00:00Z')).map((x) => `${x.key}${x.version}`)).toEqual(['ansokan2', 'protokollsutdrag1', 'bilaga1', 'budget1']);
  });

  it('the latest kallelse of a matter, whatever order its meetings are read in', () => {
    const jan = t('2037-01-12T08:00:00Z');
    const feb = t('2037-02-12T08:00:00Z');
    expect(latestKallelse([{ kallelseSentAt: jan }, { kallelseSentAt: null }, { kallelseSentAt: feb }])).toEqual(feb);
    expect(latestKallelse([{ kallelseSentAt: feb }, { kallelseSentAt: jan }])).toEqual(feb);
    expect(latestKallelse([])).toBeNull();
  });

  it('a version is published by the first kallelse at or after its upload, whatever order the kallelser are read in', () => {
    const uploadedAt = t('2037-02-01T08:00:00Z');
    const feb = t('2037-02-12T08:00:00Z');
    const mar = t('2037-03-12T08:00:00Z');
    expect(publishedAt({ uploadedAt }, [feb, mar, null])).toEqual(feb);
    expect(publishedAt({ uploadedAt }, [mar, feb])).toEqual(feb);
    // A kallelse sent the very moment the version was uploaded carried it.
    expect(publishedAt({ uploadedAt }, [mar, uploadedAt])).toEqual(uploadedAt);
    expect(publishedAt({ uploadedAt }, [])).toBeNull();
  });

  it('the Swedish titles of the seats on the board', () => {
    expect(BOARD_ROLE_SV).toEqual({ chair: 'Ordförande', vice_chair: 'Vice ordförande', member: 'Ledamot', deputy: 'Ersättare' });
    expect(boardRoleSv('deputy')).toBe('Ersättare');
  });

  it('a mandatperiod holds from its first day to its last day, both included; an open end holds', () => {
    expect(seatHolds({ from: '2035-01-01', to: '2038-12-31' }, '2035-01-01')).toBe(true);
    expect(seatHolds({ from: '2035-01-01', to: '2038-12-31' }, '2038-12-31')).toBe(true);
    expect(seatHolds({ from: '2035-01-01', to: '2038-12-31' }, '2034-12-31')).toBe(false);
    expect(seatHolds({ from: '2035-01-01', to: '2038-12-31' }, '2039-01-01')).toBe(false);
    expect(seatHolds({ from: null, to: '2038-12-31' }, '2000-01-01')).toBe(true);
    expect(seatHolds({ from: '2035-01-01', to: null }, '2099-01-01')).toBe(true);
    expect(seatHolds({ from: null, to: null }, '2037-03-10')).toBe(true);
  });

  it('seats of the same role in Swedish alphabetical order (Å, Ä, Ö last)', () => {
    const s = (name: string) => ({ name, role: 'member', from: null, to: null });
    expect(publicSeats([s('Östen'), s('Zara'), s('Åke'), s('Olle'), s('Anna')], '2037-03-10').map((x) => x.name)).toEqual(['Anna', 'Olle', 'Zara', 'Åke', 'Östen']);
  });

  it('a meeting modified: the anslag counts from the very moment it is posted; a kallelse not sent does not count', () => {
    const m = { updatedAt: t('2037-03-04T09:00:00Z'), kallelseSentAt: null, justeradAt: null, anslagPostedAt: t('2037-03-05T09:00:00Z') };
    expect(meetingModified(m, t('2037-03-05T09:00:00Z'))).toEqual(t('2037-03-05T09:00:00Z'));
    expect(meetingModified(m, t('2037-03-05T08:59:59Z'))).toEqual(t('2037-03-04T09:00:00Z'));
    expect(meetingModified({ ...m, anslagPostedAt: null }, t('2037-03-10T00:00:00Z'))).toEqual(t('2037-03-04T09:00:00Z'));
  });
});
