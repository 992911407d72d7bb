//! One copy of every value that repeats across rows: agent names and lists of agents,
//! departments with countries and cities, wrap-ups. A spool has few distinct ones, and a row
//! that points at a shared copy is smaller by about 150 bytes (the 100k-chat memory budget is
//! 1 KB a chat, the whole process included).
//!
//! The cache decoder interns as it decodes, so no row ever holds a copy of its own: a copy
//! dropped later would leave a hole between the rows that the allocator cannot give back. The
//! store then keeps the decoder's interner and shares the rows it parses itself through it.

use crate::model::turns::figures::TurnShape;
use crate::model::{ChatSummary, Place, WrapUp};
use smallvec::SmallVec;
use std::collections::HashSet;
use std::sync::Arc;

#[derive(Debug, Default)]
pub struct Interner {
    names: HashSet<Arc<str>>,
    agent_lists: HashSet<Arc<[Arc<str>]>>,
    places: HashSet<Arc<Place>>,
    wrap_ups: HashSet<Arc<WrapUp>>,
    /// Keyed by the interned responders' address and the small numbers: hashing an address is
    /// cheaper than hashing the names again for every row.
    turn_shapes: std::collections::HashMap<ShapeKey, Arc<TurnShape>>,
}

type ShapeKey = (usize, u32, u32, u8, u8);

/// The shared copy of `value`, found by `key`, made by `make` the first time.
fn intern<T: ?Sized + Eq + std::hash::Hash, Q: ?Sized + Eq + std::hash::Hash>(
    set: &mut HashSet<Arc<T>>,
    key: &Q,
    make: impl FnOnce() -> Arc<T>,
) -> Arc<T>
where
    Arc<T>: std::borrow::Borrow<Q>,
{
    if let Some(copy) = set.get(key) {
        return copy.clone();
    }
    let value = make();
    set.insert(value.clone());
    value
}

impl Interner {
    pub fn name(&mut self, name: &str) -> Arc<str> {
        intern(&mut self.names, name, || Arc::from(name))
    }

    pub fn agents<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> Arc<[Arc<str>]> {
        let names: SmallVec<[Arc<str>; 4]> = names.into_iter().map(|n| self.name(n)).collect();
        intern(&mut self.agent_lists, &names[..], || Arc::from(&names[..]))
    }

    /// `None` when all three are unknown.
    pub fn place(
        &mut self,
        department: Option<&str>,
        country: Option<&str>,
        city: Option<&str>,
    ) -> Option<Arc<Place>> {
        let place = Place {
            department: department.map(|s| self.name(s)),
            country: country.map(|s| self.name(s)),
            city: city.map(|s| self.name(s)),
        };
        (place != Place::default())
            .then(|| intern(&mut self.places, &place, || Arc::new(place.clone())))
    }

    pub fn wrap_up(&mut self, wrap_up: WrapUp) -> Arc<WrapUp> {
        intern(&mut self.wrap_ups, &wrap_up, || Arc::new(wrap_up.clone()))
    }

    /// The shared copy of a chat's turn shape, its responders shared as agent lists are.
    pub fn turn_shape(&mut self, shape: &TurnShape) -> Arc<TurnShape> {
        let responders = self.agents(shape.responders.iter().map(|a| &**a));
        self.shape_of(TurnShape {
            responders,
            ..shape.clone()
        })
    }

    /// [`Interner::turn_shape`] for a shape whose responders come from this interner already
    /// (the cache decoder's): looked up by their address alone.
    pub fn shape_of(&mut self, shape: TurnShape) -> Arc<TurnShape> {
        let responders = &shape.responders;
        let key = (
            Arc::as_ptr(responders).cast::<u8>() as usize,
            shape.unanswered_turns,
            shape.transfers,
            shape.last_from.map_or(0, |l| l as u8 + 1),
            shape.bot as u8,
        );
        self.turn_shapes
            .entry(key)
            .or_insert_with(|| Arc::new(shape))
            .clone()
    }

    /// Point a row's repeating parts at the shared copies (a row parsed from a file, or
    /// decoded by another interner). Allocates only for values not seen before.
    pub fn share_row(&mut self, row: &mut ChatSummary) {
        let agents = self.agents(row.agents.iter().map(|a| &**a));
        row.agents = agents;
        if let Some(p) = row.place.take() {
            row.place = self.place(
                p.department.as_deref(),
                p.country.as_deref(),
                p.city.as_deref(),
            );
        }
        if let Some(w) = row.wrap_up.take() {
            row.wrap_up = Some(intern(&mut self.wrap_ups, &*w, || w.clone()));
        }
        row.turns.shape = self.turn_shape(&row.turns.shape);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_are_one_copy() {
        let mut i = Interner::default();
        let ab = i.agents(["Ann", "Bo"]);
        assert!(Arc::ptr_eq(&ab, &i.agents(["Ann", "Bo"])));
        let a = i.agents(["Ann"]);
        assert!(!Arc::ptr_eq(&ab, &a));
        assert!(Arc::ptr_eq(&ab[0], &a[0]), "names are shared across lists");
        let p = i.place(Some("Sales"), None, Some("Ann")).unwrap();
        assert!(Arc::ptr_eq(
            &p,
            &i.place(Some("Sales"), None, Some("Ann")).unwrap()
        ));
        assert!(Arc::ptr_eq(p.city.as_ref().unwrap(), &a[0]));
        assert_eq!(i.place(None, None, None), None);
        assert!(i.place(None, Some("Sales"), None) != Some(p));
    }

    #[test]
    fn a_row_from_elsewhere_is_pointed_at_the_shared_copies() {
        let mut i = Interner::default();
        let agents = i.agents(["Ann"]);
        let place = i.place(Some("Sales"), Some("France"), None);
        let wrap_up = i.wrap_up(WrapUp {
            category: Some("Billing".into()),
            ..WrapUp::default()
        });
        let mut row = ChatSummary {
            agents: vec![Arc::from("Ann")].into(),
            place: Place::of(Some("Sales".into()), Some("France".into()), None),
            wrap_up: Some(Arc::new(WrapUp {
                category: Some("Billing".into()),
                ..WrapUp::default()
            })),
            ..ChatSummary::default()
        };
        let before = row.clone();
        i.share_row(&mut row);
        assert_eq!(row, before, "sharing changes no value");
        assert!(Arc::ptr_eq(&row.agents, &agents));
        assert!(Arc::ptr_eq(
            row.place.as_ref().unwrap(),
            place.as_ref().unwrap()
        ));
        assert!(Arc::ptr_eq(row.wrap_up.as_ref().unwrap(), &wrap_up));
    }
}
