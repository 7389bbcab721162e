//! The JSON API under `/v1`, on `events.<BASE_DOMAIN>`.

use common::openapi::{ApiConfig, BearerAuth, RefusalCodes};
use utoipa::OpenApi;

pub mod calendar;
pub mod caller;
pub mod categories;
pub mod check_in;
pub mod events;
pub mod favourites;
pub mod form_answers;
pub mod forms;
pub mod images;
pub mod invitations;
pub mod me;
pub mod messages;
pub mod offers;
pub mod organizer;
pub mod participants;
pub mod refusal;
pub mod registrations;
pub mod statistics;
pub mod strikes;

/// The answers' shapes, shared with the use cases in `domain`.
pub use crate::views;

#[derive(OpenApi)]
#[openapi(
    info(title = "Events service", description = "Events, registrations with waiting lists and priority pools, strikes, check-in and calendar feeds. The rules: docs/events-service.md."),
    modifiers(&BearerAuth, &REFUSALS)
)]
struct ApiDoc;

/// The refusal codes, listed in the document's `Problem.code`.
const REFUSALS: RefusalCodes = RefusalCodes(crate::domain::refusal::CODES);

/// The document's title, description and security schemes; the operations
/// come from the route table.
pub fn openapi_base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Every route, in matching order (`registrations/me` before
/// `registrations/{user_id}`).
pub fn configure(cfg: &mut ApiConfig) {
    cfg.service(events::list_events)
        .service(events::create_event)
        .service(events::get_event)
        .service(events::update_event)
        .service(events::delete_event)
        .service(images::upload_image)
        .service(images::delete_image)
        .service(favourites::add_favourite)
        .service(favourites::remove_favourite)
        .service(categories::list_categories)
        .service(categories::create_category)
        .service(categories::update_category)
        .service(categories::delete_category)
        .service(registrations::register)
        .service(registrations::my_registration)
        .service(registrations::leave)
        .service(offers::accept)
        .service(offers::decline)
        .service(invitations::my_invitations)
        .service(invitations::accept)
        .service(invitations::decline)
        .service(invitations::event_invitations)
        .service(invitations::withdraw)
        .service(organizer::list_registrations)
        .service(organizer::add_registration)
        .service(organizer::remove_registration)
        .service(organizer::move_registration)
        .service(check_in::check_in)
        .service(check_in::undo_check_in)
        .service(check_in::check_in_by_code)
        .service(check_in::attendance_taken)
        .service(check_in::attendance_not_taken)
        .service(me::my_events)
        .service(me::my_settings)
        .service(me::update_my_settings)
        .service(strikes::my_strikes)
        .service(strikes::user_strikes)
        .service(strikes::give_strike)
        .service(strikes::remove_strike)
        .service(calendar::my_calendar)
        .service(calendar::rotate_calendar)
        .service(calendar::feed)
        .service(messages::send_message)
        .service(participants::public_participants)
        .service(statistics::event_statistics)
        .service(forms::create_form)
        .service(forms::event_forms)
        .service(forms::get_form)
        .service(forms::update_form)
        .service(forms::delete_form)
        .service(form_answers::answer)
        .service(form_answers::list_answers)
        .service(form_answers::summary)
        .service(form_answers::my_forms);
}
