// Prisma CLI configuration (Prisma 7 reads the connection URL here, not in schema.prisma).
// `prisma generate` needs no URL; `prisma migrate deploy` (where the CLI can fetch its engine)
// reads DATABASE_URL. Offline, migrations are applied by `node dist/tools/migrate.js`.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
});
