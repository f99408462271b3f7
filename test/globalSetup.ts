/**
 * Once per vitest run, before any test file: the migrated databases every test file's database is a copy of
 * (test/db.ts). Removed when the run ends.
 */
import type { TestProject } from 'vitest/node';
import { createTemplates } from './db.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { templates, remove } = await createTemplates();
  project.provide('testDbTemplates', templates);
  return remove;
}
