/**
 * Once per vitest run, before any test file: the migrated databases every test file's database is a copy of
 * (test/db.ts), and the folder the embedded-database folders of the command's tests are made in, once, on first use
 * (test/dataDirs.ts). Removed when the run ends.
 */
import type { TestProject } from 'vitest/node';
import { createDataDirsFolder } from './dataDirs.js';
import { createTemplates } from './db.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { templates, remove } = await createTemplates();
  const dataDirs = await createDataDirsFolder();
  project.provide('testDbTemplates', templates);
  project.provide('testDataDirs', dataDirs.folder);
  return async () => {
    await dataDirs.remove();
    await remove();
  };
}
