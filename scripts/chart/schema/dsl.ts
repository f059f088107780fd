// A tiny builder for the chart's values schema. Every node carries its description and its
// default, so the JSON Schema, values.yaml, the TypeScript types and the README table all come
// from one declaration (scripts/chart/schema/values.ts). Objects are always closed.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface JsonSchema {
  [key: string]: Json | JsonSchema | JsonSchema[] | undefined;
  type?: string | string[];
  description?: string;
  default?: Json;
  properties?: { [key: string]: JsonSchema };
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
}

export interface Node {
  kind: "leaf" | "object";
  schema: JsonSchema;
  default: Json;
  description: string;
  /** Children of an object node, in declaration order (drives values.yaml and the README). */
  children?: { [key: string]: Node };
  /** A short hint shown in the README "allowed" column. */
  allowed: string;
}

interface Extra {
  [key: string]: Json | JsonSchema | undefined;
}

function leaf(description: string, def: Json, schema: JsonSchema, allowed: string): Node {
  return { kind: "leaf", schema: { ...schema, description, default: def }, default: def, description, allowed };
}

export function str(description: string, def: string, extra: Extra = {}, allowed = "string"): Node {
  return leaf(description, def, { type: "string", ...extra }, allowed);
}

export function int(description: string, def: number, min: number, max: number, extra: Extra = {}): Node {
  return leaf(description, def, { type: "integer", minimum: min, maximum: max, ...extra }, `integer ${min}..${max}`);
}

export function bool(description: string, def: boolean): Node {
  return leaf(description, def, { type: "boolean" }, "true / false");
}

export function oneOf(description: string, values: string[], def: string): Node {
  return leaf(description, def, { type: "string", enum: values }, values.join(" / "));
}

/** A string-keyed map whose values follow `value` (a typed, not a free-form, object). */
export function map(description: string, value: JsonSchema, def: { [key: string]: Json }, keyPattern?: string, allowed = "map"): Node {
  const schema: JsonSchema = { type: "object", additionalProperties: value };
  if (keyPattern) schema["propertyNames"] = { pattern: keyPattern };
  return leaf(description, def, schema, allowed);
}

export function list(description: string, items: JsonSchema, def: Json[], extra: Extra = {}, allowed = "list"): Node {
  return leaf(description, def, { type: "array", items, ...extra }, allowed);
}

/** Raw schema leaf (for nested Kubernetes-shaped structures such as affinity). */
export function raw(description: string, schema: JsonSchema, def: Json, allowed: string): Node {
  return leaf(description, def, schema, allowed);
}

export function obj(description: string, children: { [key: string]: Node }): Node {
  const properties: { [key: string]: JsonSchema } = {};
  const def: { [key: string]: Json } = {};
  for (const [key, child] of Object.entries(children)) {
    properties[key] = child.schema;
    def[key] = child.default;
  }
  return {
    kind: "object",
    schema: { type: "object", description, default: def, additionalProperties: false, properties },
    default: def,
    description,
    children,
    allowed: "object",
  };
}

/** Closed object schema (for raw structures), without defaults on the inner properties. */
export function closed(properties: { [key: string]: JsonSchema }, required: string[] = []): JsonSchema {
  const s: JsonSchema = { type: "object", additionalProperties: false, properties };
  if (required.length > 0) s["required"] = required;
  return s;
}
