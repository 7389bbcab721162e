// @generated automatically by Diesel CLI.

diesel::table! {
    follows (follower_id, followee_id) {
        follower_id -> Uuid,
        followee_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    messages (id) {
        id -> Int8,
        author_id -> Uuid,
        text -> Text,
        created_at -> Timestamptz,
        flagged -> Bool,
    }
}

diesel::table! {
    news_articles (id) {
        id -> Int8,
        title -> Text,
        lead -> Text,
        body -> Text,
        image_url -> Nullable<Text>,
        author_id -> Uuid,
        author_username -> Text,
        group_slug -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        image -> Nullable<Jsonb>,
    }
}

diesel::table! {
    simulator_latest_log (id) {
        id -> Int8,
        latest -> Int8,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        username -> Text,
        email -> Text,
        status -> Text,
        synced_at -> Timestamptz,
        simulator -> Bool,
        security_stamp -> Nullable<Uuid>,
    }
}

diesel::table! {
    web_sessions (token_hash) {
        token_hash -> Bytea,
        user_id -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::joinable!(messages -> users (author_id));
diesel::joinable!(web_sessions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    follows,
    messages,
    news_articles,
    simulator_latest_log,
    users,
    web_sessions,
);
