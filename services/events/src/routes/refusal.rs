//! The one place a refusal becomes an HTTP answer: its status, and its code
//! in the problem body.

use actix_web::http::StatusCode;
use common::ApiError;

use crate::domain::refusal::Refusal;

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        use Refusal::*;
        let status = match &refusal {
            // The request cannot be honoured until the caller does something first.
            AcceptsEventRules | SurveyUnanswered | EvaluationDue { .. } | PrivateGroupFilter => {
                StatusCode::BAD_REQUEST
            }
            // A rule forbids it for this caller, now.
            RegistrationNotOpen { .. }
            | SignUpOff
            | NoRegistrationWindow
            | StrikeDelay { .. }
            | EventClosed
            | RegistrationClosed { .. }
            | OnlyPrioritized
            | TooLateToLeave
            | NotWriter { .. }
            | NotStrikeManager
            | NotEnded
            | NotAttended => StatusCode::FORBIDDEN,
            // What exists stands in the way.
            AlreadyRegistered
            | PersonRegistered
            | OfferExpired { .. }
            | NotOffered
            | InvitationToClosedEvent
            | InvitationWouldExpire
            | NoFreePlace
            | NobodyWaiting
            | Waitlisted
            | AlreadyCheckedIn
            | NotCheckedIn
            | NobodyInAudience
            | StrikeExists
            | CategoryExists
            | FormExists { .. }
            | FormAnswered
            | AlreadyAnswered => StatusCode::CONFLICT,
            MessageLimit { .. } => StatusCode::TOO_MANY_REQUESTS,
        };
        let mut error = ApiError::refused(status, refusal.code(), &refusal);
        if let MessageLimit { wait_seconds, .. } = refusal {
            error.retry_after = Some(wait_seconds);
        }
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn a_refusal_has_its_code_apart_from_the_message() {
        let error = ApiError::from(Refusal::SignUpOff);
        assert_eq!(error.status, StatusCode::FORBIDDEN);
        assert_eq!(error.code, "sign_up_off");
        assert_eq!(error.detail, "this event does not take registrations");
    }

    #[test]
    fn the_message_limit_says_when_to_try_again() {
        let error = ApiError::from(Refusal::MessageLimit {
            per_window: 10,
            window_hours: 24,
            next_at: Utc::now(),
            wait_seconds: 3600,
        });
        assert_eq!(error.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(error.retry_after, Some(3600));
    }
}
