# shellcheck shell=bash
# pinned KEY: a value of scripts/versions.json, by a flat key or a dotted path; fails naming a key
# that is not there. The shell scripts' one reader of the pins (sourced; TypeScript's is
# scripts/lib/versions.ts).
versions_json="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/versions.json"
pinned() {
  node -e 'let x=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));for(const k of process.argv[2].split("."))x=x?.[k];if(typeof x!=="string"){console.error("scripts/versions.json has no key "+process.argv[2]);process.exit(1)}process.stdout.write(x)' "$versions_json" "$1"
}
