import { defineConfig } from 'vitest/config';

// Repository, service and HTTP tests. The dialect comes from DATABASE_URL (PostgreSQL) or
// defaults to SQLite; scripts/test.mjs runs this suite once per dialect.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/integration/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
