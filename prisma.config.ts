import { defineConfig } from 'prisma/config';

// The URL is only needed by `prisma migrate deploy` on a machine with the native engine;
// the application connects through driver adapters (see db/connect.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/arscykel' },
});
