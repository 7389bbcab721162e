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
