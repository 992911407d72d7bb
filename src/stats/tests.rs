use super::*;
use std::sync::Arc;

fn chat(
    agents: &[&str],
    wait: Option<u64>,
    rating: Option<u8>,
    dur_ms: Option<i64>,
) -> ChatSummary {
    ChatSummary {
        id: "x".into(),
        agents: agents.iter().map(|a| Arc::from(*a)).collect(),
        wait_secs: wait,
        rating,
        started: crate::model::PackedMs::new(dur_ms.map(|_| 1_000_000)),
        ended: crate::model::PackedMs::new(dur_ms.map(|d| 1_000_000 + d)),
        ..ChatSummary::default()
    }
}

#[test]
fn averages_skip_unknown_values() {
    let chats = [
        chat(&["Ann"], Some(10), Some(5), Some(60_999)),
        chat(&["Ann", "Bob"], Some(20), None, Some(120_000)),
        chat(&[], None, Some(2), None),
    ];
    let r = report(&chats, Zone::Utc, None);
    assert_eq!(r.total.chats, 3);
    assert_eq!(r.total.missed, 1);
    assert_eq!(r.total.avg_wait_secs, Some(15.0));
    assert_eq!(r.total.avg_duration_secs, Some(90.0)); // 60 (rounded down) and 120
    assert_eq!(r.total.avg_rating, Some(3.5));
    assert_eq!(r.total.ratings["5"], 1);
    assert_eq!(r.total.ratings["2"], 1);
    assert_eq!(r.total.wait_p50_secs, Some(10));
    assert_eq!(r.total.wait_p90_secs, Some(20));
    assert_eq!(r.total.duration_p50_secs, Some(60));
    assert_eq!(r.agents[0].name, "Ann");
    assert_eq!(r.agents[0].figures.chats, 2);
    assert_eq!(r.agents[0].figures.avg_rating, Some(5.0));
    assert_eq!(r.agents[1].name, "Bob");
    assert_eq!(r.agents[1].figures.avg_rating, None);
    assert_eq!(r.departments[0].name, "(none)");
    assert_eq!(r.departments[0].figures.missed, 1);
}

#[test]
fn first_response_figures() {
    let mut chats: Vec<ChatSummary> = (1..=10)
        .map(|i| ChatSummary {
            first_response_secs: Some(i * 10),
            agents: vec![Arc::from("Ann")].into(),
            ..ChatSummary::default()
        })
        .collect();
    chats.push(ChatSummary::default());
    let r = report(&chats, Zone::Utc, None);
    assert_eq!(r.total.with_first_response, 10);
    assert_eq!(r.total.avg_first_response_secs, Some(55.0));
    assert_eq!(r.total.first_response_p50_secs, Some(50));
    assert_eq!(r.total.first_response_p90_secs, Some(90));
    assert_eq!(r.agents[0].figures.first_response_p90_secs, Some(90));
}

/// 2024-01-01 was a Monday; 23:30 UTC is Tuesday 07:30 in Tokyo and Monday 15:30 in Los Angeles
/// (winter, -08:00).
#[test]
fn buckets_follow_the_zone() {
    let ms = 1_704_151_800_000; // 2024-01-01T23:30:00Z
    let c = ChatSummary {
        started: crate::model::PackedMs::new(Some(ms)),
        wait_secs: Some(30),
        visitor_offset_min: Some(-480),
        ..ChatSummary::default()
    };
    let at = |r: &Report| {
        let (day, row) = r
            .total
            .by_weekday_hour
            .iter()
            .enumerate()
            .find(|(_, row)| row.iter().any(|n| *n > 0))
            .unwrap();
        (day, row.iter().position(|n| *n > 0).unwrap())
    };
    let utc = report([&c], Zone::Utc, None);
    assert_eq!(at(&utc), (0, 23));
    assert_eq!(utc.total.by_hour[23], 1);
    assert_eq!(utc.wait_p50_by_weekday_hour[0][23], Some(30));
    assert_eq!(
        at(&report([&c], "Asia/Tokyo".parse().unwrap(), None)),
        (1, 8)
    );
    assert_eq!(at(&report([&c], Zone::Visitor, None)), (0, 15));
    assert_eq!(at(&report([&c], "+05:30".parse().unwrap(), None)), (1, 5));
    let r = report([&c], "Asia/Tokyo".parse().unwrap(), None);
    assert_eq!(r.tz, "Asia/Tokyo");
    // JSON times stay UTC whatever the zone.
    assert_eq!(r.first_started_at.as_deref(), Some("2024-01-01T23:30:00Z"));
    assert_eq!(r.total.by_hour.len(), 24);
    assert_eq!(r.total.by_weekday_hour.len(), 7);
}

#[test]
fn wrap_up_categories_count_under_their_full_name() {
    let with = |category: Option<&str>, rating| ChatSummary {
        wrap_up: category.map(|c| {
            Arc::new(crate::model::WrapUp {
                category: Some(c.into()),
                ..crate::model::WrapUp::default()
            })
        }),
        ..chat(&["Ann"], None, rating, None)
    };
    let chats = [
        with(Some("Billing: Refund"), Some(4)),
        with(Some("Billing: Refund"), Some(2)),
        with(Some("Billing: Invoice"), None),
        with(None, None),
    ];
    let r = report(&chats, Zone::Utc, None);
    let names: Vec<&str> = r.wrap_ups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Billing: Refund", "(none)", "Billing: Invoice"]);
    assert_eq!(r.wrap_ups[0].figures.chats, 2);
    assert_eq!(r.wrap_ups[0].figures.avg_rating, Some(3.0));
}

#[test]
fn negative_and_absurd_durations_are_unknown() {
    let year_ms = crate::model::MAX_PLAUSIBLE_SECS * 1000;
    let chats = [
        chat(&["Ann"], Some(10), None, Some(60_000)),
        chat(&["Ann"], None, None, Some(-419_000)),
        chat(&["Ann"], None, None, Some(year_ms + 1000)),
        chat(&["Ann"], None, None, Some(i64::MAX - 1_000_000)),
    ];
    assert_eq!(chats[1].duration_secs(), None);
    assert_eq!(chats[2].duration_secs(), None);
    assert_eq!(chats[3].duration_secs(), None);
    let r = report(&chats, Zone::Utc, None);
    assert_eq!(r.total.avg_duration_secs, Some(60.0));
    assert_eq!(r.total.with_duration, 1);
    assert_eq!(r.total.duration_p50_secs, Some(60));
}

#[test]
fn weekday_and_hour_by_arithmetic_agree_with_the_calendar() {
    use chrono::{Datelike, Timelike};
    let mut ms: i64 = -5_000_000_000_000; // 1811
    while ms < 5_000_000_000_000 {
        let t = chrono::DateTime::from_timestamp_millis(ms).unwrap();
        let want = t.weekday().num_days_from_monday() as usize * 24 + t.hour() as usize;
        assert_eq!(super::cell_of(ms), want, "{t}");
        ms += 7_777_777_777; // about 90 days and an odd number of hours
    }
    assert_eq!(
        super::cell_of(1_704_067_200_000),
        0,
        "2024-01-01 00:00 was a Monday"
    );
    assert_eq!(
        super::cell_of(-1),
        2 * 24 + 23,
        "1969-12-31 23:59 was a Wednesday"
    );
}

#[test]
fn one_name_in_two_copies_is_one_group() {
    let a = ChatSummary {
        agents: vec![Arc::from("Ann"), Arc::from("")].into(),
        place: crate::model::Place::of(Some(Arc::from("Sales")), None, None),
        ..ChatSummary::default()
    };
    let b = ChatSummary {
        agents: vec![Arc::from("Ann"), Arc::from("")].into(),
        place: crate::model::Place::of(Some(Arc::from("Sales")), None, None),
        ..ChatSummary::default()
    };
    let r = report([&a, &b, &a], Zone::Utc, None);
    let names: Vec<(&str, usize)> = r
        .agents
        .iter()
        .map(|g| (g.name.as_str(), g.figures.chats))
        .collect();
    assert_eq!(names, [("", 3), ("Ann", 3)]);
    assert_eq!(r.departments.len(), 1);
    assert_eq!(r.departments[0].figures.chats, 3);
}

/// Folding in parallel chunks and merging gives exactly the one-pass report: counts, every
/// percentile, averages, groups, heatmap cells, medians per cell and volume.
#[test]
fn the_parallel_fold_equals_one_pass() {
    let agents = ["Ann", "Bo", "Cy", "Di", "Ed"];
    let depts = ["Sales", "Support", "Billing"];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let chats: Vec<ChatSummary> = (0..(CHUNK as u64 * 3 + 1234))
        .map(|i| {
            let start = 1_600_000_000_000 + i64::try_from(next(90 * 86_400_000)).unwrap();
            let a = usize::try_from(next(5)).unwrap();
            let b = usize::try_from(next(5)).unwrap();
            ChatSummary {
                id: i.to_string().into(),
                agents: if next(10) == 0 {
                    Arc::default()
                } else {
                    vec![Arc::from(agents[a]), Arc::from(agents[b])].into()
                },
                place: crate::model::Place::of(
                    (next(4) > 0).then(|| Arc::from(depts[usize::try_from(next(3)).unwrap()])),
                    None,
                    None,
                ),
                wait_secs: (next(5) > 0).then(|| next(600)),
                rating: (next(3) == 0).then(|| u8::try_from(next(5) + 1).unwrap()),
                started: crate::model::PackedMs::new((next(20) > 0).then_some(start)),
                ended: crate::model::PackedMs::new(Some(
                    start + i64::try_from(next(3_600_000)).unwrap(),
                )),
                first_response_secs: (next(4) > 0).then(|| u32::try_from(next(120)).unwrap()),
                ..ChatSummary::default()
            }
        })
        .collect();
    for zone in [Zone::Utc, Zone::Visitor] {
        let parallel = report(&chats, zone, None);
        let refs: Vec<&ChatSummary> = chats.iter().collect();
        let one_pass = Partial::of(&refs, zone, None, &|_| (false, None)).finish(zone, false);
        assert_eq!(parallel.total, one_pass.total);
        assert_eq!(parallel.agents, one_pass.agents);
        assert_eq!(parallel.departments, one_pass.departments);
        assert_eq!(parallel.wrap_ups, one_pass.wrap_ups);
        assert_eq!(parallel.volume, one_pass.volume);
        assert_eq!(
            parallel.wait_p50_by_weekday_hour,
            one_pass.wait_p50_by_weekday_hour
        );
        assert_eq!(
            parallel, one_pass,
            "every figure, the dates and the zone too"
        );
        assert_eq!(parallel.total.chats, chats.len());
    }
}
