/**
 * How a zod schema's first issue is named, wherever a document is checked (the CLI's inputs, the clock's events, a
 * forecast scenario): the path of the field at fault as a person reads it (`events[2].outcome`, `stages[1].servers`)
 * and the issue's message.
 */
import type { z } from 'zod';

/** A path as a person reads it, `values[3]` or `options.rebaseAt[0]`, continuing `root` (a path) when given. */
export function pathText(path: readonly PropertyKey[], root = ''): string {
  let text = root;
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : `${text ? '.' : ''}${String(part)}`;
  return text;
}

/** The first issue of a failed check: the field at fault (an unknown key named as the field) and its message. */
export function firstIssue(error: z.ZodError): { path: PropertyKey[]; message: string } {
  const issue = error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  return { path, message: issue.message };
}
