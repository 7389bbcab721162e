// @generated automatically by Diesel CLI.

diesel::table! {
    digest_runs (day) {
        day -> Date,
        ran_at -> Timestamptz,
        instance -> Text,
        mails -> Int4,
    }
}

diesel::table! {
    notification_settings (user_id, kind) {
        user_id -> Uuid,
        kind -> Text,
        email -> Bool,
        in_app -> Bool,
        push -> Bool,
    }
}

diesel::table! {
    notifications (id) {
        id -> Int8,
        user_id -> Uuid,
        kind -> Text,
        title -> Text,
        body -> Text,
        link -> Nullable<Text>,
        data -> Jsonb,
        in_app -> Bool,
        event_id -> Uuid,
        created_at -> Timestamptz,
        read_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    outgoing_mail (id) {
        id -> Int8,
        message_id -> Text,
        recipient -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        sensitive -> Bool,
    }
}

diesel::table! {
    recipients (id) {
        id -> Uuid,
        username -> Text,
        email -> Text,
        status -> Text,
        daily_digest -> Bool,
        synced_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    digest_runs,
    notification_settings,
    notifications,
    outgoing_mail,
    recipients,
);
