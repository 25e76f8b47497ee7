// npm run token -- <förbund-slug> <admin|secretary|board_member> "<name>"
// Creates an API token (audited) for a machine (an integration, a script, curl); it is printed
// once and only its hash is stored. Works while `npm start` runs: then the running server creates
// it. Tokens sign nobody in to the pages: people sign in there with their e-mail address.
import { createToken, ROLES, tokenNameProblem, type Role } from '../services/tokens.js';
import { configOrExit, fail, withDatabase } from './cli.js';

const [slug, role, name] = process.argv.slice(2);
if (!slug || !ROLES.includes(role as Role) || !name?.trim()) fail(`usage: npm run token -- <förbund-slug> <${ROLES.join('|')}> "<name>"`, 2);
const badName = tokenNameProblem(name);
if (badName) fail(`name: ${badName}`, 2);

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
// On stderr, so stdout stays the token alone.
console.error(`API-nyckeln är för maskiner (Authorization: Bearer …) och loggar inte in på sidorna. Personer loggar in med sin e-postadress på ${config.publicBaseUrl.replace(/\/$/, '')}/admin/logga-in.`);
process.exit(0);
