// npm run demo: imports the Sydnärke example placed in the current year and prints an admin
// token, so `npm start` has something to show. Safe to run again (the import is idempotent), also
// while `npm start` runs.
import { readFileSync } from 'node:fs';
import { toStockholmDate } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { importForbund } from '../services/import.js';
import { createToken } from '../services/tokens.js';
import { signInLink } from '../api/admin-session.js';
import { configOrExit, fail, withDatabase } from './cli.js';

const year = Number(toStockholmDate(new Date()).slice(0, 4));
const config = configOrExit();
const text = readFileSync('examples/sydnarke.yaml', 'utf8');
// The token is the official's: the pages greet them by name.
const official = parseForbundFile(text, 'sydnarke.yaml').people.find((p) => p.roles.includes('official'))?.name ?? 'demo';
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
console.log(`Sydnärke placed in ${year}. Admin token (shown once):\n  ${token}`);
console.log(`Then: npm start (if it is not running), and open the pages of the official (sign-in link; it asks before signing in):\n  ${signInLink(config.publicBaseUrl, token)}`);
console.log(`or call the API, e.g.\n  curl -H "Authorization: Bearer ${token}" ${config.publicBaseUrl}/api/v1/forbund/sydnarke/pending-steps`);
process.exit(0);
