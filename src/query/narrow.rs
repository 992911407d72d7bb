//! Whether one term implies another, for [`super::Query::narrows`].
//!
//! Conservative: `true` only when the implication holds for every possible chat; `false` means "don't
//! know", which costs the caller a full re-filter, never a wrong result.

use super::fuzzy;
use super::term::{label_has, Pred, Term, TextField};
use super::text::{fold_str, Anchor, Needle};
use crate::model::Status;

/// Every chat accepted by `new` is accepted by `old`.
pub(crate) fn implies(new: &Term, old: &Term) -> bool {
    match (new.neg, old.neg) {
        (false, false) => holds_implies(&new.pred, &old.pred),
        // not B ⇒ not A  ⟺  A ⇒ B
        (true, true) => holds_implies(&old.pred, &new.pred),
        (false, true) => excludes(&new.pred, &old.pred),
        (true, false) => false,
    }
}

/// Whenever `b` holds, `a` does not (`rating:2` implies `!rating:none`).
fn excludes(b: &Pred, a: &Pred) -> bool {
    use Pred::*;
    match (b, a) {
        (Num(fb, rb), Num(fa, ra)) => fb == fa && rb.disjoint(*ra),
        (StatusCode(cb), StatusCode(ca)) => cb != ca,
        (StatusCode(cb), StatusLabel(na)) => !label_has(Status(*cb), na),
        (Field(TextField::WrapUp, ..), NoWrapUp) | (NoWrapUp, Field(TextField::WrapUp, ..)) => true,
        (Reviewed(b), Reviewed(a)) => a != b,
        (Last(b), Last(a)) => a != b,
        (Bot(b), Bot(a)) => a != b,
        (Sla(b, lb), Sla(a, la)) => a != b && lb == la,
        (Scored(b), Scored(a)) => a != b,
        (Score(rb), Score(ra)) => rb.disjoint(*ra),
        _ => false,
    }
}

/// Every chat for which `b` holds, `a` holds too.
fn holds_implies(b: &Pred, a: &Pred) -> bool {
    use Pred::*;
    match (b, a) {
        (Fuzzy(nb) | Word(nb, _), Fuzzy(na)) => fuzzy::implied_by(na, &nb.text, nb.sensitive),
        (Word(nb, ab), Word(na, aa)) => anchors_imply(*ab, *aa) && needle_implies(nb, na, *aa),
        (Field(fb, nb, ab), Field(fa, na, aa)) => {
            fb == fa && anchors_imply(*ab, *aa) && needle_implies(nb, na, *aa)
        }
        (Id(nb), Id(na)) => needle_implies(nb, na, Anchor::Prefix),
        (StatusCode(cb), StatusCode(ca)) => cb == ca,
        (StatusCode(cb), StatusLabel(na)) => label_has(Status(*cb), na),
        (StatusLabel(nb), StatusLabel(na)) => needle_implies(nb, na, Anchor::Substring),
        (Num(fb, rb), Num(fa, ra)) => fb == fa && rb.subset_of(*ra),
        (NoWrapUp, NoWrapUp) => true,
        (Tag(nb), Tag(na)) | (Note(nb), Note(na)) => needle_implies(nb, na, Anchor::Substring),
        (Reviewed(b), Reviewed(a)) => a == b,
        (Last(b), Last(a)) => a == b,
        (Bot(b), Bot(a)) => a == b,
        (Sla(b, lb), Sla(a, la)) => a == b && lb == la,
        (Scored(b), Scored(a)) => a == b,
        (Score(rb), Score(ra)) => rb.subset_of(*ra),
        (Sample(b), Sample(a)) => a == b,
        _ => false,
    }
}

/// A field that holds `b` at anchor `ab` can hold `a` at anchor `aa` by containing `b`.
fn anchors_imply(ab: Anchor, aa: Anchor) -> bool {
    use Anchor::*;
    match aa {
        Substring => true,
        Prefix => matches!(ab, Prefix | Whole),
        Suffix => matches!(ab, Suffix | Whole),
        Whole => ab == Whole,
    }
}

/// Any text holding `b` (at some anchor) holds `a` at `anchor`, given that `a`'s anchor is implied.
/// Case: a case-sensitive `a` needs a case-sensitive `b`; a case-insensitive `a` is compared with
/// `b` folded the way `a` folds a field.
fn needle_implies(b: &Needle, a: &Needle, anchor: Anchor) -> bool {
    if a.sensitive && !b.sensitive {
        return false;
    }
    let folded;
    let bt: &str = if b.sensitive && !a.sensitive {
        folded = if a.text.is_ascii() {
            b.text.to_ascii_lowercase()
        } else {
            fold_str(&b.text)
        };
        &folded
    } else {
        &b.text
    };
    let at = &*a.text;
    match anchor {
        Anchor::Substring => bt.contains(at),
        Anchor::Prefix => bt.starts_with(at),
        Anchor::Suffix => bt.ends_with(at),
        Anchor::Whole => bt == at,
    }
}
