import { defineConfig } from 'drizzle-kit'

// Generation needs no database; `npm run db:migrate` applies the SQL with our own runner.
export default defineConfig({
  dialect: 'postgresql',
  schema: './drizzle/schema.ts',
  out: './drizzle/migrations',
})
