//! The use cases: one function per operation a handler offers. Each takes
//! the parsed input, the authorized caller and `now`, opens its own
//! transactions, applies the rules and answers a view or a refusal; a
//! handler only parses, authorizes, calls one of these and responds.

pub mod accept_invitation;
pub mod answer_form;
pub mod answer_offer;
pub mod attendance;
pub mod calendar;
pub mod categories;
pub mod create_event;
pub mod delete_event;
pub mod event_image;
pub mod event_registrations;
pub mod favourites;
pub mod forms;
pub mod invitations;
pub mod invite;
pub mod leave;
pub mod me;
pub mod move_registration;
pub mod participants;
pub mod place;
pub mod read_events;
pub mod register;
pub mod remove;
pub mod send_message;
pub mod statistics;
pub mod strikes;
pub mod update_event;
