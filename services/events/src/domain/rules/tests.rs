use super::*;

fn event(now: DateTime<Utc>) -> EventRow {
    EventRow::for_tests(now)
}

fn refusal(result: Result<(), Refusal>) -> &'static str {
    result.expect_err("refused").code()
}

#[test]
fn open_window_admits() {
    let now = Utc::now();
    assert!(may_register(&event(now), now, 0, false).is_ok());
}

#[test]
fn each_refusal_names_its_rule() {
    let now = Utc::now();
    let early = EventRow {
        registration_opens_at: Some(now + Duration::minutes(1)),
        ..event(now)
    };
    assert!(refusal(may_register(&early, now, 0, true)) == "registration_not_open");
    assert!(
        refusal(not_before_opening(early.registration_opens_at, now)) == "registration_not_open"
    );
    let off = EventRow {
        sign_up: false,
        ..event(now)
    };
    assert!(refusal(may_register(&off, now, 0, true)) == "sign_up_off");
    let closed = EventRow {
        closed: true,
        ..event(now)
    };
    assert!(refusal(may_register(&closed, now, 0, true)) == "event_closed");
    let over = EventRow {
        registration_closes_at: Some(now - Duration::seconds(1)),
        ..event(now)
    };
    assert!(refusal(may_register(&over, now, 0, true)) == "registration_closed");
    let only = EventRow {
        only_prioritized: true,
        ..event(now)
    };
    assert!(refusal(may_register(&only, now, 0, false)) == "only_prioritized");
    assert!(may_register(&only, now, 0, true).is_ok());
}

#[test]
fn closing_instant_still_admits() {
    let now = Utc::now();
    let at_close = EventRow {
        registration_closes_at: Some(now),
        ..event(now)
    };
    assert!(may_register(&at_close, now, 0, false).is_ok());
}

#[test]
fn strike_points_delay_registration() {
    let now = Utc::now();
    let opened = |hours_ago: i64| EventRow {
        registration_opens_at: Some(now - Duration::hours(hours_ago)),
        ..event(now)
    };
    assert!(refusal(may_register(&opened(2), now, 1, false)) == "strike_delay");
    assert!(may_register(&opened(3), now, 1, false).is_ok());
    assert!(refusal(may_register(&opened(11), now, 2, false)) == "strike_delay");
    assert!(may_register(&opened(12), now, 2, false).is_ok());
    assert!(may_register(&opened(12), now, 5, false).is_ok());
    let lenient = EventRow {
        enforces_previous_strikes: false,
        ..opened(0)
    };
    assert!(may_register(&lenient, now, 5, false).is_ok());
}

#[test]
fn leaving_before_the_deadline_is_free_then_costs_a_strike_then_is_refused() {
    let now = Utc::now();
    assert_eq!(may_leave_place(&event(now), now).ok(), Some(Leaving::Free));
    let past = EventRow {
        sign_off_deadline: Some(now - Duration::minutes(1)),
        starts_at: now + Duration::hours(3),
        ..event(now)
    };
    assert_eq!(may_leave_place(&past, now).ok(), Some(Leaving::WithStrike));
    let harmless = EventRow {
        can_cause_strikes: false,
        ..past.clone()
    };
    assert_eq!(may_leave_place(&harmless, now).ok(), Some(Leaving::Free));
    let late = EventRow {
        starts_at: now + Duration::hours(2),
        ..past
    };
    assert_eq!(
        may_leave_place(&late, now).expect_err("too late"),
        Refusal::TooLateToLeave
    );
}
