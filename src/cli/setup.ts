/**
 * `openehcp setup`: sets up a council (its DfE code and name) and its first administrator, and prints the
 * administrator's one-time link to set up their sign-in. Asks for each answer (again after a bad one) when given no
 * options; for automation, `--la CODE --la-name NAME --admin-email EMAIL --admin-name NAME`. Run again for the same
 * council with another email, it adds that administrator; another code adds another council (a regional host).
 */
import { createInterface } from 'node:readline/promises';
import { lifetimeText } from '../domain/access/accountLinks.js';
import { isEmailAddress, laCodeProblem } from '../domain/access/localAccounts.js';
import { UserFacingError } from '../errors.js';
import type { AccountService, NewCouncil } from '../services/accounts.js';
import { RuleError } from '../services/errors.js';

export interface SetupOptions {
  la?: string;
  laName?: string;
  adminEmail?: string;
  adminName?: string;
  dataDir?: string;
}

const OPTIONS = ['la', 'laName', 'adminEmail', 'adminName'] as const;

/** `2026-12-10 14:03 UTC`: when a link stops working, as the person running the command reads it. */
function whenText(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export async function setupCommand(opts: SetupOptions): Promise<string> {
  const given = OPTIONS.filter((o) => opts[o] !== undefined);
  if (given.length > 0 && given.length < OPTIONS.length)
    throw new UserFacingError(
      'setup: give all of --la, --la-name, --admin-email and --admin-name, or none of them to be asked for each',
    );
  // Checked before the database is opened: a refused option touches nothing.
  if (given.length === OPTIONS.length) {
    const problem = laCodeProblem(opts.la!);
    if (problem) throw new UserFacingError(`--la: ${problem}`);
    if (!isEmailAddress(opts.adminEmail!.trim()))
      throw new UserFacingError('--admin-email: must be an email address, like name@council.gov.uk');
  }
  if (opts.dataDir !== undefined) process.env.DATA_DIR = opts.dataDir;
  const { openConfigured } = await import('./service-commands.js');
  const { loadConfig } = await import('../config.js');
  const { createAccountService } = await import('../services/accounts.js');
  const { systemClock } = await import('../services/clock.js');
  const { outboxSender } = await import('../notify/sender.js');
  const config = loadConfig();
  const database = await openConfigured(config);
  try {
    const accounts = createAccountService(database, systemClock, outboxSender, config.baseUrl);
    const council: NewCouncil =
      given.length === 0
        ? await ask(accounts)
        : { laCode: opts.la!, laName: opts.laName!, adminEmail: opts.adminEmail!, adminName: opts.adminName! };
    let made;
    try {
      made = await accounts.setUpCouncil(council);
    } catch (err) {
      if (err instanceof RuleError) {
        const first = err.errors[0]!;
        throw new UserFacingError(`--${first.field}: ${first.text}`);
      }
      throw err;
    }
    const laCode = council.laCode.trim();
    const name = (await accounts.councilName(laCode)) ?? council.laName;
    return [
      made.laCreated
        ? `Set up LA ${laCode} (${name}) with its first administrator, ${council.adminName.trim()} <${council.adminEmail.trim()}>.`
        : `Added an administrator to LA ${laCode} (${name}): ${council.adminName.trim()} <${council.adminEmail.trim()}>.`,
      `Send the administrator this link to set up their sign-in. It works once, for ${lifetimeText('set_up')} (until ${whenText(made.expiresAt)}):`,
      '',
      `  ${made.link}`,
      '',
    ].join('\n');
  } finally {
    await database.close();
  }
}

/** Asks for each answer on the terminal (or standard input), again after one that will not do. */
async function ask(accounts: AccountService): Promise<NewCouncil> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: Boolean(process.stdin.isTTY) });
  const lines = rl[Symbol.asyncIterator]();
  const question = async (prompt: string, problem: (answer: string) => string | undefined): Promise<string> => {
    for (;;) {
      process.stdout.write(prompt);
      const next = await lines.next();
      if (next.done) throw new UserFacingError('setup: standard input ended before every question was answered');
      const answer = String(next.value).trim();
      const wrong = problem(answer);
      if (!wrong) return answer;
      process.stdout.write(`  That ${wrong}. Try again.\n`);
    }
  };
  const named = (what: string) => (answer: string) =>
    answer.length === 0 || answer.length > 200 ? `must be ${what}, up to 200 characters` : undefined;
  try {
    process.stdout.write('Set up a council in OpenEHCP, and its first administrator.\n');
    const laCode = await question('The council’s 3-digit DfE LA code (for example 919): ', laCodeProblem);
    const existing = await accounts.councilName(laCode);
    let laName: string;
    if (existing) {
      process.stdout.write(`LA ${laCode} is already set up as ${existing}: this adds an administrator to it.\n`);
      laName = existing;
    } else {
      laName = await question('The council’s name (for example Hertfordshire County Council): ', named('the name'));
    }
    const adminEmail = await question('The administrator’s email address: ', (a) =>
      isEmailAddress(a) ? undefined : 'must be an email address, like name@council.gov.uk',
    );
    const adminName = await question('The administrator’s full name: ', named('their name'));
    return { laCode, laName, adminEmail, adminName };
  } finally {
    rl.close();
  }
}
