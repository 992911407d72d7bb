//! The spellings docs/FORMAT.md says a payload may come in. [`Variants::vendor`] is the vendor sample's
//! spelling; [`Variants::roll`] (`--variants`) draws a mix so a spool exercises every rule.
//!
//! Variants only change how a chat is written, never what it says: every spelling of one chat
//! must load to the same chat (except that an unreadable date is, by the rules, no date).

use crate::rng::Rng;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// `/Date(ms)/`
    Plain,
    /// `/Date(ms+0800)/`: the suffix names a zone but does not shift the instant.
    Offset(&'static str),
    /// `2026-10-31T23:58:10.123Z`
    Iso,
    /// `2026-11-01T07:58:10.123+08:00`
    IsoOffset,
    /// A bare JSON integer of milliseconds.
    BareMs,
}

/// How a missing date is written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NoDate {
    DotNetMin,
    Empty,
    Null,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Attach {
    Array,
    Plural,
    Object,
    Absent,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    Normal,
    Null,
    Spelled,
    WithFields,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum StatusForm {
    Int,
    Str,
    Unknown(i64),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RatingForm {
    Str,
    Int,
    /// Unrated written as `""` (rated chats stay strings).
    Empty,
    /// Unrated written as `null`.
    Null,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum WaitForm {
    Vendor,
    Hms,
    Int,
    Absent,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum VDept {
    Int,
    Guid,
    Name,
    Absent,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CDept {
    Name,
    Int,
    Null,
    Absent,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Json {
    Pretty2,
    Pretty4,
    Compact,
}

#[derive(Clone, Copy)]
pub struct Variants {
    pub int_visitor_id: bool,
    pub guid_operator_ids: bool,
    pub custom_var_swap: bool,
    pub attach: Attach,
    pub agent_comment: bool,
    pub agents_key: bool,
    pub operators_string: bool,
    pub wrap: Wrap,
    pub status: StatusForm,
    pub rating: RatingForm,
    pub dates: DateForm,
    pub first_visit_min: bool,
    pub end_missing: Option<NoDate>,
    pub wait: WaitForm,
    pub tz: Option<&'static str>,
    pub screen_star: bool,
    pub lang_underscore: bool,
    pub extra_fields: bool,
    pub null_strings: bool,
    /// Empty strings left out (a relay that drops empty values; `--short`).
    pub omit_empty: bool,
    pub newline_sep: bool,
    pub trailing_sep: bool,
    pub operator_word: bool,
    pub custom_system_line: bool,
    pub placeholder_first: bool,
    pub vdept: VDept,
    pub cdept: CDept,
    pub field_id: bool,
    pub bom: bool,
    pub crlf: bool,
    pub json: Json,
}

impl Variants {
    /// The vendor sample's spelling.
    pub fn vendor() -> Self {
        Variants {
            int_visitor_id: false,
            guid_operator_ids: false,
            custom_var_swap: false,
            attach: Attach::Array,
            agent_comment: false,
            agents_key: false,
            operators_string: false,
            wrap: Wrap::Normal,
            status: StatusForm::Int,
            rating: RatingForm::Str,
            dates: DateForm::Plain,
            first_visit_min: false,
            end_missing: None,
            wait: WaitForm::Vendor,
            tz: None,
            screen_star: false,
            lang_underscore: false,
            extra_fields: false,
            null_strings: false,
            omit_empty: false,
            newline_sep: false,
            trailing_sep: true,
            operator_word: false,
            custom_system_line: false,
            placeholder_first: false,
            vdept: VDept::Int,
            cdept: CDept::Name,
            field_id: false,
            bom: false,
            crlf: false,
            json: Json::Pretty2,
        }
    }

    /// The vendor's spelling on one line without its empty strings, as a capture tool that
    /// re-serialises the body may store it.
    pub fn compact() -> Self {
        Variants {
            json: Json::Compact,
            omit_empty: true,
            ..Variants::vendor()
        }
    }

    /// A random mix: each variant independently, most of them at about one chat in six, so a few
    /// hundred chats cover every combination that matters.
    pub fn roll(rng: &mut Rng) -> Self {
        let mut p = |x: f64| rng.chance(x);
        let mut v = Variants::vendor();
        v.int_visitor_id = p(0.15);
        v.guid_operator_ids = p(0.1);
        v.custom_var_swap = p(0.2);
        v.agent_comment = p(0.15);
        v.agents_key = p(0.15);
        v.operators_string = p(0.12);
        v.first_visit_min = p(0.1);
        v.screen_star = p(0.15);
        v.lang_underscore = p(0.15);
        v.extra_fields = p(0.2);
        v.null_strings = p(0.2);
        v.newline_sep = p(0.15);
        v.trailing_sep = !p(0.3);
        v.operator_word = p(0.1);
        v.custom_system_line = !v.newline_sep && p(0.1);
        v.placeholder_first = p(0.1);
        v.field_id = p(0.15);
        v.bom = p(0.1);
        v.crlf = p(0.1);
        v.attach = [
            Attach::Array,
            Attach::Plural,
            Attach::Object,
            Attach::Absent,
        ][rng.weighted(&[70, 10, 10, 10])];
        v.wrap = [Wrap::Normal, Wrap::Null, Wrap::Spelled, Wrap::WithFields]
            [rng.weighted(&[70, 10, 10, 10])];
        v.status = match rng.weighted(&[75, 15, 10]) {
            0 => StatusForm::Int,
            1 => StatusForm::Str,
            _ => StatusForm::Unknown(rng.range(12, 15)),
        };
        v.rating = [
            RatingForm::Str,
            RatingForm::Int,
            RatingForm::Empty,
            RatingForm::Null,
        ][rng.weighted(&[70, 10, 10, 10])];
        v.dates = match rng.weighted(&[60, 15, 10, 5, 10]) {
            0 => DateForm::Plain,
            1 => DateForm::Offset(rng.word(&["+0800", "-0500", "+0000", "+0530"])),
            2 => DateForm::Iso,
            3 => DateForm::IsoOffset,
            _ => DateForm::BareMs,
        };
        v.end_missing = match rng.weighted(&[94, 2, 2, 2]) {
            0 => None,
            1 => Some(NoDate::DotNetMin),
            2 => Some(NoDate::Empty),
            _ => Some(NoDate::Null),
        };
        v.wait = [
            WaitForm::Vendor,
            WaitForm::Hms,
            WaitForm::Int,
            WaitForm::Absent,
        ][rng.weighted(&[70, 12, 12, 6])];
        v.tz = if rng.chance(0.3) {
            Some(*rng.pick(&[
                "GMT -08:00",
                "GMT +06:00",
                "GMT 06:00",
                "UTC-08:00",
                "GMT +05:30",
            ]))
        } else {
            None
        };
        v.vdept =
            [VDept::Int, VDept::Guid, VDept::Name, VDept::Absent][rng.weighted(&[70, 10, 10, 10])];
        v.cdept =
            [CDept::Name, CDept::Int, CDept::Null, CDept::Absent][rng.weighted(&[75, 9, 8, 8])];
        v.json = [Json::Pretty2, Json::Pretty4, Json::Compact][rng.weighted(&[60, 15, 25])];
        v
    }
}
