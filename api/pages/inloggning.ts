// Signing in as a person, as HTML: the page that asks for an address, the answer (the same for
// every address), the mailed link's page with its button, a link that no longer holds, choosing
// a förbund, "no pages here yet", and the official's list of open sessions. Swedish, no scripts,
// GOV.UK patterns (one question per page, errors linked from a summary, a confirmation page).
import { errorSummary, hidden, page, type Chrome, type Flash, flash } from './admin.js';
import { e } from './layout.js';

const signOut = (text = 'Logga ut') => `<form method="post" action="/admin/logga-ut"><button type="submit" class="secondary">${e(text)}</button></form>`;

/** The sign-in page: one question, the address; with OIDC configured, the provider's button above it (a link: the provider is another site). */
export function askPage(o: { value?: string; error?: string; notice?: string; minutes: number; idleMinutes: number; hours: number; oidcLabel?: string }): string {
  const described = ['epost-hint', ...(o.error ? ['epost-fel'] : [])].join(' ');
  return page(
    'Logga in',
    `<h1>Logga in</h1>` +
      (o.notice ? `<p class="flash" role="status">${e(o.notice)}</p>` : '') +
      errorSummary(o.error ? [{ href: '#epost', text: o.error }] : undefined) +
      (o.oidcLabel ? `<p><a class="button" href="/admin/logga-in/oidc">${e(o.oidcLabel)}</a></p><h2>Eller med en länk via e-post</h2>` : '') +
      `<form method="post" action="/admin/logga-in" class="panel-box" novalidate>` +
      `<label for="epost">Din e-postadress</label>` +
      `<span class="hint" id="epost-hint">Adressen som ditt samordningsförbund har till dig. Vi skickar en länk dit som loggar in dig.</span>` +
      (o.error ? `<p class="error" id="epost-fel"><span class="vh">Fel: </span>${e(o.error)}</p>` : '') +
      `<input type="email" id="epost" name="epost" value="${e(o.value ?? '')}" autocomplete="email" spellcheck="false" required aria-describedby="${described}"${o.error ? ' aria-invalid="true"' : ''}>` +
      `<div class="row"><button type="submit">Skicka länk</button></div></form>` +
      `<p class="muted">Länken gäller i ${o.minutes} minuter, en gång, och bara i den här webbläsaren. Du förblir inloggad tills du loggar ut, högst ${o.hours} timmar, och loggas ut efter ${o.idleMinutes} minuter utan aktivitet.</p>`,
  );
}

/** The answer to every address, known or not. */
export function sentPage(o: { email: string; minutes: number }): string {
  return page(
    'Kolla din e-post',
    `<h1>Kolla din e-post</h1>` +
      `<p class="lead">Om <strong>${e(o.email)}</strong> är adressen till en person i ett samordningsförbund som använder Årscykel har vi skickat en inloggningslänk dit.</p>` +
      `<p>Öppna länken i den här webbläsaren inom ${o.minutes} minuter. Den kan användas en gång.</p>` +
      `<h2>Inget mejl?</h2>` +
      `<p>Titta i skräpposten och kontrollera att adressen är rätt stavad. Kommer det ändå inget kan adressen saknas i förbundets uppgifter: fråga förbundets tjänsteperson.</p>` +
      `<p><a href="/admin/logga-in">Skicka en ny länk</a></p>`,
  );
}

/** The mailed link's page: a button, so that a mail scanner opening the link signs nobody in. */
export function linkPage(o: { token: string }): string {
  return page(
    'Logga in',
    `<h1>Logga in</h1>` +
      `<p class="lead">Tryck på knappen för att logga in i Årscykel.</p>` +
      `<form method="post" action="/admin/logga-in/lank" class="panel-box">${hidden('token', o.token)}<div class="row"><button type="submit">Logga in</button></div></form>` +
      `<p class="muted">Bad du inte om att logga in? Stäng sidan.</p>`,
  );
}

const REFUSED: Record<string, { title: string; text: string }> = {
  unknown: { title: 'Länken fungerar inte', text: 'Länken är inte hel eller gäller inte. Kopiera hela länken från mejlet, eller be om en ny.' },
  expired: { title: 'Länken har gått ut', text: 'En inloggningslänk gäller i 15 minuter. Be om en ny länk.' },
  used: { title: 'Länken är redan använd', text: 'En inloggningslänk kan bara användas en gång. Be om en ny länk om du behöver logga in igen.' },
  'other-browser': { title: 'Öppna länken i samma webbläsare', text: 'Länken fungerar bara i webbläsaren där du bad om den. Öppna den där, eller be om en ny länk i den här webbläsaren.' },
};

/** A link that does not sign in, and why. */
export function linkRefusedPage(why: string): string {
  const r = REFUSED[why] ?? REFUSED.unknown;
  return page(r.title, `<h1>${e(r.title)}</h1><p>${e(r.text)}</p><p><a href="/admin/logga-in">Be om en ny länk</a></p>`);
}

export function tooManyPage(): string {
  return page('För många försök', `<h1>För många försök</h1><p>Det har kommit för många misslyckade försök att logga in från din adress. Vänta tio minuter och försök igen.</p>`);
}

/** A person of several förbund chooses which one's pages to open. */
export function choosePage(o: { name: string; forbunds: { slug: string; name: string; roles: string }[]; current?: string }): string {
  return page(
    'Välj förbund',
    `<h1>Välj förbund</h1>` +
      `<p class="lead">Du, ${e(o.name)}, finns i flera samordningsförbund. Välj vilket förbunds sidor du vill öppna. Du kan byta senare.</p>` +
      `<ul class="cards">` +
      o.forbunds
        .map(
          (f) =>
            `<li><form method="post" action="/admin/valj-forbund">${hidden('forbund', f.slug)}` +
            `<button type="submit"${f.slug === o.current ? ' aria-describedby="valt"' : ''}>${e(f.name)}</button></form>` +
            `<p class="muted">${e(f.roles)}${f.slug === o.current ? ' <span id="valt">(valt nu)</span>' : ''}</p></li>`,
        )
        .join('') +
      `</ul>` +
      signOut(),
  );
}

/** Signed in, but the person's roles in this förbund have no pages yet. */
export function noPagesPage(o: { name: string; forbundName: string; roles: string; several: boolean }): string {
  return page(
    'Du har inga sidor här ännu',
    `<h1>Du har inga sidor här ännu</h1>` +
      `<p class="lead">Du är inloggad som ${e(o.name)}${o.roles ? ` (${e(o.roles)})` : ''} i ${e(o.forbundName)}.</p>` +
      `<p>Sidorna här är för förbundets tjänsteperson och styrelsens sekreterare, för ledamöter och ersättare med en plats i styrelsen, för förbundets revisorer och för samordnare av förbundets insatser. Du har ingen av de rollerna i förbundet just nu; det du behöver får du med e-post, som tidigare. Borde du ha en av rollerna, fråga förbundets tjänsteperson.</p>` +
      (o.several ? `<p><a href="/admin/valj-forbund">Välj ett annat förbund</a></p>` : '') +
      signOut(),
  );
}

export interface SessionView {
  id: string;
  name: string;
  roles: string;
  mine: boolean;
  via: string;
  startedText: string;
  seenText: string;
  endsText: string;
  browser: string;
}

/** The official's list of the förbund's people's open sessions, each with a button that ends it. */
export function sessionsPage(o: { chrome: Chrome; rows: SessionView[]; flash?: Flash; several: boolean }): string {
  const list = o.rows.length
    ? `<h2>Öppna inloggningar</h2><ul class="cards">` +
      o.rows
        .map(
          (r) =>
            `<li><h3>${e(r.name)}${r.roles ? ` (${e(r.roles)})` : ''}${r.mine ? ' – du' : ''}</h3>` +
            `<dl class="facts"><dt>Inloggad</dt><dd>${e(r.startedText)}, ${e(r.via)}</dd><dt>Senast aktiv</dt><dd>${e(r.seenText)}</dd><dt>Upphör senast</dt><dd>${e(r.endsText)}</dd><dt>Webbläsare</dt><dd>${e(r.browser)}</dd></dl>` +
            (r.mine
              ? `<p class="muted">Det här är din egen inloggning. Logga ut med knappen högst upp.</p>`
              : `<form method="post" action="/admin/inloggningar/${e(r.id)}/avsluta"><button type="submit" class="secondary">Avsluta inloggningen<span class="vh"> för ${e(r.name)}</span></button></form>`) +
            `</li>`,
        )
        .join('') +
      `</ul>`
    : `<p>Ingen är inloggad just nu.</p>`;
  return page(
    'Inloggningar',
    `<h1>Inloggningar</h1>` +
      flash(o.flash) +
      `<p class="lead">De i förbundet som är inloggade på sidorna just nu, senaste först. En inloggning upphör efter en timme utan aktivitet och senast tolv timmar efter att personen loggade in. Avslutar du en inloggning loggas personen ut direkt och får logga in igen med en ny länk.</p>` +
      list +
      (o.several ? `<p><a href="/admin/valj-forbund">Byt förbund</a></p>` : ''),
    o.chrome,
  );
}
