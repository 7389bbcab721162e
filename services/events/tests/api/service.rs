//! The service starts on its own database, migrates it, answers the
//! operational routes, and documents exactly the routes it serves.

use events::settings::EventsSettings;

#[tokio::test]
async fn starts_migrates_and_answers_operational_routes() {
    testkit::assert_service_starts::<events::Events>(|common| {
        EventsSettings::for_tests(common, "http://127.0.0.1:9")
    })
    .await;
}

#[test]
fn migrations_revert_cleanly_and_apply_again_to_the_same_schema() {
    use common::service::Service;
    testkit::migrations::assert_migrations_reversible("events", events::Events::migrations());
}

#[tokio::test]
async fn every_documented_route_exists() {
    let stack = crate::support::Stack::start().await;
    testkit::assert_documented_routes_exist(stack.events.port).await;
    stack.stop().await;
}

#[tokio::test]
async fn the_healthcheck_command_says_whether_the_service_answers() {
    let iso = testkit::Isolation::of::<events::Events>();
    let spawned = testkit::spawn::<events::Events>(
        &iso,
        EventsSettings::for_tests(iso.settings("events"), "http://127.0.0.1:9"),
    )
    .await;
    let check = |port: u16| {
        std::process::Command::new(env!("CARGO_BIN_EXE_events"))
            .arg("healthcheck")
            .env("EVENTS_LISTEN", format!("0.0.0.0:{port}"))
            .env("EVENTS_DATABASE_URL", &iso.db.url)
            .output()
            .unwrap()
    };
    let healthy = check(spawned.port);
    assert!(
        healthy.status.success(),
        "{}",
        String::from_utf8_lossy(&healthy.stderr)
    );
    let nobody = check(testkit::process::free_port());
    assert_eq!(nobody.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("is not healthy"));
    spawned.stop().await;
}
