// The pages behind a member's ansvarsfrihet link (api/redovisning.ts): the registrator reports the
// member's decision (beviljad or inte, its date, the member's reference), sees what was recorded,
// and is told when the link no longer acts. Swedish, GOV.UK patterns (error summary, radios), in
// the look of the other link pages; every text from the database is escaped; no scripts.
import { svDayDate } from '../../domain/texts.js';
import { ADMIN_STYLE, e, shell } from './layout.js';

const STYLE = `
.wrap{max-width:48rem}
fieldset{border:0;padding:0;margin:0 0 1rem}
legend{font-weight:700;margin-bottom:.5rem}
.radio{display:flex;gap:.5rem;align-items:center;margin:.4rem 0;min-height:44px}
.radio input{width:1.5rem;height:1.5rem}
label.field{display:block;font-weight:700;margin:1rem 0 .25rem}
input.text{font-size:1rem;padding:.5rem;min-height:44px;max-width:24rem;width:100%;box-sizing:border-box}
.hint{color:#505a5f;margin:.25rem 0}
.error-summary{border:4px solid #d4351c;padding:1rem;margin:1rem 0}
.error-message{color:#d4351c;font-weight:700;margin:.25rem 0}
`;

export interface DischargeLinkView {
  forbundName: string;
  forbundEmail: string;
  memberName: string;
  year: number;
  replyBy: string | null;
  adoptedBy: string | null;
  action: string;
}

const frame = (v: Pick<DischargeLinkView, 'forbundName' | 'forbundEmail'>, heading: string, body: string) =>
  shell(
    `${heading} – ${v.forbundName}`,
    `<main id="innehall" tabindex="-1"><div class="wrap"><h1>${e(heading)}</h1>${body}</div></main>` +
      `<footer><div class="wrap"><p>${e(v.forbundName)}. Frågor? Kontakta förbundets kansli, <a href="mailto:${e(v.forbundEmail)}">${e(v.forbundEmail)}</a>.</p></div></footer>`,
    { site: v.forbundName, style: ADMIN_STYLE + STYLE },
  );

export interface FormErrors {
  outcome?: string;
  decidedOn?: string;
  reference?: string;
}

/** The form: the decision, its date and the member's reference; with the errors of a refused answer above it (the values kept). */
export function askPage(v: DischargeLinkView, o: { errors?: FormErrors; values?: { outcome?: string; decidedOn?: string; reference?: string } } = {}): string {
  const errs = o.errors ?? {};
  const vals = o.values ?? {};
  const list = Object.entries(errs).filter(([, m]) => m);
  const summary = list.length
    ? `<div class="error-summary" role="alert" tabindex="-1"><h2>Det finns ett problem</h2><ul>${list.map(([f, m]) => `<li><a href="#${f}">${e(m!)}</a></li>`).join('')}</ul></div>`
    : '';
  const err = (f: keyof FormErrors) => (errs[f] ? `<p class="error-message" id="${f}-fel">${e(errs[f]!)}</p>` : '');
  const inv = (f: keyof FormErrors) => (errs[f] ? ` aria-invalid="true" aria-describedby="${f}-fel"` : '');
  const radio = (value: string, label: string, first: boolean) =>
    `<div class="radio"><input type="radio" name="outcome" value="${value}"${first ? ' id="outcome"' : ` id="outcome-${value}"`}${vals.outcome === value ? ' checked' : ''}${inv('outcome')}><label for="${first ? 'outcome' : `outcome-${value}`}">${e(label)}</label></div>`;
  return frame(
    v,
    `Beslut om ansvarsfrihet för ${v.year}`,
    summary +
      `<p class="lead">${e(v.memberName)} ombeds besluta om ansvarsfrihet för styrelsen i ${e(v.forbundName)} för ${v.year}${v.replyBy ? `, senast ${e(svDayDate(v.replyBy))}` : ''}.</p>` +
      (v.adoptedBy ? `<p>Styrelsen antog årsredovisningen genom ${e(v.adoptedBy)}. Årsredovisningen, revisionsberättelsen och protokollet kom med e-postmeddelandet.</p>` : '') +
      `<form method="post" action="${e(v.action)}" novalidate>` +
      `<fieldset><legend>Vad beslutade ${e(v.memberName)}?</legend>${err('outcome')}${radio('beviljad', 'Ansvarsfrihet beviljas', true)}${radio('inte_beviljad', 'Ansvarsfrihet beviljas inte', false)}</fieldset>` +
      `<label class="field" for="decidedOn">Beslutsdag</label><p class="hint">Till exempel 2027-05-20</p>${err('decidedOn')}<input class="text" id="decidedOn" name="decidedOn" value="${e(vals.decidedOn ?? '')}" inputmode="numeric" autocomplete="off"${inv('decidedOn')}>` +
      `<label class="field" for="reference">Er referens (valfri)</label><p class="hint">Diarienummer eller paragraf, till exempel KF § 45</p>${err('reference')}<input class="text" id="reference" name="reference" value="${e(vals.reference ?? '')}" maxlength="200"${inv('reference')}>` +
      `<p><button type="submit">Skicka beslutet</button></p></form>` +
      `<p>Beslutet registreras hos förbundet när du skickar det, och kan inte ändras här efteråt.</p>`,
  );
}

/** What was recorded (after the answer, and when the link is opened again). */
export function recordedPage(v: Pick<DischargeLinkView, 'forbundName' | 'forbundEmail'>, text: string, justNow: boolean): string {
  return frame(v, justNow ? 'Tack, beslutet är registrerat' : 'Beslutet är redan registrerat', `<p class="lead">${e(text)}</p><p>Vill ni rätta något, kontakta förbundets kansli.</p>`);
}

/** The link does not act: not yet sent, gone, forged, or the service away. */
export function closedPage(v: Pick<DischargeLinkView, 'forbundName' | 'forbundEmail'>, why: 'unavailable' | 'refused'): string {
  return frame(
    v,
    why === 'unavailable' ? 'Tjänsten är tillfälligt otillgänglig' : 'Beslutet kunde inte registreras',
    `<p class="lead">${why === 'unavailable' ? 'Inget har ändrats. Försök igen om en stund.' : 'Beslutet kunde inte registreras just nu, och inget har ändrats.'}</p><p>Går det inte, skicka beslutet till förbundet med e-post.</p>`,
  );
}

export function invalidPage(): string {
  return shell(
    'Länken fungerar inte',
    `<main id="innehall" tabindex="-1"><div class="wrap"><h1>Länken fungerar inte</h1><p class="lead">Länken är inte giltig. Kontrollera att hela länken från e-postmeddelandet kom med, eller öppna den direkt från meddelandet.</p><p>Kontakta förbundets kansli om du vill meddela ett beslut om ansvarsfrihet.</p></div></main>`,
    { style: ADMIN_STYLE + STYLE },
  );
}
