// Scenario files register a function that declares their uvu suite for one repetition. Run on its
// own (tsx/uvu), a file declares run 1 at once; under the runner (run.ts) the runner calls it once
// per --repeat run, in the scenario order, so each repetition gets fresh suite state.
export type RegisterRun = (run: number) => void;

const registry = new Map<string, RegisterRun>();

export const UNDER_RUNNER = process.env.KAFKA_HA_E2E_RUNNER === '1';

export function scenarioFile(url: string, register: RegisterRun): void {
  if (UNDER_RUNNER) registry.set(url, register);
  else register(1);
}

export function registered(url: string): RegisterRun | undefined {
  return registry.get(url);
}
