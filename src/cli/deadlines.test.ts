/**
 * `openehcp deadlines` as a data team runs it: the built command, JSON in, JSON out (contracts/cli.md).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, runCommand } from '../../test/command.js';

let dir: string;

const deadlines = (input: string, args: string[] = []) => runCommand(['deadlines', ...args], { input });

const contractExample = {
  asOf: '2025-03-01',
  events: [
    { type: 'request_received', date: '2025-01-13' },
    { type: 'assessment_decision', date: '2025-02-20', outcome: 'assess' },
    { type: 'advice_requested', date: '2025-01-27', adviceId: 'ep', adviceType: 'educational_psychology' },
    { type: 'advice_received', date: '2025-03-05', adviceId: 'ep' },
  ],
};

beforeAll(() => {
  requireBuilt();
  dir = mkdtempSync(path.join(tmpdir(), 'openehcp-deadlines-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openehcp deadlines', () => {
  it('answers the contract example on standard input with one JSON document', () => {
    const r = deadlines(JSON.stringify(contractExample));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { deadlines: { id: string; due: string; status: string }[] };
    expect(out.deadlines.map((x) => [x.id, x.due, x.status])).toEqual([
      ['decide_whether_to_assess', '2025-02-24', 'met'],
      ['advice:ep', '2025-03-10', 'met'],
      ['notify_decision_not_to_issue', '2025-05-05', 'pending'],
      ['issue_final_plan', '2025-06-02', 'pending'],
    ]);
  });

  it('reads --input FILE the same way', () => {
    const file = path.join(dir, 'case.json');
    writeFileSync(file, JSON.stringify(contractExample));
    const r = deadlines('', ['--input', file]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(deadlines(JSON.stringify(contractExample)).stdout));
  });

  it('defaults asOf to today', () => {
    const r = deadlines(JSON.stringify({ events: [{ type: 'request_received', date: '2020-01-06' }] }));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { deadlines: { status: string }[] };
    expect(out.deadlines.every((x) => x.status === 'overdue')).toBe(true);
  });

  it.each([
    ['{"events":[{"type":"request_received","date":"2025-02-30"}]}', 'events[0].date: 2025-02-30 is not a real date'],
    ['{"events":[{"type":"plan_made","date":"2025-02-03"}]}', 'events[0].type: unknown event type "plan_made"'],
    ['{"events":[{"type":"advice_requested","date":"2025-02-03"}]}', 'events[0].adviceId: required'],
    [
      '{"events":[{"type":"request_received","date":"2025-02-03"},{"type":"final_plan_issued","date":"2025-01-03"}]}',
      'events[1].date: 2025-01-03 is before the request was received (2025-02-03)',
    ],
    ['{"asOf":"yesterday","events":[]}', 'asOf: must be a real date as YYYY-MM-DD, not "yesterday"'],
    ['{"asOf":"2025-01-01"}', 'events: required, a list of events'],
    ['[1,2]', 'input: must be a JSON object with "events"'],
    ['{"events": [', 'input: not valid JSON'],
  ])('refuses %s with exit code 2 and one line naming the field', (input, message) => {
    const r = deadlines(input);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
