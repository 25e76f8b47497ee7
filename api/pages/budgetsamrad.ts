// The money page's parts on the budget decided in time: whether the year's budget is adopted (and
// its revisions), and the samråd with the members on it: per member a summary list row (svar,
// väntar, försenat), for the official the form to start it and the form to record a reply.
import { field } from './admin.js';
import { e } from './layout.js';

export interface AdoptionView {
  /** 'Antagen av styrelsen 26 november 2026, beslut 2026-00031 § 7' or 'Inte antagen ännu'. */
  text: string;
  adopted: boolean;
  revisions: string[];
}

export type SamradField = 'replyBy' | 'message' | 'memberKey' | 'repliedOn' | 'reply';
export const SAMRAD_IDS: Record<SamradField, string> = { replyBy: 'samrad-svarsdag', message: 'samrad-meddelande', memberKey: 'samrad-medlem', repliedOn: 'samrad-svarade', reply: 'samrad-svar' };

export interface SamradPageView {
  year: number;
  /** Each consulted member: name, state tag, what it says. */
  rows: { memberName: string; tag: { text: string; kind: 'done' | 'late' | '' }; lines: string[] }[];
  notConsulted: string[];
  /** The official's forms; absent for a reader. */
  start?: { action: string; values: { replyBy: string; message: string }; errors: Partial<Record<SamradField, string>>; today: string; label: string };
  reply?: { action: string; members: { key: string; name: string; replied: boolean }[]; values: { memberKey: string; repliedOn: string; reply: string }; errors: Partial<Record<SamradField, string>>; today: string };
  readOnly?: string;
}

export function adoptionHtml(a: AdoptionView): string {
  return (
    `<p id="antagen"><strong class="tag ${a.adopted ? 'done' : 'warn'}">${a.adopted ? 'Antagen' : 'Inte antagen'}</strong> ${e(a.text)}</p>` +
    (a.revisions.length ? `<h3>Ändringar efter antagandet</h3><ul class="plain">${a.revisions.map((r) => `<li>${e(r)}</li>`).join('')}</ul>` : '')
  );
}

function textarea(id: string, name: string, label: string, hint: string, value: string, error?: string): string {
  const described = [`${id}-hint`, error ? `${id}-fel` : ''].filter(Boolean).join(' ');
  return (
    `<label for="${id}">${e(label)}</label>` +
    `<span class="hint" id="${id}-hint">${e(hint)}</span>` +
    (error ? `<p class="error" id="${id}-fel"><span class="vh">Fel: </span>${e(error)}</p>` : '') +
    `<textarea id="${id}" name="${name}" rows="4" aria-describedby="${described}"${error ? ' aria-invalid="true"' : ''}>${e(value)}</textarea>`
  );
}

export function samradHtml(v: SamradPageView): string {
  const list = v.rows.length
    ? `<dl class="summary">${v.rows
        .map((r) => `<div><dt>${e(r.memberName)}</dt><dd><strong class="tag${r.tag.kind ? ` ${r.tag.kind}` : ''}">${e(r.tag.text)}</strong> ${r.lines.map((l) => `<span style="white-space:pre-line">${e(l)}</span>`).join('<br>')}</dd></div>`)
        .join('')}</dl>`
    : `<p>Samrådet om budget ${v.year} är inte startat. När det startas skickas förslaget till varje medlem med sista dag för svar; den som inte har svarat påminns en vecka före och dagen efter svarsdagen.</p>`;
  const notConsulted = v.rows.length && v.notConsulted.length ? `<p>Har inte fått förslaget: ${e(v.notConsulted.join(', '))}.</p>` : '';
  const start = v.start
    ? `<h3>${e(v.start.label)}</h3><form method="post" action="${e(v.start.action)}" class="panel-box" novalidate>` +
      field({ id: SAMRAD_IDS.replyBy, name: 'replyBy', type: 'date', label: 'Sista dag för svar', hint: 'Till exempel 2027-05-15. Inte före i dag.', value: v.start.values.replyBy, min: v.start.today, error: v.start.errors.replyBy, required: true }) +
      textarea(SAMRAD_IDS.message, 'message', 'Meddelande till medlemmarna (frivilligt)', 'Skickas med förslaget. Högst 5 000 tecken.', v.start.values.message, v.start.errors.message) +
      `<div class="row"><button type="submit">Skicka förslaget för samråd</button></div></form>`
    : '';
  const reply = v.reply && v.reply.members.length
    ? `<h3>Registrera ett svar</h3><form method="post" action="${e(v.reply.action)}" class="panel-box" novalidate>` +
      `<label for="${SAMRAD_IDS.memberKey}">Medlem</label>` +
      (v.reply.errors.memberKey ? `<p class="error" id="${SAMRAD_IDS.memberKey}-fel"><span class="vh">Fel: </span>${e(v.reply.errors.memberKey)}</p>` : '') +
      `<select id="${SAMRAD_IDS.memberKey}" name="memberKey"${v.reply.errors.memberKey ? ` aria-describedby="${SAMRAD_IDS.memberKey}-fel" aria-invalid="true"` : ''}>` +
      `<option value="">Välj medlem</option>${v.reply.members.map((m) => `<option value="${e(m.key)}"${m.key === v.reply!.values.memberKey ? ' selected' : ''}>${e(m.name)}${m.replied ? ' (har svarat: rättar svaret)' : ''}</option>`).join('')}</select>` +
      field({ id: SAMRAD_IDS.repliedOn, name: 'repliedOn', type: 'date', label: 'Dag för svaret', hint: 'Dagen då svaret kom. Inte senare än i dag.', value: v.reply.values.repliedOn, max: v.reply.today, error: v.reply.errors.repliedOn, required: true }) +
      textarea(SAMRAD_IDS.reply, 'reply', 'Svaret', 'Vad medlemmen svarade, eller en sammanfattning. Högst 5 000 tecken. Ett nytt svar för samma medlem ersätter det tidigare; det tidigare finns kvar i loggen.', v.reply.values.reply, v.reply.errors.reply) +
      `<div class="row"><button type="submit">Spara svaret</button></div></form>`
    : '';
  return (
    `<section aria-labelledby="samrad"><h2 id="samrad">Medlemssamråd om budget ${v.year}</h2>` +
    list +
    notConsulted +
    reply +
    start +
    (v.readOnly ? `<p class="muted">${e(v.readOnly)}</p>` : '') +
    `</section>`
  );
}
