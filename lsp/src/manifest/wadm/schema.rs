//! The published wadm application schema (`lsp/schemas/wadm-oam.schema.json`, copied from
//! wadm unchanged), with what wadm's own deserialisation accepts or checks on top of it
//! written into the loaded copy:
//!
//! * a trait's `properties` are checked by its `type` (`link` → `LinkProperty`,
//!   `spreadscaler`/`daemonscaler` → `SpreadScalerProperty`); the schema alone accepts any
//!   properties (`TraitProperty` ends in `true`), where wadm rejects a malformed link or scaler;
//! * a link's `target` may be a bare component name, as wadm's deserialiser allows;
//! * a scaler's `instances` may be spelt `replicas`, and a component's `type` `actor`
//!   (serde aliases);
//! * trait types, `apiVersion` and `kind` get the usual values as `examples` for completion.

use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::manifest::schema::Schema;

const PUBLISHED: &str = include_str!("../../../schemas/wadm-oam.schema.json");

/// The trait types wadm knows (it also accepts custom ones).
pub(crate) const TRAIT_TYPES: [&str; 3] = ["spreadscaler", "daemonscaler", "link"];

pub(crate) fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| Schema::new(patched()))
}

/// The published schema with wadm's additions; see the module documentation.
fn patched() -> Value {
    let mut schema: Value = serde_json::from_str(PUBLISHED).expect("the bundled wadm schema is JSON");
    // Sets `key` of the object at `pointer` (which the published schema must have).
    let set = |schema: &mut Value, pointer: &str, value: Value| {
        let (parent, key) = pointer.rsplit_once('/').expect("pointers have a key");
        schema
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("the wadm schema has no object at `{parent}`"))
            .insert(key.to_string(), value);
    };
    set(
        &mut schema,
        "/properties/apiVersion/examples",
        json!(["core.oam.dev/v1beta1"]),
    );
    set(&mut schema, "/properties/kind/examples", json!(["Application"]));
    set(
        &mut schema,
        "/definitions/Component/oneOf/0/properties/type/enum",
        json!(["component", "actor"]),
    );
    set(
        &mut schema,
        "/definitions/Trait/properties/type/examples",
        json!(TRAIT_TYPES),
    );
    set(
        &mut schema,
        "/definitions/Trait/properties/properties",
        json!({ "description": "The properties of this trait" }),
    );
    set(
        &mut schema,
        "/definitions/Trait/allOf",
        json!([
            {
                "if": { "required": ["type"], "properties": { "type": { "const": "link" } } },
                "then": { "properties": { "properties": { "$ref": "#/definitions/LinkProperty" } } },
            },
            {
                "if": {
                    "required": ["type"],
                    "properties": { "type": { "enum": ["spreadscaler", "daemonscaler"] } },
                },
                "then": { "properties": { "properties": { "$ref": "#/definitions/SpreadScalerProperty" } } },
            },
        ]),
    );
    set(
        &mut schema,
        "/definitions/LinkProperty/properties/target",
        json!({
            "description": "The component this link targets: its name, or its name with configuration and secrets for the target",
            "anyOf": [
                { "type": "string", "description": "The name of the component this link targets" },
                { "$ref": "#/definitions/TargetConfig" },
            ],
        }),
    );
    set(
        &mut schema,
        "/definitions/SpreadScalerProperty/properties/replicas",
        json!({
            "description": "Another name for `instances`",
            "type": "integer",
            "minimum": 0,
        }),
    );
    let scaler = schema
        .pointer_mut("/definitions/SpreadScalerProperty")
        .and_then(Value::as_object_mut)
        .expect("the wadm schema defines SpreadScalerProperty");
    scaler.remove("required");
    scaler.insert(
        "anyOf".into(),
        json!([{ "required": ["instances"] }, { "required": ["replicas"] }]),
    );
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_schema_is_the_published_one_and_compiles_patched() {
        let published: Value = serde_json::from_str(PUBLISHED).unwrap();
        assert_eq!(published["title"], "Manifest");
        assert_eq!(published["definitions"]["TraitProperty"]["anyOf"][2], json!(true));
        let schema = schema();
        let valid = json!({
            "apiVersion": "core.oam.dev/v1beta1",
            "kind": "Application",
            "metadata": { "name": "x", "annotations": { "version": "v0.1.0" } },
            "spec": { "components": [
                { "name": "a", "type": "actor", "properties": { "image": "r/a:1" },
                  "traits": [
                      { "type": "link", "properties": { "target": "b", "namespace": "wasi", "package": "http", "interfaces": ["outgoing-handler"] } },
                      { "type": "spreadscaler", "properties": { "replicas": 1 } },
                      { "type": "custom", "properties": { "anything": [1] } },
                  ] },
                { "name": "b", "type": "capability", "properties": { "image": "r/b:1" } },
            ] },
        });
        assert!(schema.validator().is_valid(&valid));
        let mut bad_link = valid.clone();
        bad_link["spec"]["components"][0]["traits"][0]["properties"]
            .as_object_mut()
            .unwrap()
            .remove("namespace");
        assert!(!schema.validator().is_valid(&bad_link));
        let mut no_instances = valid;
        no_instances["spec"]["components"][0]["traits"][1]["properties"] = json!({});
        assert!(!schema.validator().is_valid(&no_instances));
    }
}
