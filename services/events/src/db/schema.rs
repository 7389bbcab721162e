// @generated automatically by Diesel CLI.

diesel::table! {
    calendar_links (user_id) {
        user_id -> Uuid,
        secret -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    categories (id) {
        id -> Uuid,
        name -> Text,
        description -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    event_messages (id) {
        id -> Uuid,
        event_id -> Uuid,
        sender_id -> Uuid,
        recipients -> Int4,
        sent_at -> Timestamptz,
    }
}

diesel::table! {
    event_settings (user_id) {
        user_id -> Uuid,
        accepts_event_rules -> Bool,
        public_registrations -> Bool,
        allergies -> Text,
        photo_consent -> Bool,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    events (id) {
        id -> Uuid,
        title -> Text,
        description -> Text,
        location -> Text,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        category_id -> Nullable<Uuid>,
        organizer_id -> Uuid,
        contact_person_id -> Nullable<Uuid>,
        image_url -> Text,
        sign_up -> Bool,
        capacity -> Int4,
        registration_opens_at -> Nullable<Timestamptz>,
        registration_closes_at -> Nullable<Timestamptz>,
        sign_off_deadline -> Nullable<Timestamptz>,
        only_prioritized -> Bool,
        can_cause_strikes -> Bool,
        enforces_previous_strikes -> Bool,
        closed -> Bool,
        priority_pools -> Jsonb,
        confirmed_count -> Int4,
        waiting_count -> Int4,
        created_by -> Uuid,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        attendance_taken_at -> Nullable<Timestamptz>,
        offer_hours -> Nullable<Int4>,
        image -> Nullable<Jsonb>,
    }
}

diesel::table! {
    favourites (user_id, event_id) {
        user_id -> Uuid,
        event_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    form_answers (form_id, user_id) {
        form_id -> Uuid,
        user_id -> Uuid,
        answers -> Jsonb,
        answered_at -> Timestamptz,
    }
}

diesel::table! {
    forms (id) {
        id -> Uuid,
        event_id -> Uuid,
        kind -> Text,
        title -> Text,
        questions -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    groups (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        kind -> Text,
        deleted -> Bool,
        synced_at -> Timestamptz,
    }
}

diesel::table! {
    invitations (event_id, user_id) {
        event_id -> Uuid,
        user_id -> Uuid,
        invited_by -> Uuid,
        invited_at -> Timestamptz,
    }
}

diesel::table! {
    job_runs (job, subject, occasion_at) {
        job -> Text,
        subject -> Uuid,
        occasion_at -> Timestamptz,
        instance -> Text,
        ran_at -> Timestamptz,
    }
}

diesel::table! {
    memberships (user_id, group_id) {
        user_id -> Uuid,
        group_id -> Uuid,
        role -> Nullable<Text>,
        synced_at -> Timestamptz,
    }
}

diesel::table! {
    registrations (id) {
        id -> Uuid,
        event_id -> Uuid,
        user_id -> Uuid,
        status -> Text,
        prioritized -> Bool,
        waiting_rank -> Nullable<Int2>,
        added_by_organizer -> Bool,
        registered_at -> Timestamptz,
        reason -> Text,
        attended_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
        check_in_code -> Text,
        offer_expires_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    strikes (id) {
        id -> Uuid,
        user_id -> Uuid,
        kind -> Text,
        points -> Int4,
        description -> Text,
        event_id -> Nullable<Uuid>,
        event_title -> Nullable<Text>,
        given_by -> Nullable<Uuid>,
        given_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        username -> Text,
        full_name -> Text,
        status -> Text,
        synced_at -> Timestamptz,
        memberships_known -> Bool,
    }
}

diesel::joinable!(event_messages -> events (event_id));
diesel::joinable!(events -> categories (category_id));
diesel::joinable!(favourites -> events (event_id));
diesel::joinable!(form_answers -> forms (form_id));
diesel::joinable!(forms -> events (event_id));
diesel::joinable!(invitations -> events (event_id));
diesel::joinable!(registrations -> events (event_id));
diesel::joinable!(strikes -> events (event_id));

diesel::allow_tables_to_appear_in_same_query!(
    calendar_links,
    categories,
    event_messages,
    event_settings,
    events,
    favourites,
    form_answers,
    forms,
    groups,
    invitations,
    job_runs,
    memberships,
    registrations,
    strikes,
    users,
);
