// npm run token -- <förbund-slug> <admin|secretary|board_member> "<name>"
// Creates an API token; it is printed once and only its hash is stored.
import { createApiToken, type Role } from '../api/auth.js';
import { openDatabase } from '../prisma/db.js';
import { loadConfig } from '../worker/config.js';

const [slug, role, name] = process.argv.slice(2);
const roles: Role[] = ['admin', 'secretary', 'board_member'];
if (!slug || !roles.includes(role as Role) || !name) {
  console.error('usage: npm run token -- <förbund-slug> <admin|secretary|board_member> "<name>"');
  process.exit(2);
}
const db = await openDatabase(loadConfig().database);
try {
  const forbund = await db.prisma.forbund.findUnique({ where: { slug } });
  if (!forbund) {
    console.error(`no förbund "${slug}"; import one first (npm run import -- examples/${slug}.yaml)`);
    process.exit(1);
  }
  console.log(await createApiToken(db.prisma, { forbundId: forbund.id, role: role as Role, name }));
} finally {
  await db.close();
}
process.exit(0);
