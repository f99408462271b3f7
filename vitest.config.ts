import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Migrates one database for the run; each test file's database is a copy of it (test/db.ts).
    globalSetup: ['test/globalSetup.ts'],
    pool: 'forks',
    // Each worker process keeps the modules it has loaded from one test file to the next (no isolation): on CI's 2
    // cores, loading the service's modules afresh for each of 128 files took 160 s of the PGlite run's 562 s (417 s
    // without). Test files keep no module-level state between them; the one that mocks a module says how it undoes it
    // (src/web/features/casework/periods.reads.int.test.ts).
    isolate: false,
    // Vitest runs one file fewer at a time than there are processors: on CI's 2 cores, one file at a time, so the
    // processors idled while a file loaded its modules or waited on the database (the tests' own time was 136 s of
    // the PGlite run's 286 s). Two at a time there; as before on larger machines.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test' },
  },
});
