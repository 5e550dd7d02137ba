//! Blocs (SPEC §7.3): groups that share a member are linked, transitively; an entity's bloc is
//! the first group, in deal order, among the groups linked to it. Computed once per graph by
//! union-find over the groups (linear in the number of memberships).

use super::EntityId;

/// A group of `groups` with the entities its members name.
#[derive(Clone, Debug)]
pub(super) struct Group<'d> {
    pub name: Option<&'d str>,
    pub members: Vec<EntityId>,
}

/// Union-find over group positions; each set's representative is its first group (the
/// smallest position), so the representative is the bloc.
struct Sets {
    parent: Vec<usize>,
}

impl Sets {
    fn new(n: usize) -> Sets {
        Sets {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        let mut root = i;
        while let Some(&p) = self.parent.get(root) {
            if p == root {
                break;
            }
            root = p;
        }
        // Path compression, iteratively.
        while let Some(p) = self.parent.get_mut(i) {
            let next = *p;
            if next == root {
                break;
            }
            *p = root;
            i = next;
        }
        root
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        let (first, other) = (a.min(b), a.max(b));
        if let Some(p) = self.parent.get_mut(other) {
            *p = first;
        }
    }
}

/// By entity (of `entities` entities): the position of the group that names its bloc, or
/// `None` when it is in no group. Members that name no entity were left out when the groups
/// were read; a group without a name links its members but never names a bloc (the first
/// named group of the set does; a set of nameless groups leaves its members to their own
/// names).
pub(super) fn blocs(groups: &[Group<'_>], entities: usize) -> Vec<Option<usize>> {
    let mut sets = Sets::new(groups.len());
    let mut first_group: Vec<Option<usize>> = vec![None; entities];
    for (g, group) in groups.iter().enumerate() {
        for member in &group.members {
            match first_group.get_mut(member.index()) {
                Some(Some(first)) => sets.union(*first, g),
                Some(slot) => *slot = Some(g),
                None => {}
            }
        }
    }
    // The first named group of each set.
    let mut named: Vec<Option<usize>> = vec![None; groups.len()];
    for (g, group) in groups.iter().enumerate() {
        if group.name.is_some() {
            let root = sets.find(g);
            if let Some(slot @ None) = named.get_mut(root) {
                *slot = Some(g);
            }
        }
    }
    first_group
        .into_iter()
        .map(|g| g.and_then(|g| named.get(sets.find(g)).copied().flatten()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ownership::EntityId;

    fn group(name: Option<&'static str>, members: &[u32]) -> Group<'static> {
        Group {
            name,
            members: members.iter().map(|&m| EntityId(m)).collect(),
        }
    }

    #[test]
    fn shared_members_link_groups_transitively() {
        // G1 {A, B}, G2 {B, C}, G3 {D}, G4 {C, E}: A..C and E in G1, D in G3, F in none.
        let groups = [
            group(Some("G1"), &[0, 1]),
            group(Some("G2"), &[1, 2]),
            group(Some("G3"), &[3]),
            group(Some("G4"), &[2, 4]),
        ];
        let got = blocs(&groups, 6);
        assert_eq!(got, [Some(0), Some(0), Some(0), Some(2), Some(0), None]);
    }

    #[test]
    fn a_later_group_linking_two_earlier_ones_gives_the_first() {
        // G1 {A}, G2 {B}, G3 {B, A}: all in G1.
        let groups = [
            group(Some("G1"), &[0]),
            group(Some("G2"), &[1]),
            group(Some("G3"), &[1, 0]),
        ];
        assert_eq!(blocs(&groups, 2), [Some(0), Some(0)]);
    }

    #[test]
    fn nameless_groups_link_but_never_name() {
        let groups = [
            group(None, &[0, 1]),
            group(Some("G2"), &[1]),
            group(None, &[2]),
        ];
        assert_eq!(blocs(&groups, 3), [Some(1), Some(1), None]);
    }

    #[test]
    fn long_chains_of_groups_do_not_recurse() {
        let n = 100_000u32;
        let groups: Vec<_> = (0..n).map(|i| group(Some("G"), &[i, i + 1])).collect();
        let got = blocs(&groups, n as usize + 1);
        assert!(got.iter().all(|g| *g == Some(0)));
    }
}
