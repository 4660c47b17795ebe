/**
 * The shape of `terraform providers schema -json`, and how to walk it alongside a value.
 * Pure: the state builder uses it to give every value known only after apply an empty
 * value of the type the provider declares, and the schema version the provider expects.
 */

/** A cty type as Terraform prints it: `"string"`, `["list", "string"]`, `["object", {...}]`... */
export type CtyType = string | [string, CtyType | Record<string, CtyType> | CtyType[]];

export interface SchemaAttribute {
  readonly type?: CtyType;
  /** Nested attribute types (plugin protocol 6); present instead of `type`. */
  readonly nested_type?: NestedAttributeType;
  readonly computed?: boolean;
  readonly optional?: boolean;
  readonly sensitive?: boolean;
}

export interface NestedAttributeType {
  readonly attributes: Readonly<Record<string, SchemaAttribute>>;
  readonly nesting_mode: "single" | "list" | "set" | "map";
}

export interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, SchemaAttribute>>;
  readonly block_types?: Readonly<Record<string, SchemaBlockType>>;
}

export interface SchemaBlockType {
  readonly nesting_mode: "single" | "group" | "list" | "set" | "map";
  readonly block: SchemaBlock;
}

export interface ResourceSchema {
  readonly version: number;
  readonly block: SchemaBlock;
}

export interface ProviderSchema {
  readonly resource_schemas: Readonly<Record<string, ResourceSchema>>;
  readonly data_source_schemas: Readonly<Record<string, ResourceSchema>>;
}

/** The part of `terraform providers schema -json` this library reads. */
export interface ProviderSchemasJson {
  readonly provider_schemas: Readonly<Record<string, ProviderSchema>>;
}

/**
 * Where a value sits in a schema: a block (object of attributes and nested blocks), a
 * collection of blocks, a plain cty type, or a nested attribute type.
 */
export type SchemaNode =
  | { readonly kind: "block"; readonly block: SchemaBlock }
  | { readonly kind: "blocks"; readonly block: SchemaBlock; readonly nesting: "list" | "set" | "map" }
  | { readonly kind: "type"; readonly type: CtyType }
  | { readonly kind: "nested"; readonly nested: NestedAttributeType }
  | { readonly kind: "unknown" };

const UNKNOWN_NODE: SchemaNode = { kind: "unknown" };

/** The schema of one resource or data source type; throws naming the type when the provider has none. */
export function resourceSchema(schemas: ProviderSchemasJson, providerName: string, mode: "managed" | "data", type: string): ResourceSchema {
  const provider = schemas.provider_schemas[providerName];
  const found = provider && (mode === "managed" ? provider.resource_schemas : provider.data_source_schemas)[type];
  if (!found) {
    throw new Error(
      `provider ${providerName} has no ${mode === "managed" ? "resource" : "data source"} type "${type}": ` +
        "the synthesized configuration and the provider in the mirror disagree; use the provider version the bindings were generated for",
    );
  }
  return found;
}

function attributeNode(attribute: SchemaAttribute): SchemaNode {
  if (attribute.nested_type) return { kind: "nested", nested: attribute.nested_type };
  if (attribute.type !== undefined) return { kind: "type", type: attribute.type };
  return UNKNOWN_NODE;
}

function blockMember(block: SchemaBlock, key: string): SchemaNode {
  const attribute = block.attributes?.[key];
  if (attribute) return attributeNode(attribute);
  const blockType = block.block_types?.[key];
  if (!blockType) return UNKNOWN_NODE;
  if (blockType.nesting_mode === "single" || blockType.nesting_mode === "group") return { kind: "block", block: blockType.block };
  return { kind: "blocks", block: blockType.block, nesting: blockType.nesting_mode };
}

/** The schema of `value[key]` (an attribute, a block, a map entry or a list element) where `value` has schema `node`. */
export function childNode(node: SchemaNode, key: string | number): SchemaNode {
  switch (node.kind) {
    case "block":
      return typeof key === "string" ? blockMember(node.block, key) : UNKNOWN_NODE;
    case "blocks":
      return { kind: "block", block: node.block };
    case "nested":
      if (node.nested.nesting_mode === "single") {
        const attribute = typeof key === "string" ? node.nested.attributes[key] : undefined;
        return attribute ? attributeNode(attribute) : UNKNOWN_NODE;
      }
      return { kind: "block", block: { attributes: node.nested.attributes } };
    case "type":
      return typeChild(node.type, key);
    default:
      return UNKNOWN_NODE;
  }
}

function typeChild(type: CtyType, key: string | number): SchemaNode {
  if (!Array.isArray(type)) return UNKNOWN_NODE;
  const [kind, inner] = type;
  if (kind === "list" || kind === "set" || kind === "map") return { kind: "type", type: inner as CtyType };
  if (kind === "object") {
    const member = (inner as Record<string, CtyType>)[String(key)];
    return member === undefined ? UNKNOWN_NODE : { kind: "type", type: member };
  }
  if (kind === "tuple" && typeof key === "number") {
    const member = (inner as CtyType[])[key];
    return member === undefined ? UNKNOWN_NODE : { kind: "type", type: member };
  }
  return UNKNOWN_NODE;
}

/** Whether a value with this schema is a map, whose keys are indexes rather than attribute names. */
export function isMapNode(node: SchemaNode): boolean {
  if (node.kind === "blocks") return node.nesting === "map";
  if (node.kind === "nested") return node.nested.nesting_mode === "map";
  return node.kind === "type" && Array.isArray(node.type) && node.type[0] === "map";
}

/** The primitive type name at a node ("string", "number", "bool"), if it is one. */
export function primitiveOf(node: SchemaNode): "string" | "number" | "bool" | undefined {
  if (node.kind !== "type" || Array.isArray(node.type)) return undefined;
  return node.type === "string" || node.type === "number" || node.type === "bool" ? node.type : undefined;
}

/**
 * A typed empty value: what an attribute the provider fills in on apply holds when
 * nothing more specific is known. Collections are empty, not null, because a provider
 * reads back an empty collection and null would be planned as a change.
 */
export function emptyValue(node: SchemaNode): unknown {
  switch (node.kind) {
    case "blocks":
      return node.nesting === "map" ? {} : [];
    case "block":
      return null;
    case "nested":
      if (node.nested.nesting_mode === "single") return null;
      return node.nested.nesting_mode === "map" ? {} : [];
    case "type":
      return emptyOfType(node.type);
    default:
      return null;
  }
}

function emptyOfType(type: CtyType): unknown {
  if (!Array.isArray(type)) {
    if (type === "string") return "";
    if (type === "number") return 0;
    if (type === "bool") return false;
    return null;
  }
  const [kind, inner] = type;
  if (kind === "list" || kind === "set") return [];
  if (kind === "map") return {};
  if (kind === "object") {
    return Object.fromEntries(Object.entries(inner as Record<string, CtyType>).map(([k, t]) => [k, emptyOfType(t)]));
  }
  if (kind === "tuple") return (inner as CtyType[]).map(emptyOfType);
  return null;
}
