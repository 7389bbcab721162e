use common::service::Service;

#[test]
fn migrations_revert_cleanly_and_apply_again_to_the_same_schema() {
    testkit::migrations::assert_migrations_reversible("auth", auth::Auth::migrations());
}
