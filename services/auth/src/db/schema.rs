// @generated automatically by Diesel CLI.

diesel::table! {
    api_clients (id) {
        id -> Uuid,
        name -> Text,
        secret_hash -> Bytea,
        scopes -> Array<Text>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    email_changes (user_id) {
        user_id -> Uuid,
        new_email -> Text,
        token_hash -> Bytea,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    groups (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        description -> Text,
        kind -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    known_devices (id) {
        id -> Uuid,
        user_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        last_used_at -> Timestamptz,
    }
}

diesel::table! {
    memberships (id) {
        id -> Uuid,
        group_id -> Uuid,
        user_id -> Uuid,
        role -> Text,
        started_at -> Timestamptz,
        ended_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    password_resets (id) {
        id -> Uuid,
        user_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        family_id -> Uuid,
        user_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        username -> Text,
        email -> Text,
        password_hash -> Text,
        full_name -> Text,
        status -> Text,
        status_reason -> Nullable<Text>,
        roles -> Array<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        last_login_at -> Nullable<Timestamptz>,
        password_meets_policy -> Bool,
        approved -> Bool,
        security_stamp -> Uuid,
    }
}

diesel::joinable!(api_clients -> users (created_by));
diesel::joinable!(email_changes -> users (user_id));
diesel::joinable!(known_devices -> users (user_id));
diesel::joinable!(memberships -> groups (group_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_clients,
    email_changes,
    groups,
    known_devices,
    memberships,
    password_resets,
    refresh_tokens,
    users,
);
