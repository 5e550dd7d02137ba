//! The holding structure of one deal (`POST /v1/ownership`): load it as a check would, then
//! list its entities and holdings ([`crate::ownership::Picture`]), each placed at its line
//! and column in the deal, for a diagram to draw.

use serde::Serialize;

use crate::deal::tree::Deal;
use crate::ownership::{Graph, Picture};
use crate::report::DealReport;
use crate::resolve::Policy;
use crate::source::Span;

use super::document::Document;
use super::settings::Settings;

/// The entities and holdings of a deal, as JSON shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ownership {
    /// The deal's name (`-` for a request body).
    pub deal: String,
    /// Parties first, in deal order, then the items of `entities`.
    pub entities: Vec<OwnershipEntity>,
    /// The parties' holdings of the JV (`to` is `null`), then each entity's owners.
    pub edges: Vec<OwnershipEdge>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OwnershipEntity {
    pub name: String,
    pub party: bool,
    pub kind: Option<String>,
    pub country: Option<String>,
    pub state: Option<String>,
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OwnershipEdge {
    pub from: String,
    /// The entity held; `null` for the JV itself.
    pub to: Option<String>,
    pub stake: Option<String>,
    pub voting: Option<String>,
    pub controls: bool,
    pub line: usize,
    pub column: usize,
}

/// The ownership of `document` as `policy`'s schema loads it; a deal that does not load gives
/// its `invalid` report, as [`super::Engine::check_document`] gives it.
pub fn ownership_document(
    policy: &Policy,
    settings: &Settings,
    document: Document,
) -> Result<Ownership, Box<DealReport>> {
    let loaded = super::deal::load_or_invalid(policy, settings, document)?;
    let graph = Graph::of_deal(&policy.schema, &loaded.deal);
    Ok(placed(&loaded.deal, graph.picture(&policy.schema)))
}

fn placed(deal: &Deal, picture: Picture) -> Ownership {
    let at = |span: Span| deal.line_col(span);
    Ownership {
        deal: deal.path.clone(),
        entities: picture
            .entities
            .into_iter()
            .map(|e| {
                let (line, column) = at(e.span);
                OwnershipEntity {
                    name: e.name,
                    party: e.party,
                    kind: e.kind,
                    country: e.country,
                    state: e.state,
                    line,
                    column,
                }
            })
            .collect(),
        edges: picture
            .edges
            .into_iter()
            .map(|e| {
                let (line, column) = at(e.span);
                OwnershipEdge {
                    from: e.from,
                    to: e.to,
                    stake: e.stake,
                    voting: e.voting,
                    controls: e.controls,
                    line,
                    column,
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{Engine, Settings};
    use crate::deal::Format;

    fn engine() -> Engine {
        let compiled = crate::resolve::compile_str("jv.policy", "rule seats: board seats >= 3\n");
        let Ok(compiled) = compiled else {
            panic!("the test policy does not compile");
        };
        Engine::new(compiled.policy, Settings::default())
    }

    const HK_CHAIN: &str = "\
proposal: \"P\"
parties:
  - name: \"Acme\"
    kind: \"public\"
    country: \"US\"
    stake: \"51%\"
    voting: \"51%\"
  - name: \"Dragon\"
    kind: \"company\"
    country: \"CN\"
    stake: \"49%\"
    voting: \"49%\"
    owners:
      - { name: \"HK Holding\", stake: \"100%\", voting: \"100%\" }
entities:
  - name: \"HK Holding\"
    kind: \"public\"
    country: \"HK\"
    owners:
      - { name: \"SASAC\", stake: \"60%\", voting: \"60%\", controls: true }
  - name: \"SASAC\"
    kind: \"state\"
    country: \"CN\"
";

    #[test]
    fn the_picture_lists_entities_and_holdings_with_their_places() {
        let document = crate::check::Document::new("-", HK_CHAIN, Format::Yaml);
        let o = engine()
            .ownership_document(document)
            .unwrap_or_else(|r| panic!("{:?}", r.problems));
        let names: Vec<(&str, bool)> = o
            .entities
            .iter()
            .map(|e| (e.name.as_str(), e.party))
            .collect();
        assert_eq!(
            names,
            [
                ("Acme", true),
                ("Dragon", true),
                ("HK Holding", false),
                ("SASAC", false)
            ]
        );
        let edges: Vec<String> = o
            .edges
            .iter()
            .map(|e| {
                format!(
                    "{} -> {} {:?}/{:?} controls={} at {}:{}",
                    e.from,
                    e.to.as_deref().unwrap_or("JV"),
                    e.stake,
                    e.voting,
                    e.controls,
                    e.line,
                    e.column
                )
            })
            .collect();
        assert_eq!(
            edges,
            [
                "Acme -> JV Some(\"51%\")/Some(\"51%\") controls=false at 7:13",
                "Dragon -> JV Some(\"49%\")/Some(\"49%\") controls=false at 12:13",
                "HK Holding -> Dragon Some(\"100%\")/Some(\"100%\") controls=false at 14:54",
                "SASAC -> HK Holding Some(\"60%\")/Some(\"60%\") controls=true at 20:48",
            ]
        );
        let sasac = o.entities.iter().find(|e| e.name == "SASAC");
        assert_eq!(sasac.and_then(|e| e.kind.as_deref()), Some("state"));
        assert_eq!(sasac.map(|e| (e.line, e.column)), Some((21, 5)));
    }

    #[test]
    fn a_deal_that_does_not_load_gives_its_invalid_report() {
        let document = crate::check::Document::new("-", "parties: [{name: 1}]\n", Format::Yaml);
        let report = engine().ownership_document(document).err();
        assert!(report.is_some_and(|r| !r.problems.is_empty()));
    }
}
