// npm run demo: imports the Sydnärke example placed in the current year and prints how the
// official signs in to the pages (by e-mail: their address, and where the mail lands) and an admin
// token for the API, so `npm start` has something to show. Safe to run again (the import is
// idempotent), also while `npm start` runs.
import { readFileSync } from 'node:fs';
import { toStockholmDate } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { importForbund } from '../services/import.js';
import { createToken } from '../services/tokens.js';
import { configOrExit, fail, withDatabase } from './cli.js';

const year = Number(toStockholmDate(new Date()).slice(0, 4));
const config = configOrExit();
const text = readFileSync('examples/sydnarke.yaml', 'utf8');
// The official signs in to the pages by e-mail; the token (named after them) is for the API.
const person = parseForbundFile(text, 'sydnarke.yaml').people.find((p) => p.roles.includes('official'));
const official = person?.name ?? 'demo';
const token = await withDatabase(
  config,
  'npm run demo',
  async (db) => {
    const summary = await importForbund(db.prisma, parseForbundFile(text, 'sydnarke.yaml'), { year, actor: 'demo' });
    return (await createToken(db.prisma, { forbundId: summary.forbundId, role: 'admin', name: official, actor: 'cli (npm run demo)' })).token;
  },
  async (call) => {
    const imported = await call('/local/v1/import', { text, fileName: 'sydnarke.yaml', year });
    if (imported.status !== 200) fail(imported.json?.error?.message ?? `the running server answered ${imported.status}`);
    const created = await call('/local/v1/tokens', { forbund: 'sydnarke', role: 'admin', name: official });
    if (created.status !== 201) fail(created.json?.error?.message ?? `the running server answered ${created.status}`);
    return created.json.token as string;
  },
);
const base = config.publicBaseUrl.replace(/\/$/, '');
const mail = config.mail.kind === 'outbox' ? `it is written as a .eml file to ${config.mail.dir}; open the newest one in a mail program (or see the README's five-minute start) and its link` : `it is sent through ${config.mail.host}:${config.mail.port}`;
const secretary = parseForbundFile(text, 'sydnarke.yaml').people.find((p) => p.roles.includes('secretary'))?.email;
console.log(`Sydnärke placed in ${year}.`);
console.log(`Then: npm start (if it is not running), open ${base}/admin/logga-in and sign in as the official (${official}) with the address\n  ${person?.email ?? '(none in the file)'}\nThe sign-in link comes by e-mail: ${mail}, in the same browser, within 15 minutes.${secretary ? `\nThe secretary signs in the same way with ${secretary}.` : ''}`);
console.log(`Admin token for the API (shown once; it signs nobody in to the pages):\n  ${token}`);
console.log(`e.g.\n  curl -H "Authorization: Bearer ${token}" ${config.publicBaseUrl}/api/v1/forbund/sydnarke/pending-steps`);
process.exit(0);
