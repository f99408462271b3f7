/**
 * `openehcp spc` as a data team runs it: the built command, JSON in, JSON out (contracts/cli.md), with the limits
 * worked out by the Making Data Count method (shared/reference/spc-method.md).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, runCommand } from '../../test/command.js';

let dir: string;
const spc = (input: string, args: string[] = []) => runCommand(['spc', ...args], { input });

const contractExample = {
  values: [61, 58, 64, 55],
  improvementDirection: 'increase',
  target: 60,
  options: { screenOutliers: false, baselinePoints: null, shiftLength: 7, trendLength: 7, twoOfThree: 'mdc2023' },
};

interface Output {
  mean: number;
  lpl: number;
  upl: number;
  nearLpl: number;
  nearUpl: number;
  points: { value: number; mean: number; lpl: number; upl: number; pointType: string; rules: string[] }[];
  variation: string;
  assurance: string | null;
}

beforeAll(() => {
  requireBuilt();
  dir = mkdtempSync(path.join(tmpdir(), 'openehcp-spc-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openehcp spc', () => {
  it('answers the contract example: mean 59.5, moving ranges 3, 6, 9 (AMR 6), limits 59.5 +/- 2.66 x 6', () => {
    const r = spc(JSON.stringify(contractExample));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Output;
    expect(out.mean).toBe(59.5);
    expect(out.upl).toBeCloseTo(75.46, 9);
    expect(out.lpl).toBeCloseTo(43.54, 9);
    expect(out.nearUpl).toBeCloseTo(70.14, 9);
    expect(out.nearLpl).toBeCloseTo(48.86, 9);
    expect(out.points).toHaveLength(4);
    expect(out.points.map((p) => [p.value, p.pointType, p.rules])).toEqual([
      [61, 'common_cause', []],
      [58, 'common_cause', []],
      [64, 'common_cause', []],
      [55, 'common_cause', []],
    ]);
    expect(out.variation).toBe('common_cause');
    // The target (60) lies between the limits: hit and miss.
    expect(out.assurance).toBe('inconsistent');
  });

  it('uses the defaults when options and target are left out, and reads --input FILE', () => {
    const file = path.join(dir, 'series.json');
    writeFileSync(
      file,
      JSON.stringify({ values: [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 30], improvementDirection: 'decrease' }),
    );
    const r = spc('', ['--input', file]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Output;
    // 30 is above the upper limit of all eleven points; higher is worse.
    expect(out.points[10]!.rules).toContain('outside_limits');
    expect(out.variation).toBe('special_cause_concern');
    expect(out.assurance).toBeNull();
  });

  it('contracts/cli.md, spc-method.md: null is a gap, no point, and no moving range spans it', () => {
    const r = spc(JSON.stringify({ values: [10, 20, null, 20, 10], improvementDirection: 'increase' }));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Omit<Output, 'points'> & { points: { index: number; value: number }[] };
    // Mean of 10, 20, 20, 10 = 15 (a zero would make it 12); moving ranges 10 and 10 (AMR 10), not 10, 0, 10.
    expect(out.mean).toBe(15);
    expect(out.upl).toBeCloseTo(15 + 2.66 * 10, 9);
    expect(out.lpl).toBeCloseTo(15 - 2.66 * 10, 9);
    expect(out.points.map((p): [number, number] => [p.index, p.value])).toEqual([
      [0, 10],
      [1, 20],
      [3, 20],
      [4, 10],
    ]);
  });

  it('applies the options it is given', () => {
    const values = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 17, 11.5, 15];
    const run = (twoOfThree: string) =>
      JSON.parse(
        spc(JSON.stringify({ values, improvementDirection: 'increase', options: { baselinePoints: 10, twoOfThree } }))
          .stdout,
      ) as Output;
    expect(run('mdc2023').points[12]!.rules).toEqual(['two_of_three']);
    expect(run('plotthedots').points[12]!.rules).toEqual([]);
  });

  it.each([
    ['{"values":[1,"x"],"improvementDirection":"increase"}', 'values[1]: must be a number or null (a gap), not "x"'],
    [
      '{"values":[1,true,3],"improvementDirection":"increase"}',
      'values[1]: must be a number or null (a gap), not true',
    ],
    ['{"values":[4],"improvementDirection":"increase"}', 'values: need at least 2 numbers, not 1'],
    ['{"values":[4,null,null],"improvementDirection":"increase"}', 'values: need at least 2 numbers, not 1'],
    ['{"values":"1,2,3","improvementDirection":"increase"}', 'values: must be a list of numbers'],
    ['{"values":[1,2,3]}', 'improvementDirection: must be "increase", "decrease" or "neutral", not undefined'],
    [
      '{"values":[1,2,3],"improvementDirection":"up"}',
      'improvementDirection: must be "increase", "decrease" or "neutral"',
    ],
    ['{"values":[1,2,3],"improvementDirection":"increase","target":"60%"}', 'target: must be a number or null'],
    ['{"values":[1,2,3],"improvementDirection":"increase","options":{"shift":6}}', 'options.shift: unknown option'],
    [
      '{"values":[1,2,3],"improvementDirection":"increase","options":{"shiftLength":1}}',
      'options.shiftLength: must be a whole number, 2 or more',
    ],
    [
      '{"values":[1,2,3],"improvementDirection":"increase","options":{"twoOfThree":"nhs"}}',
      'options.twoOfThree: must be "mdc2023" or "plotthedots"',
    ],
    [
      '{"values":[1,2,3],"improvementDirection":"increase","options":{"rebaseAt":[3]}}',
      'options.rebaseAt[0]: must be the index of a point after the first',
    ],
    // Each line the same as before the input was checked with a zod schema (compared on the old and new command).
    ['{"values":[1,"x",3],"improvementDirection":"increase"}', 'values[1]: must be a number or null (a gap), not "x"'],
    ['{"values":[1,null],"improvementDirection":"increase"}', 'values: need at least 2 numbers, not 1'],
    [
      '{"values":[1,2,3],"improvementDirection":"increase","options":{"rebaseAt":[1,0.5]}}',
      'options.rebaseAt[1]: must be the index of a point after the first (1 to 2), not 0.5',
    ],
    ['{"values":[1,2,3],"improvementDirection":"increase","options":[1]}', 'options: must be a JSON object'],
    ['null', 'input: must be a JSON object with "values" and "improvementDirection"'],
    ['[1,2,3]', 'input: must be a JSON object'],
    ['{"values": [', 'input: not valid JSON'],
  ])('refuses %s with exit code 2 and one line naming the field', (input, message) => {
    const r = spc(input);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});
