//! The events service starts on its own database, migrates it and answers the
//! operational routes every service has.

#[tokio::test]
async fn starts_migrates_and_answers_operational_routes() {
    testkit::assert_service_starts::<events::Events>().await;
}

#[test]
fn migrations_revert_cleanly_and_apply_again_to_the_same_schema() {
    use common::service::Service;
    testkit::migrations::assert_migrations_reversible("events", events::Events::migrations());
}
