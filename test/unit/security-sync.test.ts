// files/scripts/security-sync.sh (the security Job) run with bash against stub Kafka tools that
// record their calls and print what the cluster holds (SCRAM users, ACLs) in Kafka's own listing
// format. It must write every declared user's credential through a file (the password never on a
// command line), delete users and mechanisms the values do not declare, and make the ACLs equal to
// the declared lines: add what is missing, remove what is extra, leave the rest. The same Job
// against real brokers: test/e2e/t1-t2-secured.test.ts; the lines it reads: tls.test.ts renders.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runChartScript, writeStubs } from "./fake-tools.js";

const t = suite("security-sync.sh");

// kafka-configs: --describe prints $FAKE/users.out; --alter with --add-config-file records the file's content.
const CONFIGS_STUB = `#!/usr/bin/env bash
echo "kafka-configs.sh $*" >> "$FAKE/calls.log"
if [[ " $* " == *" --describe "* ]]; then cat "$FAKE/users.out" 2>/dev/null; exit 0; fi
while [ $# -gt 0 ]; do [ "$1" = --add-config-file ] && cat "$2" >> "$FAKE/config-files.log"; shift; done
`;
const ACLS_STUB = `#!/usr/bin/env bash
echo "kafka-acls.sh $*" >> "$FAKE/calls.log"
if [[ " $* " == *" --list "* ]]; then cat "$FAKE/acls" 2>/dev/null; fi
exit 0
`;
const TOPICS_STUB = `#!/usr/bin/env bash
echo "kafka-topics.sh $*" >> "$FAKE/calls.log"
`;

interface Run {
  exitCode: number | undefined;
  stderr: string;
  calls: string[];
  configFiles: string;
}

async function sync(opts: { users: Record<string, string>; mechanism: string; current: { users?: string; acls?: string }; desired?: string }): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-sync-"));
  try {
    writeStubs(join(dir, "bin"), { "kafka-configs.sh": CONFIGS_STUB, "kafka-acls.sh": ACLS_STUB, "kafka-topics.sh": TOPICS_STUB });
    mkdirSync(join(dir, "tls"));
    for (const f of ["tls.crt", "tls.key", "ca.crt"]) writeFileSync(join(dir, "tls", f), `-----BEGIN ${f}-----\nAAAA\n-----END ${f}-----\n`);
    mkdirSync(join(dir, "users"));
    for (const [u, p] of Object.entries(opts.users)) writeFileSync(join(dir, "users", u), p);
    if (opts.current.users !== undefined) writeFileSync(join(dir, "users.out"), opts.current.users);
    if (opts.current.acls !== undefined) writeFileSync(join(dir, "acls"), opts.current.acls);
    if (opts.desired !== undefined) writeFileSync(join(dir, "desired"), opts.desired);
    const r = await runChartScript("security-sync.sh", dir, {
      KAFKA_HA_BOOTSTRAP: "kafka-ha-0.kafka-ha-headless.kafka.svc.cluster.local:9094",
      KAFKA_HA_TLS_DIR: join(dir, "tls"),
      KAFKA_HA_USERS_DIR: join(dir, "users"),
      KAFKA_HA_SASL_MECHANISM: opts.mechanism,
      ...(opts.desired !== undefined ? { KAFKA_HA_ACLS_FILE: join(dir, "desired") } : {}),
      TMPDIR: dir,
    });
    const read = (f: string): string => {
      try {
        return readFileSync(join(dir, f), "utf8");
      } catch {
        return "";
      }
    };
    return { exitCode: r.exitCode, stderr: r.stderr, calls: read("calls.log").split("\n").filter(Boolean), configFiles: read("config-files.log") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

t("users: declared ones get their credential through a file, never on a command line; undeclared users and other mechanisms are deleted", async () => {
  const r = await sync({
    users: { alice: "alice-pw-1", bob: "bob-pw-2" },
    mechanism: "SCRAM-SHA-512",
    current: {
      users: [
        "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-512=iterations=8192, SCRAM-SHA-256=iterations=4096",
        "SCRAM credential configs for user-principal 'mallory' are SCRAM-SHA-512=iterations=4096",
      ].join("\n"),
    },
  });
  assert.is(r.exitCode, 0, r.stderr);
  assert.equal(r.configFiles.split("\n").filter(Boolean), [
    "SCRAM-SHA-512=iterations=8192,password=alice-pw-1",
    "SCRAM-SHA-512=iterations=8192,password=bob-pw-2",
  ]);
  for (const c of r.calls) assert.not.match(c, /pw-/, `a password on a command line: ${c}`);
  const deletes = r.calls.filter((c) => c.includes("--delete-config"));
  assert.equal(deletes.map((c) => / --entity-name (\S+) --delete-config (\S+)/.exec(c)?.slice(1).join(" ")).sort(), [
    "alice SCRAM-SHA-256",
    "mallory SCRAM-SHA-512",
  ]);
  assert.not.ok(
    r.calls.some((c) => c.startsWith("kafka-acls.sh")),
    "no authorizer: ACLs untouched",
  );
});

t("a password kafka-configs would cut short is refused with the user's name", async () => {
  const r = await sync({ users: { carol: "a,b=c" }, mechanism: "SCRAM-SHA-512", current: { users: "" } });
  assert.is.not(r.exitCode, 0);
  assert.match(r.stderr, /the password of SCRAM user carol contains ',', '=', '\[' or '\]'/);
  assert.is(r.configFiles, "");
});

t("ACLs: what the values lack is removed, what Kafka lacks is added, the rest is left alone; '*' reaches kafka-acls as it is", async () => {
  const current = [
    "Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, patternType=PREFIXED)`: ",
    " \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)",
    " \t(principal=User:mallory, host=*, operation=WRITE, permissionType=ALLOW)",
    "",
    "Current ACLs for resource `ResourcePattern(resourceType=GROUP, name=*, patternType=LITERAL)`: ",
    " \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)",
    "",
  ].join("\n");
  const desired = [
    "TOPIC|orders|PREFIXED|User:alice|*|READ|ALLOW",
    "GROUP|*|LITERAL|User:alice|*|READ|ALLOW",
    "CLUSTER|kafka-cluster|LITERAL|User:alice|*|IDEMPOTENT_WRITE|ALLOW",
    "TRANSACTIONAL_ID|tx-|PREFIXED|User:bob|10.0.0.1|WRITE|DENY",
  ].join("\n");
  const r = await sync({ users: {}, mechanism: "", current: { users: "", acls: current }, desired });
  assert.is(r.exitCode, 0, r.stderr);
  const acls = r.calls.filter((c) => c.startsWith("kafka-acls.sh") && !c.includes("--list"));
  const args = (c: string): string => c.replace(/ --bootstrap-server \S+ --command-config \S+$/, "");
  assert.equal(acls.map(args).sort(), [
    "kafka-acls.sh --add --cluster --resource-pattern-type literal --allow-principal User:alice --allow-host * --operation IdempotentWrite",
    "kafka-acls.sh --add --transactional-id tx- --resource-pattern-type prefixed --deny-principal User:bob --deny-host 10.0.0.1 --operation Write",
    "kafka-acls.sh --remove --force --topic orders --resource-pattern-type prefixed --allow-principal User:mallory --allow-host * --operation Write",
  ]);
  assert.match(r.stderr, /ACLs: 4 declared, 2 added, 1 removed/);
});

t.run();
