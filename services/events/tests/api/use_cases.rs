//! The registration use cases called directly, without HTTP: a database of
//! their own, `now` fixed by the test, one test per rule named after it.

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::jwt::TokenKind;
use common::{ApiError, AuthUser};
use contracts::events::{
    EventChanged, RegistrationConfirmed, RegistrationDemoted, RegistrationPromoted,
    RegistrationWaitlisted, StrikeGiven,
};
use contracts::Contract;
use events::db::models::GroupRow;
use events::db::{events as event_rows, members, settings, strikes};
use events::domain::actions::attendance::{self, Attendee};
use events::domain::actions::move_registration::{move_registration, Destination};
use events::domain::actions::strikes as event_strikes;
use events::domain::actions::{
    accept_invitation, answer_form, answer_offer, categories, delete_event, event_registrations,
    forms, invite, leave, register, remove, send_message, update_event,
};
use events::domain::event_input::EventChangeRequest;
use events::domain::forms::Question;
use events::domain::validate::EventFields;
use events::settings::EventsSettings;
use events::state::EventsState;
use events::views::{EventView, RegistrationView};
use testkit::UseCases;
use uuid::Uuid;

/// Monday 1 March 2027, noon: every test's `now`.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 1, 12, 0, 0).unwrap()
}

struct World {
    uc: UseCases,
    state: EventsState,
    organizer: Uuid,
}

impl World {
    fn new() -> Self {
        let uc = UseCases::of::<events::Events>();
        // Nobody asks auth: every person here has memberships on file.
        let settings = EventsSettings::for_tests(uc.iso.settings("events"), "http://127.0.0.1:9");
        let state = EventsState::new(settings).unwrap();
        let organizer = Uuid::new_v4();
        let group = GroupRow {
            id: organizer,
            slug: "cabin".into(),
            name: "Cabin".into(),
            kind: "committee".into(),
            deleted: false,
        };
        members::upsert_group(&mut uc.conn(), &group, now()).unwrap();
        Self {
            uc,
            state,
            organizer,
        }
    }

    /// A person on file who accepted the event rules.
    fn person(&self, name: &str) -> AuthUser {
        let id = Uuid::new_v4();
        let mut conn = self.uc.conn();
        members::mark_memberships_known(&mut conn, id, name, now()).unwrap();
        let mut mine = settings::of(&mut conn, id).unwrap();
        mine.accepts_event_rules = true;
        settings::save(&mut conn, id, &mine).unwrap();
        AuthUser {
            id,
            username: name.into(),
            roles: vec![],
            groups: vec![],
            kind: TokenKind::User,
            scopes: vec![],
            session: None,
            limits: vec![],
        }
    }

    /// An event open for registration since an hour, for `capacity`, with
    /// `change` applied.
    fn event(&self, capacity: i32, change: impl FnOnce(&mut EventFields)) -> Uuid {
        let now = now();
        let mut fields = EventFields {
            title: "Cabin trip".into(),
            description: String::new(),
            location: String::new(),
            starts_at: now + Duration::days(10),
            ends_at: now + Duration::days(11),
            category_id: None,
            organizer_id: self.organizer,
            contact_person_id: None,
            sign_up: true,
            capacity,
            registration_opens_at: Some(now - Duration::hours(1)),
            registration_closes_at: Some(now + Duration::days(5)),
            sign_off_deadline: Some(now + Duration::days(7)),
            only_prioritized: false,
            can_cause_strikes: true,
            enforces_previous_strikes: true,
            closed: false,
            priority_pools: vec![],
            offer_hours: None,
        };
        change(&mut fields);
        event_rows::insert(&mut self.uc.conn(), &fields, Uuid::new_v4())
            .unwrap()
            .id
    }

    async fn register(&self, who: &AuthUser, event: Uuid) -> Result<RegistrationView, ApiError> {
        register::register(&self.uc.infra, &self.state, who, "", event, now()).await
    }
}

/// The refusal's code, after checking it is one.
fn code<T: std::fmt::Debug>(result: Result<T, ApiError>) -> &'static str {
    result.expect_err("refused").code
}

#[tokio::test]
async fn a_free_place_confirms_and_a_full_event_puts_on_the_waiting_list() {
    let world = World::new();
    let event = world.event(1, |_| {});
    let ann = world.register(&world.person("ann"), event).await.unwrap();
    let bob = world.register(&world.person("bob"), event).await.unwrap();
    assert_eq!(
        (ann.status.as_str(), bob.status.as_str()),
        ("confirmed", "waitlisted")
    );
    assert_eq!(bob.position, Some(1));
    let published = world.uc.published();
    assert!(
        published.contains(&RegistrationConfirmed::TYPE.to_owned())
            && published.contains(&RegistrationWaitlisted::TYPE.to_owned()),
        "{published:?}"
    );
}

#[tokio::test]
async fn registration_not_open_before_the_opening() {
    let world = World::new();
    let event = world.event(5, |e| {
        e.registration_opens_at = Some(now() + Duration::minutes(1))
    });
    let ann = world.person("ann");
    assert_eq!(
        code(world.register(&ann, event).await),
        "registration_not_open"
    );
    assert!(world.uc.published().is_empty());
}

#[tokio::test]
async fn accepts_event_rules_first() {
    let world = World::new();
    let event = world.event(5, |_| {});
    let ann = world.person("ann");
    let mut conn = world.uc.conn();
    let mut mine = settings::of(&mut conn, ann.id).unwrap();
    mine.accepts_event_rules = false;
    settings::save(&mut conn, ann.id, &mine).unwrap();
    assert_eq!(
        code(world.register(&ann, event).await),
        "accepts_event_rules"
    );
}

#[tokio::test]
async fn survey_unanswered_holds_registration_back() {
    let world = World::new();
    let event = world.event(5, |_| {});
    forms::create_form(
        &world.uc.infra,
        event,
        "survey".into(),
        "Before".into(),
        questions(),
    )
    .await
    .unwrap();
    assert_eq!(
        code(world.register(&world.person("ann"), event).await),
        "survey_unanswered"
    );
}

#[tokio::test]
async fn sign_up_off_and_event_closed_and_registration_closed() {
    let world = World::new();
    let ann = world.person("ann");
    let off = world.event(5, |e| e.sign_up = false);
    assert_eq!(code(world.register(&ann, off).await), "sign_up_off");
    let closed = world.event(5, |e| e.closed = true);
    assert_eq!(code(world.register(&ann, closed).await), "event_closed");
    let past = world.event(5, |e| {
        e.registration_opens_at = Some(now() - Duration::days(2));
        e.registration_closes_at = Some(now() - Duration::minutes(1));
        e.sign_off_deadline = Some(now() - Duration::minutes(1));
    });
    assert_eq!(
        code(world.register(&ann, past).await),
        "registration_closed"
    );
}

#[tokio::test]
async fn only_prioritized_keeps_others_out() {
    let world = World::new();
    let organizer = world.organizer;
    let event = world.event(5, |e| {
        e.only_prioritized = true;
        e.priority_pools = vec![vec![organizer]];
    });
    assert_eq!(
        code(world.register(&world.person("ann"), event).await),
        "only_prioritized"
    );
    let member = world.person("mia");
    members::upsert_membership(
        &mut world.uc.conn(),
        member.id,
        organizer,
        Some("member"),
        now(),
    )
    .unwrap();
    let registered = world.register(&member, event).await.unwrap();
    assert!(registered.prioritized);
}

#[tokio::test]
async fn strike_delay_after_a_strike_point() {
    let world = World::new();
    let ann = world.person("ann");
    strikes::insert(
        &mut world.uc.conn(),
        &strikes::NewStrike {
            user_id: ann.id,
            kind: "late",
            points: 1,
            description: "",
            event_id: None,
            event_title: None,
            given_by: None,
            given_at: now() - Duration::days(1),
            expires_at: now() + Duration::days(30),
        },
    )
    .unwrap();
    // Opened an hour ago: one point waits three hours from the opening.
    let event = world.event(5, |_| {});
    assert_eq!(code(world.register(&ann, event).await), "strike_delay");
    let lenient = world.event(5, |e| e.enforces_previous_strikes = false);
    assert!(world.register(&ann, lenient).await.is_ok());
}

#[tokio::test]
async fn already_registered_once_is_enough() {
    let world = World::new();
    let event = world.event(5, |_| {});
    let ann = world.person("ann");
    world.register(&ann, event).await.unwrap();
    assert_eq!(
        code(world.register(&ann, event).await),
        "already_registered"
    );
}

#[tokio::test]
async fn too_late_to_leave_close_to_the_start_and_a_strike_after_the_deadline() {
    let world = World::new();
    let ann = world.person("ann");
    let bob = world.person("bob");
    let soon = world.event(5, |e| {
        e.registration_opens_at = Some(now() - Duration::days(3));
        e.sign_off_deadline = Some(now() - Duration::days(1));
        e.registration_closes_at = Some(now() + Duration::minutes(30));
        e.starts_at = now() + Duration::hours(1);
        e.ends_at = now() + Duration::hours(3);
    });
    world.register(&ann, soon).await.unwrap();
    let left = leave::leave(&world.uc.infra, &world.state, ann.id, soon, now()).await;
    assert_eq!(code(left), "too_late_to_leave");

    let later = world.event(5, |e| {
        e.registration_opens_at = Some(now() - Duration::days(3));
        e.sign_off_deadline = Some(now() - Duration::days(1));
    });
    world.register(&bob, later).await.unwrap();
    leave::leave(&world.uc.infra, &world.state, bob.id, later, now())
        .await
        .unwrap();
    let points = strikes::active_points(&mut world.uc.conn(), bob.id, now()).unwrap();
    assert_eq!(points, 1, "leaving after the deadline costs a strike point");
    assert!(world.uc.published().contains(&StrikeGiven::TYPE.to_owned()));
}

#[tokio::test]
async fn an_invitation_is_needed_to_accept_one() {
    let world = World::new();
    let event = world.event(5, |_| {});
    let ann = world.person("ann");
    let accepted =
        accept_invitation::accept_invitation(&world.uc.infra, &world.state, &ann, "", event, now())
            .await;
    assert_eq!(code(accepted), "not_found");
    assert!(
        world.register(&ann, event).await.is_ok(),
        "nothing was registered"
    );
}

#[tokio::test]
async fn no_free_place_to_move_into_and_nobody_waiting_to_take_one() {
    let world = World::new();
    let event = world.event(1, |_| {});
    let (ann, bob) = (world.person("ann"), world.person("bob"));
    world.register(&ann, event).await.unwrap();
    let infra = &world.uc.infra;
    let alone = move_registration(infra, event, ann.id, Destination::WaitingList, now()).await;
    assert_eq!(code(alone), "nobody_waiting");
    world.register(&bob, event).await.unwrap();
    let full = move_registration(infra, event, bob.id, Destination::Place, now()).await;
    assert_eq!(code(full), "no_free_place");
    // Ann steps aside: Bob takes her place.
    let ann_now = move_registration(infra, event, ann.id, Destination::WaitingList, now())
        .await
        .unwrap();
    assert_eq!(ann_now.status, "waitlisted");
    let published = world.uc.published();
    assert!(
        published.contains(&RegistrationPromoted::TYPE.to_owned()),
        "{published:?}"
    );
}

#[tokio::test]
async fn waitlisted_are_not_checked_in_and_a_check_in_counts_once() {
    let world = World::new();
    let event = world.event(1, |_| {});
    let (ann, bob) = (world.person("ann"), world.person("bob"));
    world.register(&ann, event).await.unwrap();
    world.register(&bob, event).await.unwrap();
    let infra = &world.uc.infra;
    let check = |who: Uuid, attended: bool| {
        attendance::mark(infra, event, Attendee::User(who), attended, now())
    };
    assert_eq!(code(check(bob.id, true).await), "waitlisted");
    assert_eq!(code(check(ann.id, false).await), "not_checked_in");
    let checked = check(ann.id, true).await.unwrap();
    assert_eq!(
        checked.attended_at,
        Some(now()),
        "checked in at the caller's now"
    );
    assert_eq!(code(check(ann.id, true).await), "already_checked_in");
    let by_code = attendance::mark(infra, event, Attendee::Code("nope".into()), true, now()).await;
    assert_eq!(code(by_code), "not_found");
}

#[tokio::test]
async fn an_invitation_goes_to_someone_not_registered_while_registration_is_open() {
    let world = World::new();
    let organizer = world.person("olga");
    let (ann, bob) = (world.person("ann"), world.person("bob"));
    let infra = &world.uc.infra;
    let event = world.event(5, |_| {});
    world.register(&ann, event).await.unwrap();
    let registered = invite::invite(infra, &organizer, event, ann.id, now()).await;
    assert_eq!(code(registered), "already_registered");
    let closed = world.event(5, |e| e.closed = true);
    let to_closed = invite::invite(infra, &organizer, closed, bob.id, now()).await;
    assert_eq!(code(to_closed), "event_closed");
    let sent = invite::invite(infra, &organizer, event, bob.id, now())
        .await
        .unwrap();
    assert_eq!(sent.expires_at, now() + Duration::days(5));
    let accepted =
        accept_invitation::accept_invitation(infra, &world.state, &bob, "", event, now())
            .await
            .unwrap();
    assert!(
        !accepted.added_by_organizer,
        "accepting is the person's own choice"
    );
}

#[tokio::test]
async fn a_removal_by_the_organizers_costs_no_strike_even_after_the_deadline() {
    let world = World::new();
    let ann = world.person("ann");
    let event = world.event(5, |e| {
        e.registration_opens_at = Some(now() - Duration::days(3));
        e.sign_off_deadline = Some(now() - Duration::days(1));
    });
    world.register(&ann, event).await.unwrap();
    remove::remove(&world.uc.infra, event, ann.id, now())
        .await
        .unwrap();
    let points = strikes::active_points(&mut world.uc.conn(), ann.id, now()).unwrap();
    assert_eq!(points, 0);
    let again = remove::remove(&world.uc.infra, event, ann.id, now()).await;
    assert_eq!(code(again), "not_found");
}

impl World {
    /// An organizer of the event changes it at the fixed `now`.
    async fn change(&self, id: Uuid, change: EventChangeRequest) -> Result<EventView, ApiError> {
        let current = event_rows::find(&mut self.uc.conn(), id).unwrap().unwrap();
        let organizer = self.person("olga");
        let (infra, state) = (&self.uc.infra, &self.state);
        update_event::update_event(infra, state, &organizer, "", current, change, now()).await
    }
}

#[tokio::test]
async fn a_moved_event_tells_its_participants_and_cannot_move_into_the_past() {
    let world = World::new();
    let event = world.event(2, |_| {});
    world.register(&world.person("ann"), event).await.unwrap();

    let past = EventChangeRequest {
        registration_opens_at: Some(Some(now() - Duration::days(2))),
        registration_closes_at: Some(Some(now() - Duration::hours(2))),
        sign_off_deadline: Some(Some(now() - Duration::hours(2))),
        starts_at: Some(now() - Duration::hours(1)),
        ends_at: Some(now() + Duration::hours(1)),
        ..Default::default()
    };
    let refused = world.change(event, past).await;
    let refused = refused.expect_err("into the past");
    assert_eq!(refused.code, "invalid_fields");
    let fields = refused.errors.unwrap_or_default();
    assert!(fields.contains_key("starts_at"), "{fields:?}");
    assert!(!world
        .uc
        .published()
        .contains(&EventChanged::TYPE.to_owned()));

    let later = EventChangeRequest {
        starts_at: Some(now() + Duration::days(11)),
        ends_at: Some(now() + Duration::days(12)),
        ..Default::default()
    };
    let moved = world.change(event, later).await.unwrap();
    assert_eq!(moved.starts_at, now() + Duration::days(11));
    assert!(world
        .uc
        .published()
        .contains(&EventChanged::TYPE.to_owned()));
}

#[tokio::test]
async fn a_lower_capacity_moves_the_latest_to_the_waiting_list() {
    let world = World::new();
    let event = world.event(2, |_| {});
    let (ann, bob) = (world.person("ann"), world.person("bob"));
    world.register(&ann, event).await.unwrap();
    world.register(&bob, event).await.unwrap();
    let smaller = EventChangeRequest {
        capacity: Some(1),
        ..Default::default()
    };
    world.change(event, smaller).await.unwrap();
    let mut conn = world.uc.conn();
    let bob_now = events::db::registrations::find(&mut conn, event, bob.id)
        .unwrap()
        .unwrap();
    assert_eq!(bob_now.status, "waitlisted");
    assert!(world
        .uc
        .published()
        .contains(&RegistrationDemoted::TYPE.to_owned()));
}

#[tokio::test]
async fn a_deleted_event_is_cancelled_for_everyone_registered() {
    let world = World::new();
    let event = world.event(2, |_| {});
    world.register(&world.person("ann"), event).await.unwrap();
    delete_event::delete_event(&world.uc.infra, &world.state, event)
        .await
        .unwrap();
    assert!(event_rows::find(&mut world.uc.conn(), event)
        .unwrap()
        .is_none());
    assert!(world
        .uc
        .published()
        .contains(&EventChanged::TYPE.to_owned()));
    assert_eq!(
        code(world.register(&world.person("bob"), event).await),
        "not_found"
    );
}

fn questions() -> Vec<Question> {
    serde_json::from_value(serde_json::json!([{"text": "How was it?", "type": "text"}])).unwrap()
}

#[tokio::test]
async fn form_exists_once_per_kind_and_form_answered_freezes_it() {
    let world = World::new();
    let event = world.event(5, |_| {});
    let infra = &world.uc.infra;
    let create = || forms::create_form(infra, event, "survey".into(), "Before".into(), questions());
    let survey = create().await.unwrap();
    assert_eq!(code(create().await), "form_exists");
    let ann = world.person("ann");
    let answers = vec![serde_json::json!("Fine")];
    answer_form::answer_form(infra, &ann, survey.id, answers.clone(), now())
        .await
        .unwrap();
    let again = answer_form::answer_form(infra, &ann, survey.id, answers, now()).await;
    assert_eq!(code(again), "already_answered");
    let row = events::db::forms::find(&mut world.uc.conn(), survey.id)
        .unwrap()
        .unwrap();
    let edit = forms::update_form(infra, row, Some("Renamed".into()), None).await;
    assert_eq!(code(edit), "form_answered");
}

#[tokio::test]
async fn an_evaluation_waits_for_the_end_and_takes_only_those_who_attended() {
    let world = World::new();
    let event = world.event(5, |_| {});
    let (ann, bob) = (world.person("ann"), world.person("bob"));
    world.register(&ann, event).await.unwrap();
    let infra = &world.uc.infra;
    let evaluation = forms::create_form(
        infra,
        event,
        "evaluation".into(),
        "After".into(),
        questions(),
    )
    .await
    .unwrap();
    let answer = |who: &AuthUser, at: DateTime<Utc>| {
        let who = who.clone();
        async move {
            let answers = vec![serde_json::json!("Good")];
            answer_form::answer_form(infra, &who, evaluation.id, answers, at).await
        }
    };
    assert_eq!(code(answer(&ann, now()).await), "not_ended");
    let after = now() + Duration::days(12);
    assert_eq!(code(answer(&bob, after).await), "not_attended");
    let answered = answer(&ann, after).await.unwrap();
    assert_eq!(answered.answered_at, after);
}

#[tokio::test]
async fn an_offer_is_answered_only_by_whom_it_went_to_and_only_while_it_lasts() {
    let world = World::new();
    // Two days to the start, offers of up to 72 hours: one made now lasts
    // until an hour before the start.
    let event = world.event(1, |e| {
        e.offer_hours = Some(72);
        e.starts_at = now() + Duration::days(2);
        e.ends_at = now() + Duration::days(2) + Duration::hours(3);
        e.registration_closes_at = Some(now() + Duration::days(1));
        e.sign_off_deadline = Some(now() + Duration::days(1));
    });
    let (ann, bob, cat) = (
        world.person("ann"),
        world.person("bob"),
        world.person("cat"),
    );
    for who in [&ann, &bob, &cat] {
        world.register(who, event).await.unwrap();
    }
    let infra = &world.uc.infra;
    leave::leave(infra, &world.state, ann.id, event, now())
        .await
        .unwrap();
    let not_offered = answer_offer::accept_offer(infra, &cat, event, now()).await;
    assert_eq!(code(not_offered), "not_offered");
    let late = now() + Duration::hours(47);
    let expired = answer_offer::accept_offer(infra, &bob, event, late).await;
    assert_eq!(code(expired), "offer_expired");
    let accepted = answer_offer::accept_offer(infra, &bob, event, now() + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(accepted.status, "confirmed");
}

#[tokio::test]
async fn nobody_in_audience_and_the_message_limit() {
    let world = World::new();
    let event = world.event(5, |_| {});
    let row = || {
        event_rows::find(&mut world.uc.conn(), event)
            .unwrap()
            .unwrap()
    };
    let organizer = world.person("olga");
    let message = |audience: &str| send_message::Message {
        subject: "Hello".into(),
        body: "See you".into(),
        audience: audience.into(),
    };
    let infra = &world.uc.infra;
    let nobody = send_message::send_message(infra, &organizer, row(), message("all"), now()).await;
    assert_eq!(code(nobody), "nobody_in_audience");
    world.register(&world.person("ann"), event).await.unwrap();
    for minute in 0..10 {
        let at = now() + Duration::minutes(minute);
        send_message::send_message(infra, &organizer, row(), message("confirmed"), at)
            .await
            .unwrap();
    }
    let eleventh = send_message::send_message(
        infra,
        &organizer,
        row(),
        message("all"),
        now() + Duration::hours(1),
    )
    .await;
    let refused = eleventh.expect_err("over the limit");
    assert_eq!(refused.code, "message_limit");
    assert_eq!(
        refused.retry_after,
        Some(23 * 3600),
        "until the first is a day old"
    );
}

#[tokio::test]
async fn strike_exists_once_per_event_and_category_exists_once_per_name() {
    let world = World::new();
    let event = world.event(5, |_| {});
    let (manager, ann) = (world.person("sam"), world.person("ann"));
    let strike = || event_strikes::Strike {
        user_id: ann.id,
        kind: "past_deadline".into(),
        description: String::new(),
        event_id: Some(event),
    };
    let infra = &world.uc.infra;
    event_strikes::give_strike(infra, &world.state, &manager, strike(), now())
        .await
        .unwrap();
    let twice = event_strikes::give_strike(infra, &world.state, &manager, strike(), now()).await;
    assert_eq!(code(twice), "strike_exists");
    let parties = || categories::CategoryFields {
        name: Some("Parties".into()),
        description: None,
    };
    categories::create_category(infra, parties()).await.unwrap();
    assert_eq!(
        code(categories::create_category(infra, parties()).await),
        "category_exists"
    );
}

#[tokio::test]
async fn a_private_group_does_not_filter_an_events_registrations() {
    let world = World::new();
    let event = world.event(5, |_| {});
    let secret = GroupRow {
        id: Uuid::new_v4(),
        slug: "secret-club".into(),
        name: "Secret club".into(),
        kind: "private".into(),
        deleted: false,
    };
    members::upsert_group(&mut world.uc.conn(), &secret, now()).unwrap();
    let row = event_rows::find(&mut world.uc.conn(), event)
        .unwrap()
        .unwrap();
    let filter = event_registrations::Filter {
        group: Some("secret-club".into()),
        ..Default::default()
    };
    let request = actix_web::test::TestRequest::default().to_http_request();
    let params = common::list::ListParams::default();
    let sort = events::routes::organizer::SORT_FIELDS;
    let list = common::list::ListRequest::parse(params, sort, "status", &request).unwrap();
    let listed =
        event_registrations::registrations_of(&world.uc.infra, row, filter, list, now()).await;
    assert_eq!(code(listed), "private_group");
}
