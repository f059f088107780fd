// What run.ts composes: sections (one file each: readiness.ts, throughput.ts, tls-cost.ts,
// failover.ts, rolling-restart.ts), each a list of steps on a release installed with one profile
// (profiles.ts) and a report made from what its steps recorded. run.ts installs each profile once
// and runs every selected section's steps for it (plan), so the defaults release serves five
// sections instead of five installs. Pure parts (plan, --only, tables) are unit-tested
// (test/unit/bench-tables.test.ts).
import type { Env } from "../e2e/env.js";
import type { ProfileId } from "./profiles.js";

export const SECTION_IDS = ["readiness", "throughput", "tls", "failover", "rolling"] as const;
export type SectionId = (typeof SECTION_IDS)[number];

/** Installs made in this run, in order (a profile installed again after a failed step appears twice). */
export interface InstallRecord {
  profile: ProfileId;
  /** helm install until every broker is Ready and serving (freshInstall's installMs). */
  installMs: number;
  at: number;
}

export interface BenchContext {
  e: Env;
  /** The report directory (for files a step keeps, e.g. a probe's raw output). */
  dir: string;
  installs: InstallRecord[];
}

export interface Step {
  profile: ProfileId;
  /** What it measures, for the log and the error lines. */
  what: string;
  /** The step leaves the release changed (a helm upgrade): it runs after the profile's other steps. */
  changesRelease?: boolean;
  run(ctx: BenchContext): Promise<void>;
}

export interface Chart {
  file: string;
  svg: string;
}

export interface SectionReport {
  /** Markdown from its "## " heading on. */
  markdown: string;
  json: unknown;
  charts: Chart[];
}

export interface BenchSection {
  readonly id: SectionId;
  readonly steps: Step[];
  /** Work before any install (compiling the failover probe): a broken build fails the bench at once. */
  prepare?(): Promise<void>;
  /** A step failed: its figures are missing, the report says why. */
  failed(step: Step, error: string): void;
  report(ctx: { installs: InstallRecord[] }): Promise<SectionReport>;
}

/** `--only a,b` (or `--only=a,b`): the sections to run, in SECTION_IDS order; all without the flag. */
export function parseOnly(argv: string[]): SectionId[] {
  const i = argv.findIndex((a) => a === "--only" || a.startsWith("--only="));
  if (i < 0) return [...SECTION_IDS];
  const arg = argv[i] ?? "";
  const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : (argv[i + 1] ?? "");
  const wanted = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (wanted.length === 0) throw new Error(`--only needs section ids: ${SECTION_IDS.join(", ")}`);
  const unknown = wanted.filter((w) => !(SECTION_IDS as readonly string[]).includes(w));
  if (unknown.length > 0) throw new Error(`--only: unknown section ${unknown.join(", ")}; known: ${SECTION_IDS.join(", ")}`);
  return SECTION_IDS.filter((id) => wanted.includes(id));
}

export interface PlannedInstall {
  profile: ProfileId;
  steps: { section: BenchSection; step: Step }[];
}

/**
 * One install per profile that has steps, in `profileOrder`; its steps in section order, those that
 * change the release last (in section order among themselves).
 */
export function plan(sections: BenchSection[], profileOrder: readonly ProfileId[]): PlannedInstall[] {
  return profileOrder
    .map((profile) => {
      const steps = sections.flatMap((section) => section.steps.filter((s) => s.profile === profile).map((step) => ({ section, step })));
      return { profile, steps: [...steps.filter((s) => !s.step.changesRelease), ...steps.filter((s) => s.step.changesRelease)] };
    })
    .filter((p) => p.steps.length > 0);
}

// ---- report helpers ----

/** A markdown table with padded columns. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => `| ${header.map((_, i) => (cells[i] ?? "").padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

export const median = (xs: number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** A figure for a table: one decimal below 100, none above; "?" when unknown. */
export const num = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? "?" : v.toFixed(Math.abs(v) < 100 ? 1 : 0));

/** Milliseconds as seconds with one decimal; "?" when unknown. */
export const secs = (ms: number | undefined): string => (ms === undefined || !Number.isFinite(ms) ? "?" : `${(ms / 1000).toFixed(1)} s`);

/** a / b as "0.93x"; "?" when either is unknown or b is 0. */
export const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? "?" : `${(a / b).toFixed(2)}x`;

export interface Goal {
  /** How the issue states it, e.g. "<= 12 s". */
  text: string;
  met(value: number): boolean;
}

export const atMost = (limit: number, unit: string, scale = 1): Goal => ({ text: `<= ${limit}${unit}`, met: (v) => v / scale <= limit });
export const atLeast = (limit: number, unit: string, scale = 1): Goal => ({ text: `>= ${limit}${unit}`, met: (v) => v / scale >= limit });

/** "<= 12 s: met" / "<= 12 s: missed" / "<= 12 s: not measured". Reported, never asserted. */
export function goalCell(goal: Goal | undefined, value: number | undefined): string {
  if (!goal) return "";
  if (value === undefined || !Number.isFinite(value)) return `${goal.text}: not measured`;
  return `${goal.text}: ${goal.met(value) ? "met" : "missed"}`;
}

export const errorText = (err: unknown): string => (err instanceof Error ? (err.stack ?? err.message) : String(err));

/** The first line of an error, for a table cell or a "not measured" line. */
export const firstLine = (text: string): string => (text.split("\n")[0] ?? "").slice(0, 300);

/** Markdown lines naming the steps that failed ("not measured: ..."); empty when none did. */
export function failureLines(failures: { what: string; error: string }[]): string {
  return failures.map((f) => `- not measured: ${f.what}: ${firstLine(f.error)}`).join("\n");
}

/** A section's markdown from its parts: blank-line runs collapsed, no trailing space. */
export const sectionMarkdown = (parts: string[]): string =>
  parts
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd();
