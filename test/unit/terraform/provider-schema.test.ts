import { childNode, emptyValue, isMapNode, primitiveOf, SchemaNode } from "../../../lib/terraform/provider-schema";
import { AWS, SCHEMAS } from "./plan-fixtures";

const lt: SchemaNode = { kind: "block", block: SCHEMAS.provider_schemas[AWS].resource_schemas.aws_launch_template.block };

describe("walking a provider schema alongside a value", () => {
  test("finds attribute types, nested blocks and list elements", () => {
    expect(primitiveOf(childNode(lt, "image_id"))).toBe("string");
    const mappings = childNode(lt, "block_device_mappings");
    expect(mappings.kind).toBe("blocks");
    const iops = childNode(childNode(childNode(childNode(mappings, 0), "ebs"), 0), "iops");
    expect(primitiveOf(iops)).toBe("number");
  });

  test("an attribute the schema does not have is unknown, not an error", () => {
    expect(childNode(lt, "no_such_attribute").kind).toBe("unknown");
  });

  test("walks cty collection and object types", () => {
    const objectList: SchemaNode = { kind: "type", type: ["list", ["object", { port: "number", cidr: "string" }]] };
    expect(primitiveOf(childNode(childNode(objectList, 3), "port"))).toBe("number");
    expect(isMapNode(childNode(lt, "tags_all"))).toBe(true);
    expect(isMapNode(childNode(lt, "image_id"))).toBe(false);
  });

  test("walks nested attribute types (plugin protocol 6)", () => {
    const nested: SchemaNode = {
      kind: "nested",
      nested: { nesting_mode: "list", attributes: { weight: { type: "number" } } },
    };
    expect(primitiveOf(childNode(childNode(nested, 0), "weight"))).toBe("number");
    expect(emptyValue(nested)).toEqual([]);
  });

  test("typed empty values: empty collections, zero, false, empty string; a single block is null", () => {
    expect(emptyValue({ kind: "type", type: ["set", "string"] })).toEqual([]);
    expect(emptyValue({ kind: "type", type: ["map", "string"] })).toEqual({});
    expect(emptyValue({ kind: "type", type: "number" })).toBe(0);
    expect(emptyValue({ kind: "type", type: "bool" })).toBe(false);
    expect(emptyValue({ kind: "type", type: "string" })).toBe("");
    expect(emptyValue({ kind: "type", type: ["object", { a: "string", b: ["list", "number"] }] })).toEqual({ a: "", b: [] });
    expect(emptyValue(childNode(lt, "placement"))).toEqual([]);
    expect(emptyValue({ kind: "block", block: {} })).toBeNull();
  });
});
