//! Validating JSON values against the schemas of a spec, with OpenAPI 3.0 semantics, using
//! the `jsonschema` crate. Used to check every example of a spec, and by
//! the sandbox's tests to check every response it sends.
//!
//! OpenAPI 3.0 schemas are a dialect of JSON Schema draft 4/5; the differences that matter
//! for our specs are translated here: `nullable: true` becomes a `null` type, `$ref`s to
//! `#/components/...` resolve inside the spec, and our own formats are checked
//! (`digicert-datetime`, `digicert-api-key`) next to the standard ones (`email`, ...).

use serde_json::{Map, Value, json};

use crate::Spec;
use crate::rules::{API_KEY_FORMAT, DIGICERT_DATETIME_FORMAT, is_digicert_datetime};
use crate::tree::resolve;

/// Validates values against schemas of one spec.
#[derive(Debug, Clone)]
pub struct SchemaValidator {
    /// The spec's `components`, translated to JSON Schema.
    components: Value,
    /// The spec as parsed, for finding operations and responses.
    raw: Value,
}

impl SchemaValidator {
    /// A validator for `spec`.
    pub fn new(spec: &Spec) -> Self {
        let components = spec
            .raw
            .get("components")
            .map(translate)
            .unwrap_or(json!({}));
        Self {
            components,
            raw: spec.raw.clone(),
        }
    }

    /// Validates `instance` against an OpenAPI `schema` of this spec (inline, or a
    /// `$ref` into `#/components`). Each problem reads `<instance path>: <message>`.
    pub fn validate(&self, schema: &Value, instance: &Value) -> Result<(), Vec<String>> {
        // The schema sits next to the components it may refer to, in one document.
        let document = json!({
            "allOf": [translate(schema)],
            "components": self.components,
        });
        let validator = jsonschema::draft4::options()
            .should_validate_formats(true)
            .with_format(DIGICERT_DATETIME_FORMAT, is_digicert_datetime)
            .with_format(API_KEY_FORMAT, |key: &str| {
                !key.is_empty() && key.chars().all(|c| c.is_ascii_graphic())
            })
            .build(&document)
            .map_err(|e| vec![format!("the schema itself is not valid: {e}")])?;
        let problems: Vec<String> = validator
            .iter_errors(instance)
            .map(|error| {
                let path = error.instance_path().to_string();
                format!(
                    "{}: {error}",
                    if path.is_empty() { "(root)" } else { &path }
                )
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Validates a response body of operation `operation_id` with HTTP `status` against
    /// what the spec documents: the status must be documented, a body with content must
    /// match the JSON schema, and a response without content must have no body.
    pub fn validate_response(
        &self,
        operation_id: &str,
        status: u16,
        body: Option<&Value>,
    ) -> Result<(), Vec<String>> {
        let op = self
            .operation(operation_id)
            .ok_or_else(|| vec![format!("no operation `{operation_id}` in the spec")])?;
        let response = op
            .get("responses")
            .and_then(|r| r.get(status.to_string()))
            .map(|r| self.resolve(r))
            .ok_or_else(|| {
                vec![format!(
                    "`{operation_id}` does not document status {status}"
                )]
            })?;
        let schema = response
            .get("content")
            .and_then(|c| c.get("application/json"))
            .and_then(|m| m.get("schema"));
        match (schema, body) {
            (Some(schema), Some(body)) => self.validate(schema, body),
            (Some(_), None) => Err(vec![format!(
                "`{operation_id}` status {status} documents a JSON body, but there was none"
            )]),
            (None, Some(body)) => Err(vec![format!(
                "`{operation_id}` status {status} documents no body, but got {body}"
            )]),
            (None, None) => Ok(()),
        }
    }

    fn operation(&self, operation_id: &str) -> Option<&Value> {
        self.raw
            .get("paths")?
            .as_object()?
            .values()
            .filter_map(Value::as_object)
            .flat_map(|item| item.values())
            .find(|op| op.get("operationId").and_then(Value::as_str) == Some(operation_id))
    }

    /// Follows one local `$ref`, if `node` is one.
    fn resolve<'a>(&'a self, node: &'a Value) -> &'a Value {
        resolve(&self.raw, node)
    }
}

/// Translates OpenAPI 3.0 schema keywords into JSON Schema draft 4, recursively:
/// `nullable: true` adds `null` to `type` (and to `enum`); examples and `x-` extensions,
/// which are data rather than keywords, are dropped.
pub fn translate(node: &Value) -> Value {
    match node {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match key.as_str() {
                    "example" | "examples" | "nullable" => {}
                    k if k.starts_with("x-") => {}
                    // Keys of `properties` are field names: keep them all.
                    "properties" => {
                        let fields = value
                            .as_object()
                            .map(|f| f.iter().map(|(k, v)| (k.clone(), translate(v))).collect())
                            .unwrap_or_default();
                        out.insert(key.clone(), Value::Object(fields));
                    }
                    _ => {
                        out.insert(key.clone(), translate(value));
                    }
                }
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([t, "null"]));
                } else if !out.contains_key("type") {
                    // `nullable: true` beside `allOf: [$ref]` (no `type` of its own): null or
                    // whatever the rest of the schema allows.
                    return json!({"anyOf": [{"type": "null"}, Value::Object(out)]});
                }
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(translate).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        crate::parse(
            "test.yaml",
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /x:
    get:
      operationId: get_x
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/X'}
        '204': {description: none}
components:
  schemas:
    X:
      type: object
      required: [id, when]
      properties:
        id: {type: integer}
        when: {type: string, format: digicert-datetime}
        gone: {type: string, nullable: true}
        mail: {type: string, format: email}
"#,
        )
        .expect("test spec parses")
    }

    #[test]
    fn openapi_semantics() {
        let v = SchemaValidator::new(&spec());
        let x = json!({"$ref": "#/components/schemas/X"});
        assert_eq!(
            v.validate(
                &x,
                &json!({"id": 1, "when": "2018-11-29 18:25:04", "gone": null})
            ),
            Ok(())
        );
        let problems = v
            .validate(
                &x,
                &json!({"id": "1", "when": "2018-11-29T18:25:04Z", "mail": "nope"}),
            )
            .unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems.iter().any(|p| p.starts_with("/id:")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.starts_with("/when:")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.starts_with("/mail:")),
            "{problems:?}"
        );
        let missing = v.validate(&x, &json!({})).unwrap_err();
        assert!(
            missing
                .iter()
                .any(|p| p.contains("\"id\" is a required property")),
            "{missing:?}"
        );
    }

    #[test]
    fn responses_by_operation_and_status() {
        let v = SchemaValidator::new(&spec());
        assert_eq!(
            v.validate_response(
                "get_x",
                200,
                Some(&json!({"id": 1, "when": "2018-11-29 18:25:04"}))
            ),
            Ok(())
        );
        assert_eq!(v.validate_response("get_x", 204, None), Ok(()));
        assert!(
            v.validate_response("get_x", 204, Some(&json!({})))
                .unwrap_err()[0]
                .contains("documents no body")
        );
        assert!(v.validate_response("get_x", 200, None).unwrap_err()[0].contains("there was none"));
        assert!(
            v.validate_response("get_x", 404, None).unwrap_err()[0]
                .contains("does not document status 404")
        );
        assert!(v.validate_response("nope", 200, None).unwrap_err()[0].contains("no operation"));
    }
}
