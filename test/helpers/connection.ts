// How the suite's clients reach the brokers: plaintext by default. A scenario on a secured release
// (T1, T2) calls useSecurity once; from then on every kafkajs client of its process (the harness
// traffic, the admin probe, kafkajs with its defaults), the Java clients' pod and the admin tools
// run in broker pods connect as that release requires: TLS trusting the release's CA with the
// brokers' names checked, as an application does, and with SASL as the suite's user (SCRAM or PLAIN).
// Per process is per scenario file: run.ts runs each file in a process of its own.
import type { SASLOptions } from "kafkajs";
import type { ConnectionOptions } from "node:tls";

export interface SaslUser {
  mechanism: "SCRAM-SHA-512" | "SCRAM-SHA-256" | "PLAIN";
  username: string;
  password: string;
}

export interface ClientSecurity {
  /** The CA certificate (PEM) the brokers' certificate is signed by. */
  ca: string;
  /** The Secret in the release's namespace holding it as ca.crt (mounted by the Java clients' pod). */
  secretName: string;
  /** SASL on the client and external listeners: the user the suite's clients log in as. */
  sasl?: SaslUser;
}

let security: ClientSecurity | undefined;

export function useSecurity(settings: ClientSecurity | undefined): void {
  security = settings;
}

export function clientSecurity(): ClientSecurity | undefined {
  return security;
}

/** kafkajs' SASL option for a user. */
export function kafkajsSasl(user: SaslUser): SASLOptions {
  const { username, password } = user;
  if (user.mechanism === "PLAIN") return { mechanism: "plain", username, password };
  return { mechanism: user.mechanism === "SCRAM-SHA-512" ? "scram-sha-512" : "scram-sha-256", username, password };
}

/** The `ssl` and `sasl` options of a kafkajs client: none for plaintext. */
export function kafkajsSecurity(): { ssl?: ConnectionOptions; sasl?: SASLOptions } {
  if (!security) return {};
  return { ssl: { ca: [security.ca] }, ...(security.sasl ? { sasl: kafkajsSasl(security.sasl) } : {}) };
}

/** A Java client's security settings, one properties line each (what an application writes). */
export function javaClientProperties(caFile: string): string[] {
  if (!security) return [];
  const tls = ["ssl.truststore.type=PEM", `ssl.truststore.location=${caFile}`];
  const s = security.sasl;
  if (!s) return ["security.protocol=SSL", ...tls];
  return [
    "security.protocol=SASL_SSL",
    `sasl.mechanism=${s.mechanism}`,
    `sasl.jaas.config=org.apache.kafka.common.security.${s.mechanism === "PLAIN" ? "plain.PlainLoginModule" : "scram.ScramLoginModule"} required username="${s.username}" password="${s.password}";`,
    ...tls,
  ];
}
