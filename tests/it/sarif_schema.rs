//! The SARIF of the shipped examples against the SARIF 2.1.0 JSON schema (OASIS Committee
//! Specification, `sarif-schema-2.1.0.json` in github.com/oasis-tcs/sarif-spec,
//! `Documents/CommitteeSpecifications/2.1.0/`), and the rules' help links (SPEC §12).
//!
//! The schema itself is not vendored: [`definition`] restates, for every SARIF object our logs
//! can hold, what the schema says of it: its properties (each object is
//! `"additionalProperties": false`, so any other key is invalid), the required ones, enums,
//! integer minimums, `uniqueItems`, and the `uri` / `uri-reference` formats. A property the
//! schema allows but Covenant never writes is accepted without a look inside.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use serde_json::Value;

use crate::common::covenant;

/// What the schema says a value is.
#[derive(Clone, Copy)]
enum Ty {
    /// `#/definitions/NAME`.
    Def(&'static str),
    Str,
    /// `"format": "uri"`: an absolute URI.
    Uri,
    /// `"format": "uri-reference"`.
    UriRef,
    /// `"type": "integer"` with its `minimum`.
    Int(i64),
    Bool,
    /// `"type": "number"` between bounds.
    Number(f64, f64),
    Enum(&'static [&'static str]),
    /// An array of `Ty`, `uniqueItems` or not.
    Array(&'static Ty, bool),
    /// An object whose values are strings (`partialFingerprints`).
    StrMap,
    /// A property the schema defines but Covenant never writes: not looked into.
    Unchecked,
}

const LEVELS: &[&str] = &["none", "note", "warning", "error"];

/// A definition: its properties, the required ones, and `anyOf` lists of required ones.
struct Def {
    props: &'static [(&'static str, Ty)],
    required: &'static [&'static str],
    any_of: &'static [&'static str],
}

const U: Ty = Ty::Unchecked;
const MMS: Ty = Ty::Def("multiformatMessageString");
const BAG: Ty = Ty::Def("propertyBag");

fn definition(name: &str) -> Def {
    let d = |props, required, any_of| Def {
        props,
        required,
        any_of,
    };
    match name {
        "sarifLog" => d(
            &[
                ("$schema", Ty::Uri),
                ("version", Ty::Enum(&["2.1.0"])),
                ("runs", Ty::Array(&Ty::Def("run"), false)),
                ("inlineExternalProperties", U),
                ("properties", BAG),
            ],
            &["version", "runs"],
            &[],
        ),
        "run" => d(
            &[
                ("tool", Ty::Def("tool")),
                ("invocations", U),
                ("conversion", U),
                ("language", U),
                ("versionControlProvenance", U),
                ("originalUriBaseIds", U),
                ("artifacts", U),
                ("logicalLocations", U),
                ("graphs", U),
                ("results", Ty::Array(&Ty::Def("result"), false)),
                ("automationDetails", U),
                ("runAggregates", U),
                ("baselineGuid", U),
                ("redactionTokens", U),
                ("defaultEncoding", U),
                ("defaultSourceLanguage", U),
                ("newlineSequences", U),
                (
                    "columnKind",
                    Ty::Enum(&["utf16CodeUnits", "unicodeCodePoints"]),
                ),
                ("externalPropertyFileReferences", U),
                ("threadFlowLocations", U),
                ("taxonomies", U),
                ("addresses", U),
                ("translations", U),
                ("policies", U),
                ("webRequests", U),
                ("webResponses", U),
                ("specialLocations", U),
                ("properties", BAG),
            ],
            &["tool"],
            &[],
        ),
        "tool" => d(
            &[
                ("driver", Ty::Def("toolComponent")),
                ("extensions", U),
                ("properties", BAG),
            ],
            &["driver"],
            &[],
        ),
        "toolComponent" => d(
            &[
                ("guid", U),
                ("name", Ty::Str),
                ("organization", Ty::Str),
                ("product", Ty::Str),
                ("productSuite", Ty::Str),
                ("shortDescription", MMS),
                ("fullDescription", MMS),
                ("fullName", Ty::Str),
                ("version", Ty::Str),
                ("semanticVersion", Ty::Str),
                ("dottedQuadFileVersion", U),
                ("releaseDateUtc", Ty::Str),
                ("downloadUri", Ty::Uri),
                ("informationUri", Ty::Uri),
                ("globalMessageStrings", U),
                ("notifications", U),
                ("rules", Ty::Array(&Ty::Def("reportingDescriptor"), true)),
                ("taxa", U),
                ("locations", U),
                ("language", U),
                ("contents", U),
                ("isComprehensive", Ty::Bool),
                ("localizedDataSemanticVersion", Ty::Str),
                ("minimumRequiredLocalizedDataSemanticVersion", Ty::Str),
                ("associatedComponent", U),
                ("translationMetadata", U),
                ("supportedTaxonomies", U),
                ("properties", BAG),
            ],
            &["name"],
            &[],
        ),
        "reportingDescriptor" => d(
            &[
                ("id", Ty::Str),
                ("deprecatedIds", U),
                ("guid", U),
                ("deprecatedGuids", U),
                ("name", Ty::Str),
                ("deprecatedNames", U),
                ("shortDescription", MMS),
                ("fullDescription", MMS),
                ("messageStrings", U),
                ("defaultConfiguration", Ty::Def("reportingConfiguration")),
                ("helpUri", Ty::Uri),
                ("help", MMS),
                ("relationships", U),
                ("properties", BAG),
            ],
            &["id"],
            &[],
        ),
        "reportingConfiguration" => d(
            &[
                ("enabled", Ty::Bool),
                ("level", Ty::Enum(LEVELS)),
                ("rank", Ty::Number(-1.0, 100.0)),
                ("parameters", BAG),
                ("properties", BAG),
            ],
            &[],
            &[],
        ),
        "multiformatMessageString" => d(
            &[
                ("text", Ty::Str),
                ("markdown", Ty::Str),
                ("properties", BAG),
            ],
            &["text"],
            &[],
        ),
        "message" => d(
            &[
                ("text", Ty::Str),
                ("markdown", Ty::Str),
                ("id", Ty::Str),
                ("arguments", U),
                ("properties", BAG),
            ],
            &[],
            &["text", "id"],
        ),
        "result" => d(
            &[
                ("ruleId", Ty::Str),
                ("ruleIndex", Ty::Int(-1)),
                ("rule", U),
                (
                    "kind",
                    Ty::Enum(&[
                        "notApplicable",
                        "pass",
                        "fail",
                        "review",
                        "open",
                        "informational",
                    ]),
                ),
                ("level", Ty::Enum(LEVELS)),
                ("message", Ty::Def("message")),
                ("analysisTarget", Ty::Def("artifactLocation")),
                ("locations", Ty::Array(&Ty::Def("location"), false)),
                ("guid", U),
                ("correlationGuid", U),
                ("occurrenceCount", Ty::Int(1)),
                ("partialFingerprints", Ty::StrMap),
                ("fingerprints", Ty::StrMap),
                ("stacks", U),
                ("codeFlows", U),
                ("graphs", U),
                ("graphTraversals", U),
                ("relatedLocations", Ty::Array(&Ty::Def("location"), true)),
                ("suppressions", U),
                ("baselineState", U),
                ("rank", Ty::Number(-1.0, 100.0)),
                ("attachments", U),
                ("hostedViewerUri", Ty::Uri),
                ("workItemUris", U),
                ("provenance", U),
                ("fixes", U),
                ("taxa", U),
                ("webRequest", U),
                ("webResponse", U),
                ("properties", BAG),
            ],
            &["message"],
            &[],
        ),
        "location" => d(
            &[
                ("id", Ty::Int(-1)),
                ("physicalLocation", Ty::Def("physicalLocation")),
                ("logicalLocations", U),
                ("message", Ty::Def("message")),
                ("annotations", U),
                ("relationships", U),
                ("properties", BAG),
            ],
            &[],
            &[],
        ),
        "physicalLocation" => d(
            &[
                ("address", U),
                ("artifactLocation", Ty::Def("artifactLocation")),
                ("region", Ty::Def("region")),
                ("contextRegion", Ty::Def("region")),
                ("properties", BAG),
            ],
            &[],
            &["address", "artifactLocation"],
        ),
        "artifactLocation" => d(
            &[
                ("uri", Ty::UriRef),
                ("uriBaseId", Ty::Str),
                ("index", Ty::Int(-1)),
                ("description", Ty::Def("message")),
                ("properties", BAG),
            ],
            &[],
            &[],
        ),
        "region" => d(
            &[
                ("startLine", Ty::Int(1)),
                ("startColumn", Ty::Int(1)),
                ("endLine", Ty::Int(1)),
                ("endColumn", Ty::Int(1)),
                ("charOffset", Ty::Int(-1)),
                ("charLength", Ty::Int(0)),
                ("byteOffset", Ty::Int(-1)),
                ("byteLength", Ty::Int(0)),
                ("snippet", U),
                ("message", Ty::Def("message")),
                ("sourceLanguage", Ty::Str),
                ("properties", BAG),
            ],
            &[],
            &[],
        ),
        other => panic!("no definition `{other}`"),
    }
}

/// `scheme:rest`, RFC 3986's scheme, no white space or control characters.
fn is_absolute_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut cs = scheme.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic())
        && cs.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && is_uri_reference(s)
}

fn is_uri_reference(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\\<>\"{}|^`".contains(c))
}

/// The schema's errors for `v` as a `ty` at `path`.
fn check(v: &Value, ty: Ty, path: &str, errors: &mut Vec<String>) {
    let mut fail = |what: &str| errors.push(format!("{path}: {what}"));
    match ty {
        Ty::Unchecked => {}
        Ty::Str => {
            if !v.is_string() {
                fail("not a string");
            }
        }
        Ty::Uri => match v.as_str() {
            Some(s) if is_absolute_uri(s) => {}
            _ => fail(&format!("not an absolute URI: {v}")),
        },
        Ty::UriRef => match v.as_str() {
            Some(s) if is_uri_reference(s) => {}
            _ => fail(&format!("not a URI reference: {v}")),
        },
        Ty::Int(min) => match v.as_i64() {
            Some(n) if n >= min => {}
            _ => fail(&format!("not an integer >= {min}: {v}")),
        },
        Ty::Bool => {
            if !v.is_boolean() {
                fail("not a boolean");
            }
        }
        Ty::Number(lo, hi) => match v.as_f64() {
            Some(n) if (lo..=hi).contains(&n) => {}
            _ => fail(&format!("not a number in [{lo}, {hi}]")),
        },
        Ty::Enum(values) => match v.as_str() {
            Some(s) if values.contains(&s) => {}
            _ => fail(&format!("{v} is not one of {values:?}")),
        },
        Ty::StrMap => match v.as_object() {
            Some(m) if m.values().all(Value::is_string) => {}
            _ => fail("not an object of strings"),
        },
        Ty::Array(item, unique) => {
            let Some(items) = v.as_array() else {
                return fail("not an array");
            };
            if unique {
                for (i, x) in items.iter().enumerate() {
                    if items[..i].contains(x) {
                        fail(&format!("item {i} repeats an earlier one (uniqueItems)"));
                    }
                }
            }
            for (i, x) in items.iter().enumerate() {
                check(x, *item, &format!("{path}[{i}]"), errors);
            }
        }
        Ty::Def("propertyBag") => match v.as_object() {
            // `additionalProperties: true`; only `tags` has a shape.
            Some(m) => {
                if let Some(tags) = m.get("tags") {
                    check(
                        tags,
                        Ty::Array(&Ty::Str, true),
                        &format!("{path}.tags"),
                        errors,
                    );
                }
            }
            None => fail("not an object"),
        },
        Ty::Def(name) => {
            let Some(m) = v.as_object() else {
                return fail(&format!("not an object ({name})"));
            };
            let def = definition(name);
            for (k, x) in m {
                match def.props.iter().find(|(p, _)| p == k) {
                    Some((_, t)) => check(x, *t, &format!("{path}.{k}"), errors),
                    None => errors.push(format!("{path}: `{k}` is not a property of {name}")),
                }
            }
            for r in def.required {
                if !m.contains_key(*r) {
                    errors.push(format!("{path}: {name} requires `{r}`"));
                }
            }
            if !def.any_of.is_empty() && !def.any_of.iter().any(|k| m.contains_key(*k)) {
                errors.push(format!("{path}: {name} needs one of {:?}", def.any_of));
            }
        }
    }
}

fn schema_errors(log: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(log, Ty::Def("sarifLog"), "$", &mut errors);
    errors
}

fn sarif(args: &[&str]) -> Value {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "sarif"]);
    let (_, out, err) = covenant(&all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {err}"))
}

fn rules(log: &Value) -> &Vec<Value> {
    log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
}

/// Every descriptor whose rule cites a url has `helpUri`, the first url (SPEC §12); the others
/// have none. Returns how many have one.
fn help_links(log: &Value) -> usize {
    let mut linked = 0;
    for r in rules(log) {
        let first = r["properties"]["citations"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|c| c["url"].as_str());
        assert_eq!(r["helpUri"].as_str(), first, "helpUri of {}", r["id"]);
        linked += usize::from(first.is_some());
    }
    linked
}

#[test]
fn the_examples_sarif_is_valid_sarif_2_1_0_with_help_links() {
    let log = sarif(&["-p", "examples/policies", "examples/deals"]);
    assert_eq!(schema_errors(&log), Vec::<String>::new());
    assert!(help_links(&log) >= 3, "{}", help_links(&log));
}

#[test]
fn the_north_america_sarif_is_valid_sarif_2_1_0_with_help_links() {
    let log = sarif(&[
        "-p",
        "examples/north-america",
        "examples/north-america/deals",
    ]);
    assert_eq!(schema_errors(&log), Vec::<String>::new());
    assert!(help_links(&log) >= 1, "{}", help_links(&log));
}

#[test]
fn the_canada_sarif_is_valid_sarif_2_1_0_with_help_links() {
    let log = sarif(&["-p", "examples/canada", "examples/canada/deals"]);
    assert_eq!(schema_errors(&log), Vec::<String>::new());
    assert!(help_links(&log) >= 2, "{}", help_links(&log));
}

/// The checker itself: it finds what the schema forbids.
#[test]
fn the_checker_rejects_what_the_schema_rejects() {
    let log = sarif(&["-p", "examples/policies", "examples/deals"]);
    let bad = |f: &dyn Fn(&mut Value)| {
        let mut v = log.clone();
        f(&mut v);
        schema_errors(&v)
    };
    let rule = "/runs/0/tool/driver/rules/0";
    assert!(!bad(&|v| v["version"] = "2.2".into()).is_empty());
    assert!(!bad(&|v| v.pointer_mut(rule).unwrap()["helpUri"] = "no scheme".into()).is_empty());
    assert!(!bad(&|v| v.pointer_mut(rule).unwrap()["cite"] = "x".into()).is_empty());
    assert!(!bad(&|v| {
        v.pointer_mut(rule)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove("id");
    })
    .is_empty());
    assert!(!bad(&|v| v["runs"][0]["results"][0]["level"] = "fatal".into()).is_empty());
    assert!(!bad(&|v| {
        let region = "/runs/0/results/0/locations/0/physicalLocation/region";
        v.pointer_mut(region).unwrap()["startLine"] = 0.into();
    })
    .is_empty());
    assert!(!bad(&|v| {
        let rules = v.pointer_mut("/runs/0/tool/driver/rules").unwrap();
        let first = rules[0].clone();
        rules.as_array_mut().unwrap().push(first);
    })
    .is_empty());
}
