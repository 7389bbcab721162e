//! Per user and kind channel choices.

use diesel::prelude::*;
use uuid::Uuid;

use super::schema::notification_settings as settings;
use crate::domain::kinds::Channels;

/// The user's stored choices, by kind.
pub fn of_user(conn: &mut PgConnection, user: Uuid) -> QueryResult<Vec<(String, Channels)>> {
    settings::table
        .filter(settings::user_id.eq(user))
        .select((
            settings::kind,
            settings::email,
            settings::in_app,
            settings::push,
        ))
        .load::<(String, bool, bool, bool)>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(kind, email, in_app, push)| {
                    (
                        kind,
                        Channels {
                            email,
                            in_app,
                            push,
                        },
                    )
                })
                .collect()
        })
}

pub fn of_user_kind(
    conn: &mut PgConnection,
    user: Uuid,
    kind: &str,
) -> QueryResult<Option<Channels>> {
    settings::table
        .find((user, kind))
        .select((settings::email, settings::in_app, settings::push))
        .first::<(bool, bool, bool)>(conn)
        .optional()
        .map(|row| {
            row.map(|(email, in_app, push)| Channels {
                email,
                in_app,
                push,
            })
        })
}

pub fn store(conn: &mut PgConnection, user: Uuid, kind: &str, c: Channels) -> QueryResult<usize> {
    diesel::insert_into(settings::table)
        .values((
            settings::user_id.eq(user),
            settings::kind.eq(kind),
            settings::email.eq(c.email),
            settings::in_app.eq(c.in_app),
            settings::push.eq(c.push),
        ))
        .on_conflict((settings::user_id, settings::kind))
        .do_update()
        .set((
            settings::email.eq(c.email),
            settings::in_app.eq(c.in_app),
            settings::push.eq(c.push),
        ))
        .execute(conn)
}
