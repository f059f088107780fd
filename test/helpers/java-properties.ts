// Reads properties text exactly as Kafka loads server.properties and client configs
// (java.util.Properties.load), with the JDK's own single-file launcher: what Java sees, not a guess.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";

/** The entries of a properties text; a line break inside a value (written as \n) comes back as a line break. */
export async function javaProperties(text: string): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-props-"));
  try {
    writeFileSync(join(dir, "loaded.properties"), text);
    writeFileSync(
      join(dir, "Load.java"),
      `import java.io.*; import java.util.*;
       public class Load { public static void main(String[] a) throws Exception {
         Properties p = new Properties();
         try (InputStream in = new FileInputStream(a[0])) { p.load(in); }
         for (String k : new TreeSet<>(p.stringPropertyNames())) System.out.println(k + "\\t" + p.getProperty(k).replace("\\\\", "\\\\\\\\").replace("\\n", "\\\\n"));
       } }`,
    );
    const out = (await execa("java", [join(dir, "Load.java"), join(dir, "loaded.properties")])).stdout;
    const unescape = (v: string): string => v.replace(/\\(\\|n)/g, (_, c: string) => (c === "n" ? "\n" : "\\"));
    return Object.fromEntries(
      out
        .split("\n")
        .map((l) => l.split("\t") as [string, string])
        .map(([k, v]) => [k, unescape(v ?? "")]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
