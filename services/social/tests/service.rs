//! The social service starts on its own database, migrates it and answers the
//! operational routes every service has.

#[tokio::test]
async fn starts_migrates_and_answers_operational_routes() {
    testkit::assert_service_starts(
        &social::SERVICE,
        concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"),
    )
    .await;
}
