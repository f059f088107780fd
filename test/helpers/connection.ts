// How the suite's clients reach the brokers: plaintext by default. A scenario on a secured release
// (T1) calls useTls once; from then on every kafkajs client of its process (the harness traffic,
// the admin probe, kafkajs with its defaults) and the Java clients' pod connect over TLS, trusting
// the release's CA and checking the brokers' names against the certificate, as an application does.
// Per process is per scenario file: run.ts runs each file in a process of its own.
import type { ConnectionOptions } from "node:tls";

export interface ClientTls {
  /** The CA certificate (PEM) the brokers' certificate is signed by. */
  ca: string;
  /** The Secret in the release's namespace holding it as ca.crt (mounted by the Java clients' pod). */
  secretName: string;
}

let tls: ClientTls | undefined;

export function useTls(settings: ClientTls): void {
  tls = settings;
}

export function clientTls(): ClientTls | undefined {
  return tls;
}

/** The `ssl` option of a kafkajs client: absent for plaintext. */
export function kafkajsSsl(): { ssl?: ConnectionOptions } {
  return tls ? { ssl: { ca: [tls.ca] } } : {};
}
