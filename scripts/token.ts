// npm run token -- <förbund-slug> <admin|secretary|board_member> "<name>"
// Creates an API token (audited); it is printed once and only its hash is stored. Works while
// `npm start` runs: then the running server creates it. For an admin or a secretary, a sign-in
// link to the pages (/admin) is printed on stderr too.
import { createToken, ROLES, type Role } from '../services/tokens.js';
import { PAGE_ROLES, signInLink } from '../api/admin-session.js';
import { configOrExit, fail, withDatabase } from './cli.js';

const [slug, role, name] = process.argv.slice(2);
if (!slug || !ROLES.includes(role as Role) || !name?.trim()) fail(`usage: npm run token -- <förbund-slug> <${ROLES.join('|')}> "<name>"`, 2);

const config = configOrExit();
const token = await withDatabase(
  config,
  'npm run token',
  async (db) => {
    const forbund = await db.prisma.forbund.findUnique({ where: { slug } });
    if (!forbund) fail(`no förbund "${slug}"; import one first (npm run import -- examples/${slug}.yaml)`);
    return (await createToken(db.prisma, { forbundId: forbund.id, role: role as Role, name: name.trim(), actor: 'cli (npm run token)' })).token;
  },
  async (call) => {
    const r = await call('/local/v1/tokens', { forbund: slug, role, name });
    if (r.status !== 201) fail(r.json?.error?.message ?? `the running server answered ${r.status}`);
    return r.json.token as string;
  },
);
console.log(token);
// The pages are for the official and the secretary: their link goes to stderr, so stdout stays the token alone.
if (PAGE_ROLES.includes(role as Role)) console.error(`Inloggningslänk till sidorna (frågar innan den loggar in): ${signInLink(config.publicBaseUrl, token)}`);
process.exit(0);
