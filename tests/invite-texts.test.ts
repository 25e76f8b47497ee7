// The invite's words after the kallelse, and for one who reported förhinder or an ersättare no
// longer called in (issue 18): an invite sent after the kallelse says the kallelse has gone (and
// when), not when it will go; the förhinder still holds in an update; pure texts (domain/texts.ts).
import { describe, expect, it } from 'vitest';
import { inviteDetails, inviteMail, type InviteFacts } from '../domain/texts.js';

const F = 'Samordningsförbundet Sydnärke';
const LINK = 'https://arscykel.example/meetings/m1/forhinder/p1?token=t0k3n';
const board = (over: Partial<InviteFacts> = {}): InviteFacts => ({
  forbundName: F,
  kind: 'styrelse',
  when: { date: '2037-02-26', start: '09:00', end: '12:00' },
  location: 'Kumla stadshus',
  change: 'new',
  preparation: { beredningsgrupp: '2037-02-05', beredning: '2037-02-12', matters: '2037-02-12', kallelse: '2037-02-19' },
  ...over,
});
const moved = (over: Partial<InviteFacts> = {}) => board({ change: 'update', when: { date: '2037-03-05', start: '13:00', end: '16:00' }, previous: { when: { date: '2037-02-26', start: '09:00', end: '12:00' }, location: 'Kumla stadshus' }, ...over });

describe('an invite and the kallelse', () => {
  it('before the kallelse: when it will be sent', () => {
    const text = inviteDetails(board());
    expect(text).toContain('Kallelse med föredragningslista skickas senast torsdagen den 19 februari 2037.');
    expect(text).toContain('Ärenden ska vara beredda senast torsdagen den 12 februari 2037.');
  });

  it('after the kallelse: that it has been sent, and when; nothing about what is still to come', () => {
    const text = inviteDetails(board({ kallelseSent: '2037-02-18' }));
    expect(text).toBe('Kallelsen med föredragningslistan har skickats 18 februari 2037.');
    const mail = inviteMail(moved({ kallelseSent: '2037-02-18', declineUrl: LINK }));
    expect(mail.text).toContain('Styrelsens sammanträde är flyttat från torsdagen den 26 februari 2037 kl. 9.00–12.00 till torsdagen den 5 mars 2037 kl. 13.00–16.00.');
    expect(mail.text).toContain('Kallelsen med föredragningslistan har skickats 18 februari 2037.');
    expect(mail.text).not.toMatch(/skickas senast|ska vara beredda|Beredningsgruppens sammanträde/);
    expect(mail.html).toContain('Kallelsen med föredragningslistan har skickats 18 februari 2037.');
    // A milestone handled at the meeting is still named.
    expect(inviteDetails(board({ kallelseSent: '2037-02-18', matters: [{ title: 'Årsredovisning 2036', dueDate: '2037-02-12' }] }))).toBe('Kallelsen med föredragningslistan har skickats 18 februari 2037.\nÄrenden enligt årscykeln:\n– Årsredovisning 2036');
  });

  it('a cancellation says nothing of the kallelse', () => {
    expect(inviteMail(board({ change: 'cancelled', kallelseSent: '2037-02-18' })).text).not.toContain('Kallelsen');
  });
});

describe('an update to one who answered', () => {
  it('förhinder reported: it still holds, with the link to come after all instead of the "can\'t come" link', () => {
    const mail = inviteMail(moved({ answer: 'declined', declineUrl: LINK }));
    expect(mail.text).toContain('Du har anmält förhinder till styrelsens sammanträde, och förhindret gäller fortfarande. Du får ändringen så att din kalender visar rätt tid.');
    expect(mail.text).toContain(`Kan du komma ändå? Meddela att du kommer: ${LINK}`);
    expect(mail.text).not.toContain('Kan du inte komma?');
    expect(mail.html).toContain('Meddela att du kommer</a>');
    // The details as for everyone.
    expect(mail.text).toContain('Kallelse med föredragningslista skickas senast');
  });

  it('an ersättare no longer called in: removed from the calendar, no details, no link', () => {
    const mail = inviteMail(moved({ answer: 'released' }));
    expect(mail.subject).toMatch(/^Flyttat: styrelsens sammanträde/);
    expect(mail.text).toContain('Du är inte inkallad som ersättare till styrelsens sammanträde, så det tas bort ur din kalender. Blir du inkallad igen får du en ny inbjudan.');
    expect(mail.text).not.toMatch(/Kallelse|förhinder|beredda/);
  });

  it('a cancellation is the same for everyone', () => {
    const plain = inviteMail(board({ change: 'cancelled' }));
    for (const answer of ['declined', 'released'] as const) expect(inviteMail(board({ change: 'cancelled', answer, declineUrl: LINK }))).toEqual(plain);
  });
});
