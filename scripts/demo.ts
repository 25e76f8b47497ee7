// npm run demo: imports the Sydnärke example placed in the current year and prints an admin
// token, so `npm start` has something to show. Safe to run again (the import is idempotent).
import { readFileSync } from 'node:fs';
import { createApiToken } from '../api/auth.js';
import { toStockholmDate } from '../domain/dates.js';
import { parseForbundFile } from '../domain/forbund-file.js';
import { openDatabase } from '../prisma/db.js';
import { importForbund } from '../services/import.js';
import { loadConfig } from '../worker/config.js';

const year = Number(toStockholmDate(new Date()).slice(0, 4));
const db = await openDatabase(loadConfig().database);
try {
  const file = parseForbundFile(readFileSync('examples/sydnarke.yaml', 'utf8'), 'sydnarke.yaml');
  const summary = await importForbund(db.prisma, file, { year, actor: 'demo' });
  const token = await createApiToken(db.prisma, { forbundId: summary.forbundId, role: 'admin', name: 'demo' });
  console.log(`Sydnärke placed in ${year}. Admin token (shown once):\n  ${token}`);
  console.log(`Then: npm start, and e.g.\n  curl -H "Authorization: Bearer ${token}" http://localhost:3000/api/v1/forbund/sydnarke/pending-steps`);
} finally {
  await db.close();
}
process.exit(0);
