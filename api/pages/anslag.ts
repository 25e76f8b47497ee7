// The förbund's public anslagstavla (kommunallagen 8 kap. 12 §, as Finsamlagen applies it): for
// each board protokoll that is justerat and whose anslag is up, the tillkännagivande of the
// justering with its dates, where the protokoll is kept, the appeal notice (laglighetsprövning,
// 13 kap. 5 §: three weeks from the day the anslag went up) and the protokoll itself with the
// SHA-256 of the justerade version. Anslag taken down are listed below them, without the appeal
// notice: the protokoll stays an allmän handling.
//
// Swedish, plain semantic HTML in the look of the public reports page (layout.ts): the förbund's
// name and the public pages' navigation in the top bar (api/pages/offentligt.ts), one <main>, each anslag an <article> with its facts as a <dl>; no scripts.
import type { IsoDate } from '../../domain/dates.js';
import { date, e, shell } from './layout.js';
import { publicHeader, PUBLIC_NAV_STYLE } from './offentligt.js';

const STYLE = `
.sha{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem;overflow-wrap:anywhere;word-break:break-all}
article h3{margin-bottom:.5rem}
dl.facts{grid-template-columns:minmax(0,max-content) minmax(0,1fr)}
dl.facts dd{overflow-wrap:anywhere}
.appeal{border-left:4px solid #123b5c;padding:.3rem 0 .3rem .8rem;margin:.75rem 0}
@media (max-width:30rem){dl.facts{grid-template-columns:1fr;gap:0}dl.facts dd{margin-bottom:.35rem}}
`;

export interface Anslag {
  meetingId: string;
  /** 'Styrelsen' */
  organ: string;
  meetingDate: IsoDate;
  justeradOn: IsoDate;
  postedOn: IsoDate;
  removedOn: IsoDate;
  /** The last day to appeal (three weeks from posting). */
  appealUntil: IsoDate;
  /** Where the protokoll is kept: 'Förbundets kansli, Samordningsförbundet Sydnärke'. */
  storage: string;
  /** SHA-256 (hex) of the justerade protokoll PDF; null when none was recorded (justerat on paper). */
  sha256: string | null;
  /** The protokoll as filed (PDF). */
  protokollHref: string;
}

export interface AnslagView {
  forbund: { slug: string; name: string };
  today: IsoDate;
  /** Anslag up today. */
  current: Anslag[];
  /** Anslag taken down, newest first. */
  earlier: Anslag[];
}

function anslagHtml(a: Anslag, withAppeal: boolean): string {
  const id = `anslag-${a.meetingId.replace(/[^\w-]/g, '')}`;
  return (
    `<article aria-labelledby="${id}"><h3 id="${id}">Styrelsens protokoll från sammanträdet ${date(a.meetingDate)} är justerat.</h3>` +
    `<dl class="facts">` +
    `<dt>Organ</dt><dd>${e(a.organ)}</dd>` +
    `<dt>Sammanträdesdatum</dt><dd>${date(a.meetingDate)}</dd>` +
    `<dt>Datum för justering</dt><dd>${date(a.justeradOn)}</dd>` +
    `<dt>Anslaget sätts upp</dt><dd>${date(a.postedOn)}</dd>` +
    `<dt>Anslaget tas ned</dt><dd>${date(a.removedOn)}</dd>` +
    `<dt>Förvaringsplats för protokollet</dt><dd>${e(a.storage)}</dd>` +
    (a.sha256 ? `<dt>Kontrollsumma (SHA-256)</dt><dd class="sha">${e(a.sha256)}</dd>` : '') +
    `</dl>` +
    (withAppeal
      ? `<p class="appeal">Den som vill överklaga beslut (laglighetsprövning enligt 13 kap. kommunallagen) ska göra det inom tre veckor från den dag anslaget sattes upp, senast ${date(a.appealUntil)}.</p>`
      : '') +
    `<p><a href="${e(a.protokollHref)}">Läs protokollet (PDF)<span class="vh">, styrelsens sammanträde ${date(a.meetingDate)}</span></a></p>` +
    `</article>`
  );
}

export function anslagPage(v: AnslagView): string {
  const slug = encodeURIComponent(v.forbund.slug);
  const body =
    publicHeader(v.forbund, 'anslag') +
    `<main id="innehall" tabindex="-1"><div class="wrap">` +
    `<h1>Anslagstavla</h1>` +
    `<p class="lead">Anslagstavla för ${e(v.forbund.name)}. Här tillkännages när styrelsens protokoll har justerats. Från den dag anslaget sätts upp löper tre veckor för den som vill överklaga ett beslut.</p>` +
    `<p class="muted">Sidan visar läget den ${date(v.today)}.</p>` +
    `<section aria-labelledby="aktuella"><h2 id="aktuella">Aktuella anslag</h2>` +
    (v.current.length ? v.current.map((a) => anslagHtml(a, true)).join('') : `<p>Det finns inga anslag på anslagstavlan just nu.</p>`) +
    `</section>` +
    `<section aria-labelledby="tidigare"><h2 id="tidigare">Tidigare anslag</h2>` +
    (v.earlier.length
      ? `<p>Anslagen är nedtagna och tiden för överklagande har gått ut. Protokollen är allmänna handlingar och finns kvar hos förbundet.</p>` + v.earlier.map((a) => anslagHtml(a, false)).join('')
      : `<p>Inga tidigare anslag.</p>`) +
    `</section>` +
    `</div></main>` +
    `<footer><div class="wrap"><p>${e(v.forbund.name)}. Samma uppgifter finns som <a href="/api/v1/public/forbund/${slug}/anslag">öppna data (JSON)</a>.</p></div></footer>`;
  return shell(`Anslagstavla – ${v.forbund.name}`, body, { style: PUBLIC_NAV_STYLE + `.vh{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}` + STYLE });
}
