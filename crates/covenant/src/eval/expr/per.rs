//! `AGG X per K` (SPEC §7.3): the items of the source grouped by their key, in order of first
//! appearance, one aggregate per group. An item whose key is unknown makes every value
//! unknown: the result is then one unknown value, never an empty list (nothing holds
//! vacuously). A maybe-member makes its group's value unknown (`aggregate` sees its maybe).

use std::collections::HashMap;
use std::rc::Rc;

use crate::resolve::ir::Per;
use crate::value::{Scalar, Text};

use super::super::holdings::{GroupShown, Member, MEMBERS_SHOWN};
use super::super::note::{Internal, Reason};
use super::super::shown::{Element, Shown};
use super::super::value::{why, Elem, Val, Why};
use super::{aggregate, Evaluator};

/// What a key is told apart by: a value, or an entity (by its place in the entity list).
#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Value(Shown),
    Entity(usize),
}

/// One group: its key as shown, its items' values and (for evidence) its members.
pub(super) struct Group<'d> {
    pub key: Shown,
    pub values: Vec<Elem<'d>>,
    pub members: Vec<Member>,
    pub count: usize,
}

/// Why there are no groups: the source list is unknown, or an item's key is.
pub(super) enum NoGroups {
    Source(Rc<Why>),
    Key(Rc<Why>),
}

impl<'d> Evaluator<'d> {
    pub(super) fn per(&mut self, p: &Per) -> Val<'d> {
        match self.groups(p, false) {
            Ok(groups) => {
                let out = groups
                    .into_iter()
                    .map(|g| Elem {
                        val: self.group_value(p, g.values),
                        maybe: None,
                    })
                    .collect();
                Val::List(Rc::new(out), None)
            }
            Err(NoGroups::Source(w)) => Val::Unknown(w),
            Err(NoGroups::Key(w)) => Val::List(
                Rc::new(vec![Elem {
                    val: Val::Unknown(w),
                    maybe: None,
                }]),
                None,
            ),
        }
    }

    fn group_value(&self, p: &Per, values: Vec<Elem<'d>>) -> Val<'d> {
        aggregate(p.kind, &Val::List(Rc::new(values), None), &p.value_ty)
    }

    /// The groups of `p`, with their members when `members` is set.
    pub(super) fn groups(&mut self, p: &Per, members: bool) -> Result<Vec<Group<'d>>, NoGroups> {
        let items = match self.value(&p.source) {
            Val::List(elems, _) => elems,
            Val::Unknown(w) => return Err(NoGroups::Source(w)),
            _ => return Err(NoGroups::Source(Rc::new(internal()))),
        };
        let mut groups: Vec<Group<'d>> = Vec::new();
        let mut index: HashMap<Key, usize> = HashMap::new();
        for item in items.iter() {
            self.items.push(item.val.clone());
            let key = self.value(&p.key);
            self.items.pop();
            let (key, shown) = match self.key_of(p, key) {
                Ok(k) => k,
                Err(w) => return Err(NoGroups::Key(w)),
            };
            let at = *index.entry(key).or_insert_with(|| {
                groups.push(Group {
                    key: shown,
                    values: Vec::new(),
                    members: Vec::new(),
                    count: 0,
                });
                groups.len() - 1
            });
            let values = self.values_of(p, item);
            let Some(g) = groups.get_mut(at) else {
                continue;
            };
            g.values.extend(values);
            g.count += 1;
            if members && g.members.len() < MEMBERS_SHOWN {
                g.members.push(self.member(&item.val));
            }
        }
        Ok(groups)
    }

    fn key_of(&self, p: &Per, key: Val<'d>) -> Result<(Key, Shown), Rc<Why>> {
        match key {
            Val::Record(r, _) if p.key_is_entity => {
                let entities = self.entities();
                let at = entities.of_record(r).ok_or_else(|| Rc::new(internal()))?;
                let name = entities.get(at).map(|e| e.label()).unwrap_or_default();
                let shown = Shown::Scalar(Scalar::Str(Text::from(name)));
                Ok((Key::Entity(at), shown))
            }
            Val::Scalar(s, _) => {
                let shown = Shown::Scalar(s);
                Ok((Key::Value(shown.clone()), shown))
            }
            Val::Unknown(w) => Err(w),
            _ => Err(Rc::new(internal())),
        }
    }

    /// The values one item adds to its group: itself, or what the tail of `X` reads on it.
    fn values_of(&mut self, p: &Per, item: &Elem<'d>) -> Vec<Elem<'d>> {
        if p.tail.is_empty() {
            return vec![item.clone()];
        }
        let v = Val::List(Rc::new(vec![item.clone()]), None);
        // Through `steps_from`, so that a tail reading an item definition computes it.
        match self.steps_from(v, &p.tail) {
            Val::List(elems, _) => elems.iter().cloned().collect(),
            other => vec![Elem {
                val: other,
                maybe: item.maybe.clone(),
            }],
        }
    }

    fn member(&self, v: &Val<'d>) -> Member {
        match v {
            Val::Record(_, o) | Val::Scalar(_, o) if o.item.is_some() && o.field.is_none() => {
                match o.item {
                    Some(i) => Member::Element(Element::of(&self.policy.schema, &i)),
                    None => Member::Value(Shown::of(v)),
                }
            }
            v => Member::Value(Shown::of(v)),
        }
    }

    /// The evidence of the groups of `p` (written `subject`): each key with its members and
    /// value.
    pub(super) fn groups_shown(
        &mut self,
        p: &Per,
        subject: &std::sync::Arc<str>,
    ) -> Option<Vec<Rc<GroupShown>>> {
        let groups = self.groups(p, true).ok()?;
        Some(
            groups
                .into_iter()
                .map(|g| {
                    let more_members = g.count.saturating_sub(g.members.len());
                    Rc::new(GroupShown {
                        subject: subject.clone(),
                        key: g.key,
                        members: g.members,
                        more_members,
                        value: Shown::of(&self.group_value(p, g.values)),
                    })
                })
                .collect(),
        )
    }
}

fn internal() -> Why {
    why(Reason::Internal(Internal::ItemOutOfScope))
}
