//! The social service starts on its own database, migrates it and answers the
//! operational routes every service has.

#[tokio::test]
async fn starts_migrates_and_answers_operational_routes() {
    let (port, iso) = testkit::spawn_service(
        &social::SERVICE,
        concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"),
    )
    .await;
    testkit::assert_operational_routes(port).await;
    // Its migrations ran: the outbox exists in its own database.
    let mut conn = iso.db.connect();
    let rows = diesel::RunQueryDsl::execute(diesel::sql_query("SELECT id FROM outbox"), &mut conn);
    assert_eq!(rows.unwrap(), 0);
}
