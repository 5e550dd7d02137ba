//! Ownership evidence as reports show it (SPEC §7.2, §7.3; the JSON shapes of
//! spec-v2-notes F): a look-through value with its paths, a chain of control, the members and
//! value of one group of `AGG X per K`. Facts only: `report::prose` writes the words.
//!
//! Each shape is generic over where a deal value is: a [`Span`](crate::source::Span) while
//! evaluating (a fact), a [`DealLocation`](super::shown::DealLocation) in a report (a note).

use std::sync::Arc;

use num_bigint::BigInt;
use num_rational::BigRational;

use crate::number::Exact;
use crate::ownership::percent_of_fraction;
use crate::value::Text;

use super::shown::{Element, Shown};

/// A share, in percent units (`29.4` for 29.4%): exact, or rounded when its exact value does
/// not fit an `i128` rational (a long chain of odd percents).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Share {
    pub percent: Exact,
    /// The exact value does not fit: `percent` is rounded to 10 decimal places.
    pub rounded: bool,
}

/// A look-through value and its paths (SPEC §7.2).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LookThroughShown<P> {
    /// The expression as written.
    pub subject: Arc<str>,
    /// The measure (`voting`).
    pub measure: Arc<str>,
    /// By control: the threshold (a percent) and whether it is `at least` (else `more than`).
    pub control: Option<(Exact, bool)>,
    /// The target's name; `JV` for the deal.
    pub target: Arc<str>,
    /// The value; None when it is unknown.
    pub value: Option<Share>,
    /// The largest paths (ties by names), at most ten.
    pub paths: Vec<PathShown<P>>,
    /// How many paths are not shown, and what they add up to.
    pub more_paths: u64,
    pub more_value: Share,
}

/// One path from a holder down to the target.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PathShown<P> {
    pub contribution: Share,
    pub edges: Vec<EdgeShown<P>>,
}

/// One edge: `from` holds `value` of `to`, written at `at`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EdgeShown<P> {
    pub from: Arc<str>,
    pub to: Arc<str>,
    pub value: Share,
    /// By control: what the edge counted for, when not its value.
    pub counted: Option<Share>,
    pub at: P,
}

/// The chain of control of an entity (SPEC §7.3).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ControllerShown<P> {
    pub entity: Arc<str>,
    /// From the entity's controlling holder up.
    pub chain: Vec<LinkShown<P>>,
    /// The controller, with its `kind` and `country` when given; None when it is unknown.
    pub controller: Option<(Arc<str>, Option<Text>, Option<Text>)>,
}

/// One link of a chain of control: `holder` holds `voting` (or `controls: true`) of the
/// entity before it, written at `at`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LinkShown<P> {
    pub holder: Arc<str>,
    /// The voting share, a percent.
    pub voting: Option<Exact>,
    pub controls: bool,
    pub at: P,
}

/// One value of `AGG X per K` (SPEC §7.3): its key, members and value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GroupShown {
    /// `AGG X per K` as written.
    pub subject: Arc<str>,
    /// The key: a value, or an entity's name.
    pub key: Shown,
    /// The members, the first [`MEMBERS_SHOWN`].
    pub members: Vec<Member>,
    /// How many more members there are.
    pub more_members: usize,
    pub value: Shown,
}

/// A member of a group: an element of a deal list, or a value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Member {
    Element(Element),
    Value(Shown),
}

/// The members of a group that evidence names.
pub const MEMBERS_SHOWN: usize = 20;

impl<P> LookThroughShown<P> {
    /// The same evidence with every place mapped by `f`.
    pub fn map_places<Q>(&self, mut f: impl FnMut(&P) -> Q) -> LookThroughShown<Q> {
        LookThroughShown {
            subject: self.subject.clone(),
            measure: self.measure.clone(),
            control: self.control,
            target: self.target.clone(),
            value: self.value.clone(),
            paths: self
                .paths
                .iter()
                .map(|p| PathShown {
                    contribution: p.contribution.clone(),
                    edges: p
                        .edges
                        .iter()
                        .map(|e| EdgeShown {
                            from: e.from.clone(),
                            to: e.to.clone(),
                            value: e.value.clone(),
                            counted: e.counted.clone(),
                            at: f(&e.at),
                        })
                        .collect(),
                })
                .collect(),
            more_paths: self.more_paths,
            more_value: self.more_value.clone(),
        }
    }
}

impl<P> ControllerShown<P> {
    /// The same evidence with every place mapped by `f`.
    pub fn map_places<Q>(&self, mut f: impl FnMut(&P) -> Q) -> ControllerShown<Q> {
        ControllerShown {
            entity: self.entity.clone(),
            chain: self
                .chain
                .iter()
                .map(|l| LinkShown {
                    holder: l.holder.clone(),
                    voting: l.voting,
                    controls: l.controls,
                    at: f(&l.at),
                })
                .collect(),
            controller: self.controller.clone(),
        }
    }
}

/// `f` (a fraction) as a share for evidence: exact, or rounded to 10 decimal places.
pub(crate) fn share_of(f: &BigRational) -> Share {
    if let Some(percent) = percent_of_fraction(f) {
        return Share {
            percent,
            rounded: false,
        };
    }
    let scale = BigInt::from(10u64.pow(10));
    let scaled = (f * BigRational::from_integer(BigInt::from(100) * &scale)).round();
    let percent = i128::try_from(scaled.numer())
        .ok()
        .zip(i128::try_from(&scale).ok())
        .and_then(|(n, d)| Exact::from_int(n).checked_div(Exact::from_int(d)).ok())
        .unwrap_or(Exact::ZERO);
    Share {
        percent,
        rounded: true,
    }
}
