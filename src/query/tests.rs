//! The query language's tests, one file per part: parsing, matching, fuzzy scoring, the search
//! index, narrowing, marks, sorting, and a synthetic population for the benches.

mod bench;
mod fuzzy;
mod index;
mod marks;
mod matching;
mod narrow;
mod parse;
mod sort;
