/**
 * `openehcp audit verify`: checks the audit log's hash chain (docs/audit-log.md) and prints one line: "N rows, chain
 * intact" (exit 0), or the first broken row, its position and what is wrong (exit 1).
 */
export async function auditVerify(): Promise<number> {
  const { openConfigured } = await import('./service-commands.js');
  const { loadConfig } = await import('../config.js');
  const { verifyAuditChain, describeVerdict } = await import('../services/auditChain.js');
  const database = await openConfigured(loadConfig());
  try {
    const verdict = await verifyAuditChain(database);
    process.stdout.write(`${describeVerdict(verdict)}\n`);
    return verdict.intact ? 0 : 1;
  } finally {
    await database.close();
  }
}
