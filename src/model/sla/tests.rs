use super::*;
use crate::model::turns::turns;
use crate::model::{Entry, SpeakerKind};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn berlin(spec: &str) -> BusinessHours {
    BusinessHours::parse(spec, chrono_tz::Europe::Berlin).unwrap()
}

#[test]
fn only_time_inside_the_hours_counts_across_a_weekend() {
    let h = berlin("Mon-Fri 09:00-18:00");
    // Friday 17:59 to Monday 09:01 in Berlin (UTC+1): one minute each side of the weekend.
    assert_eq!(
        h.secs_between(
            t("2024-03-01T17:59:00+01:00"),
            t("2024-03-04T09:01:00+01:00")
        ),
        Some(120)
    );
    // All of it on a Saturday: none.
    assert_eq!(
        h.secs_between(
            t("2024-03-02T10:00:00+01:00"),
            t("2024-03-02T16:00:00+01:00")
        ),
        Some(0)
    );
    // Inside one day, to the millisecond, rounded down.
    assert_eq!(
        h.secs_between(
            t("2024-03-05T10:00:00.500+01:00"),
            t("2024-03-05T10:00:02+01:00")
        ),
        Some(1)
    );
    // Before opening to after closing: the whole day.
    assert_eq!(
        h.secs_between(
            t("2024-03-05T06:00:00+01:00"),
            t("2024-03-05T20:00:00+01:00")
        ),
        Some(9 * 3600)
    );
    // Backwards is nothing.
    assert_eq!(
        h.secs_between(t("2024-03-05T12:00:00Z"), t("2024-03-05T11:00:00Z")),
        Some(0)
    );
}

#[test]
fn the_hours_keep_their_local_time_across_a_change_of_clocks() {
    let h = berlin("Mon-Fri 09:00-18:00");
    // Berlin moves to summer time on Sunday 2024-03-31: Friday closes at 17:00 UTC, Monday
    // opens at 07:00 UTC. From Friday 17:00 to Monday 10:00 local is two hours of business.
    assert_eq!(
        h.secs_between(
            t("2024-03-29T17:00:00+01:00"),
            t("2024-04-01T10:00:00+02:00")
        ),
        Some(2 * 3600)
    );
    // A whole weekend open around the clock: 24 h plus a 23-hour Sunday.
    let weekend = berlin("Sat-Sun 00:00-24:00");
    assert_eq!(
        weekend.secs_between(t("2024-03-29T12:00:00Z"), t("2024-04-02T12:00:00Z")),
        Some(47 * 3600)
    );
    // The autumn Sunday has 25 hours.
    let sunday = berlin("Sun 00:00-24:00");
    assert_eq!(
        sunday.secs_between(t("2024-10-26T12:00:00Z"), t("2024-10-28T12:00:00Z")),
        Some(25 * 3600)
    );
    // A window across the spring gap is two real hours; one opening inside the gap opens at
    // 03:00, the first local time after it.
    assert_eq!(
        berlin("Sun 01:00-04:00")
            .secs_between(t("2024-03-30T00:00:00Z"), t("2024-04-01T00:00:00Z")),
        Some(2 * 3600)
    );
    assert_eq!(
        berlin("Sun 02:30-04:00")
            .secs_between(t("2024-03-30T00:00:00Z"), t("2024-04-01T00:00:00Z")),
        Some(3600)
    );
}

#[test]
fn hours_lists_merge_and_wrap() {
    let h = berlin("Mon-Fri 09:00-12:00; Mon-Fri 11:00-18:00, Sat 10:00-14:00");
    assert_eq!(h.days[0], vec![(9 * 3600, 18 * 3600)], "overlaps merge");
    assert_eq!(h.days[5], vec![(10 * 3600, 14 * 3600)]);
    assert!(h.days[6].is_empty());
    let wrap = berlin("fri - mon 8:00 - 16:30");
    let open: Vec<bool> = wrap.days.iter().map(|d| !d.is_empty()).collect();
    assert_eq!(open, [true, false, false, false, true, true, true]);
    assert_eq!(wrap.days[4], vec![(8 * 3600, 16 * 3600 + 1800)]);
    // A span over a year is no measurement.
    assert_eq!(
        h.secs_between(t("2020-01-01T00:00:00Z"), t("2024-01-01T00:00:00Z")),
        None
    );
}

#[test]
fn bad_hours_say_what_is_wrong() {
    for (spec, what) in [
        ("", "no days"),
        ("Mon-Fri", "no times"),
        ("Funday 09:00-10:00", "no day"),
        ("Mon-Tue-Wed 09:00-10:00", "no day"),
        ("Mon 9-17", "HH:MM"),
        ("Mon 09:00-25:00", "HH:MM"),
        ("Mon 09:60-10:00", "HH:MM"),
        ("Mon 18:00-09:00", "before it starts"),
        ("Mon 09:00-09:00", "before it starts"),
    ] {
        let e = BusinessHours::parse(spec, chrono_tz::UTC).unwrap_err();
        assert!(
            e.contains(what) && e.contains("Mon-Fri 09:00-18:00"),
            "{spec}: {e}"
        );
    }
}

fn msg(kind: SpeakerKind, at: &str) -> Entry {
    Entry {
        kind,
        speaker: Some(
            if kind == SpeakerKind::Agent {
                "Walid"
            } else {
                "Ann"
            }
            .into(),
        ),
        time: None,
        at: Some(t(at)),
        text: String::new(),
    }
}

/// A chat started at 10:00:00 UTC on Tuesday 2024-03-05, first answered at `first`, with one
/// visitor turn answered in `reply` seconds.
fn chat(first: &str, reply: i64) -> Turns {
    let asked = t("2024-03-05T10:10:00Z");
    let answered = (asked + chrono::Duration::seconds(reply)).to_rfc3339();
    turns(
        &[
            msg(SpeakerKind::Agent, first),
            msg(SpeakerKind::Visitor, "2024-03-05T10:10:00Z"),
            msg(SpeakerKind::Agent, &answered),
        ],
        Some(t("2024-03-05T10:00:00Z")),
    )
}

#[test]
fn breaches_count_the_first_response_and_each_slow_reply() {
    let sla = Sla {
        first_response: Some(60),
        reply: Some(120),
        hours: None,
    };
    let met = sla.judge_turns(&chat("2024-03-05T10:01:00Z", 120));
    assert_eq!(
        met,
        SlaOutcome {
            breaches: 0,
            verdict: Some(SlaVerdict::Met)
        }
    );
    let both = sla.judge_turns(&chat("2024-03-05T10:01:01Z", 121));
    assert_eq!(
        both,
        SlaOutcome {
            breaches: 2,
            verdict: Some(SlaVerdict::Breached)
        }
    );
    let slow = turns(
        &[
            msg(SpeakerKind::Agent, "2024-03-05T10:00:30Z"),
            msg(SpeakerKind::Visitor, "2024-03-05T10:01:00Z"),
            msg(SpeakerKind::Agent, "2024-03-05T10:05:00Z"),
            msg(SpeakerKind::Visitor, "2024-03-05T10:06:00Z"),
            msg(SpeakerKind::Agent, "2024-03-05T10:09:00Z"),
        ],
        Some(t("2024-03-05T10:00:00Z")),
    );
    assert_eq!(
        sla.judge_turns(&slow).breaches,
        2,
        "one per reply over its level"
    );
    assert_eq!(
        sla.reply_over(TurnFigures::of(&slow).replies[0]),
        Some(true)
    );
}

#[test]
fn no_level_or_nothing_measurable_is_no_verdict() {
    let none = Sla::default();
    assert_eq!(
        none.judge_turns(&chat("2024-03-05T10:05:00Z", 600)).verdict,
        None
    );
    let replies_only = Sla {
        reply: Some(60),
        ..Sla::default()
    };
    // No agent spoke: no first response, no reply.
    let unanswered = turns(
        &[msg(SpeakerKind::Visitor, "2024-03-05T10:00:05Z")],
        Some(t("2024-03-05T10:00:00Z")),
    );
    assert_eq!(replies_only.judge_turns(&unanswered), SlaOutcome::default());
    // A first response but no reply: the reply level measures nothing.
    let first_only = turns(
        &[msg(SpeakerKind::Agent, "2024-03-05T10:09:00Z")],
        Some(t("2024-03-05T10:00:00Z")),
    );
    assert_eq!(replies_only.judge_turns(&first_only).verdict, None);
}

#[test]
fn levels_count_business_time_only() {
    let sla = Sla {
        first_response: Some(60),
        reply: Some(60),
        hours: Some(berlin("Mon-Fri 09:00-18:00")),
    };
    // Started Friday 17:59:30 Berlin, answered Monday 09:00:20: 50 business seconds.
    let weekend = turns(
        &[msg(SpeakerKind::Agent, "2024-03-04T08:00:20Z")],
        Some(t("2024-03-01T16:59:30Z")),
    );
    assert_eq!(sla.judge_turns(&weekend).verdict, Some(SlaVerdict::Met));
    let all_time = Sla {
        hours: None,
        ..sla.clone()
    };
    assert_eq!(all_time.judge_turns(&weekend).breaches, 1);
}

fn instant(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

proptest::proptest! {
    /// Hours around the clock count all time, in any zone and across any change of clocks; and
    /// business time adds up over consecutive spans.
    #[test]
    fn business_time_agrees_with_the_clock(
        a in 1_600_000_000i64..1_800_000_000,
        ab in 0i64..20 * 86_400,
        bc in 0i64..20 * 86_400,
    ) {
        let (a, b, c) = (instant(a), instant(a + ab), instant(a + ab + bc));
        for tz in [chrono_tz::UTC, chrono_tz::Europe::Berlin, chrono_tz::America::Santiago] {
            let always = BusinessHours::parse("Mon-Sun 00:00-24:00", tz).unwrap();
            proptest::prop_assert_eq!(always.secs_between(a, c), Some(whole_secs(a, c)));
            let office = BusinessHours::parse("Mon-Fri 09:00-18:00, Sat 10:00-14:00", tz).unwrap();
            let (ab, bc, ac) = (
                office.secs_between(a, b).unwrap(),
                office.secs_between(b, c).unwrap(),
                office.secs_between(a, c).unwrap(),
            );
            proptest::prop_assert_eq!(ab + bc, ac);
            proptest::prop_assert!(ac <= whole_secs(a, c));
        }
    }
}
