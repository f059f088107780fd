// test/fixtures/scenarios/k3d-local.yaml is rendered by the unit tier as "what npm run up and the
// e2e suite install": it must stay what scripts/env/release.ts installs on the local cluster (the
// node ports k3d publishes, the advertised host, the Kafka version), not a copy that drifts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { BOOTSTRAP, EXTERNAL_BASE_PORT, localValues } from "../../scripts/env/release.js";
import { NODE_PORTS } from "../../scripts/env/cluster/k3d.js";
import { chartDir } from "../helpers/render.js";

const read = (file: string): Record<string, any> => parse(readFileSync(join(chartDir, file), "utf8")) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test("the k3d-local fixture is the release scripts/env/release.ts installs", () => {
  const fixture = read("test/fixtures/scenarios/k3d-local.yaml");
  const installed = localValues({ repository: fixture.image.repository, tag: fixture.image.tag });
  assert.equal(fixture.externalAccess, installed.externalAccess);
  assert.is(fixture.image.tag, read("Chart.yaml").appVersion, "the fixture's Kafka is the chart's appVersion");
});

test("the local bootstrap addresses are the node ports the k3d cluster publishes", () => {
  assert.is(EXTERNAL_BASE_PORT, NODE_PORTS.first);
  assert.equal(BOOTSTRAP, ["127.0.0.1:31090", "127.0.0.1:31091", "127.0.0.1:31092"]);
  assert.ok(NODE_PORTS.first + BOOTSTRAP.length - 1 <= NODE_PORTS.last, "every broker's port is published");
});

test.run();
