use crate::support::spawn;

#[tokio::test]
async fn starts_migrates_and_answers_operational_routes() {
    let platform = spawn(false).await;
    testkit::assert_operational_routes(platform.social_port).await;
    testkit::assert_documented_routes_exist(platform.social_port).await;
    let mut conn = platform.social_iso.db.connect();
    let rows =
        diesel::RunQueryDsl::execute(diesel::sql_query("SELECT id FROM messages"), &mut conn);
    assert_eq!(rows.unwrap(), 0, "its migrations ran in its own database");
}

#[tokio::test]
async fn the_latest_log_keeps_the_newest_value_and_prunes_old_rows() {
    let platform = spawn(false).await;
    let mut conn = platform.social_iso.db.connect();
    assert_eq!(social::db::latest::load(&mut conn).unwrap(), -1);
    for latest in 0..2500 {
        social::db::latest::store(&mut conn, latest).unwrap();
    }
    assert_eq!(social::db::latest::load(&mut conn).unwrap(), 2499);
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    let kept: Count = diesel::RunQueryDsl::get_result(
        diesel::sql_query("SELECT count(*) AS count FROM simulator_latest_log"),
        &mut conn,
    )
    .unwrap();
    assert!(
        kept.count <= 1500,
        "old rows are pruned, {} kept",
        kept.count
    );
}
