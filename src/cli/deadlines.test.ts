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

  it('reads exceptions by duty, a final plan with no issue decision, and a withdrawal (contracts/cli.md)', () => {
    const request = { type: 'request_received', date: '2025-01-13' };
    const asked = { type: 'advice_requested', date: '2025-01-27', adviceId: 'ep' };
    const run = (events: unknown[]) =>
      JSON.parse(deadlines(JSON.stringify({ asOf: '2025-12-01', events })).stdout) as {
        deadlines: { id: string; status: string; exceptions?: string[] }[];
        measures: { exceptionApplies: boolean };
        ended: { id: string }[];
      };
    const advice = run([
      request,
      asked,
      { type: 'exception', date: '2025-02-03', reason: 'reg8_2_c', duty: 'advice:ep' },
    ]);
    expect(advice.measures.exceptionApplies).toBe(false);
    expect(advice.deadlines.find((x) => x.id === 'advice:ep')!.exceptions).toEqual(['reg8_2_c']);
    const plan = run([request, { type: 'exception', date: '2025-02-03', reason: 'reg10_4_b' }]);
    expect(plan.measures.exceptionApplies).toBe(true);
    const imported = run([request, { type: 'final_plan_issued', date: '2025-04-28' }]);
    expect(imported.deadlines.find((x) => x.id === 'notify_decision_not_to_issue')!.status).toBe('met');
    const withdrawn = run([request, asked, { type: 'request_withdrawn', date: '2025-02-10' }]);
    expect(withdrawn.deadlines).toEqual([]);
    expect(withdrawn.ended.map((x) => x.id)).toEqual([
      'decide_whether_to_assess',
      'advice:ep',
      'notify_decision_not_to_issue',
      'issue_final_plan',
    ]);
  });

  it.each([
    ['{"events":[{"type":"request_received","date":"2025-02-30"}]}', 'events[0].date: 2025-02-30 is not a real date'],
    ['{"events":[{"type":"plan_made","date":"2025-02-03"}]}', 'events[0].type: unknown event type "plan_made"'],
    ['{"events":[{"type":"advice_requested","date":"2025-02-03"}]}', 'events[0].adviceId: required'],
    [
      '{"events":[{"type":"request_received","date":"2025-02-03"},{"type":"final_plan_issued","date":"2025-01-03"}]}',
      'events[1].date: 2025-01-03 is before the request was received (2025-02-03)',
    ],
    [
      '{"events":[{"type":"request_received","date":"2025-01-13"},{"type":"advice_requested","date":"2025-01-27","adviceId":"ep"},{"type":"advice_received","date":"2025-01-20","adviceId":"ep"}]}',
      'events[2].date: 2025-01-20 is before the advice "ep" was requested (2025-01-27)',
    ],
    [
      '{"events":[{"type":"request_received","date":"2025-01-13"},{"type":"advice_requested","date":"2025-01-27","adviceId":"ep"},{"type":"exception","date":"2025-02-03","reason":"reg5_4_a","duty":"advice:ep"}]}',
      'events[2].reason: reg5_4_a cannot apply to advice:ep',
    ],
    [
      '{"events":[{"type":"request_received","date":"2025-01-13"},{"type":"exception","date":"2025-02-03","reason":"reg8_2_c"}]}',
      'events[1].duty: required for a reg 8(2) exception',
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
