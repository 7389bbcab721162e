use crate::support::spawn;

#[tokio::test]
async fn starts_migrates_and_answers_operational_routes() {
    let platform = spawn(false).await;
    testkit::assert_operational_routes(platform.social_port).await;
    let mut conn = platform.social_iso.db.connect();
    let rows =
        diesel::RunQueryDsl::execute(diesel::sql_query("SELECT id FROM messages"), &mut conn);
    assert_eq!(rows.unwrap(), 0, "its migrations ran in its own database");
}
