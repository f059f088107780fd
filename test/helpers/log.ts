// Progress lines of the e2e tier: one prefix and time format for the runner, the scenarios and the
// traffic helpers.
export function log(line: string): void {
  process.stdout.write(`[kafka-ha e2e] ${new Date().toISOString().slice(11, 19)} ${line}\n`);
}
