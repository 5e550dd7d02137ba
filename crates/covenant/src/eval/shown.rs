//! Values as evidence shows them: owned, kept after the deal is dropped, and structured. The
//! words are written by `report::prose`; these types only say what there is to write.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::number::Exact;
use crate::source::Span;
use crate::syntax::ast::CmpOp;
use crate::value::{Currency, Scalar, Text};

/// The elements of a list value that evidence shows; a longer list shows that there are more.
pub const LIST_SHOWN: usize = 8;

/// A value as evidence shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    Scalar(Scalar),
    /// The total of an empty list of money whose currency nothing gave (SPEC §2.6).
    Zero,
    Record,
    /// The first [`LIST_SHOWN`] elements, and whether there are more.
    List {
        first: Vec<Shown>,
        more: bool,
    },
    Unknown,
}

impl Eq for Shown {}

impl Hash for Shown {
    fn hash<H: Hasher>(&self, h: &mut H) {
        std::mem::discriminant(self).hash(h);
        match self {
            Shown::Scalar(s) => hash_scalar(s, h),
            Shown::List { first, more } => {
                first.hash(h);
                more.hash(h);
            }
            Shown::Zero | Shown::Record | Shown::Unknown => {}
        }
    }
}

fn hash_scalar<H: Hasher>(s: &Scalar, h: &mut H) {
    std::mem::discriminant(s).hash(h);
    match s {
        Scalar::Number(n) | Scalar::Percent(n) => n.hash(h),
        Scalar::Money(c, n) => {
            c.hash(h);
            n.hash(h);
        }
        Scalar::Date(d) => d.hash(h),
        Scalar::Str(t) => t.hash(h),
        Scalar::Bool(b) => b.hash(h),
        Scalar::Never => {}
    }
}

/// What a value was tested against.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Bound {
    Value(Shown),
    /// A yes/no condition, tested for being true.
    True,
    /// `is within tolerance of around`.
    Tolerance {
        around: Shown,
        tolerance: Shown,
    },
}

/// The test a piece of evidence made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Cmp(CmpOp),
    /// A yes/no condition.
    Is,
    In,
    NotIn,
    Within,
}

impl Hash for Op {
    fn hash<H: Hasher>(&self, h: &mut H) {
        std::mem::discriminant(self).hash(h);
        if let Op::Cmp(c) = self {
            c.symbol().hash(h);
        }
    }
}

impl Op {
    /// The ordered comparison, for margins and help lines.
    pub fn ordered(self) -> Option<CmpOp> {
        match self {
            Op::Cmp(c) if !matches!(c, CmpOp::Eq | CmpOp::Ne) => Some(c),
            _ => None,
        }
    }
}

/// How far a value is from its bound, and on which side.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Margin {
    pub distance: Distance,
    /// The value compared with the bound.
    pub side: Ordering,
}

/// The magnitude of a difference, with its unit.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Distance {
    Days(u32),
    /// Between two percents.
    Points(Exact),
    Money(Currency, Exact),
    Number(Exact),
}

/// The element of a deal list a value belongs to: what the list calls its elements, the
/// element's name if it has one, and its position in the list (the evidence's path names the
/// list). Elements are told apart as users see them: by name, or by position when unnamed.
#[derive(Clone, Debug)]
pub struct Element {
    /// `party`, `plant`, `data_set`: the list's singular, else the record type's name.
    pub kind: Arc<str>,
    pub name: Option<Text>,
    /// From 0.
    pub index: usize,
}

impl Element {
    fn key(&self) -> (&str, Result<&str, usize>) {
        match &self.name {
            Some(n) => (&self.kind, Ok(n.as_str())),
            None => (&self.kind, Err(self.index)),
        }
    }
}

impl PartialEq for Element {
    fn eq(&self, other: &Element) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Element {}

impl Hash for Element {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.key().hash(h);
    }
}

/// A position in a deal file: the 1-based line and column of the start of a value, and of
/// the character just after its end (`end_column` as SARIF's `endColumn` counts it).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DealLocation {
    pub span: Span,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// A place in a policy file: `usmca.policy:4:3` (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PolicyPlace {
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
}

/// The row of a lookup table that gave a value (SPEC §8): the table's name, the row's cells as
/// written (`from 2023-07-01`, `otherwise`), where the row is, and the value it gave.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TableRowShown {
    pub table: Arc<str>,
    pub row: Arc<str>,
    pub at: Option<PolicyPlace>,
    pub value: Shown,
}
