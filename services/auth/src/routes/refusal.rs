//! The one place a refusal becomes an HTTP answer: its status, and its code
//! in the problem body.

use actix_web::http::StatusCode;
use common::ApiError;

use crate::domain::refusal::Refusal;

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        use Refusal::*;
        let status = match &refusal {
            // The request is incomplete or asks for what cannot be.
            LoginFieldsMissing
            | UnsupportedGrantType
            | ScopeNotAllowed { .. }
            | CurrentPasswordRequired
            | ResetLinkInvalid
            | ConfirmLinkInvalid => StatusCode::BAD_REQUEST,
            // Who is asking is not established.
            WrongCredentials
            | RefreshInvalid
            | SessionEnded
            | RefreshReused
            | RefreshExpired
            | AccountInactive
            | ClientCredentialsMissing
            | WrongClientCredentials
            | ClientRevoked => StatusCode::UNAUTHORIZED,
            // Established, and not allowed.
            AwaitingApproval
            | RegistrationDeclined
            | Deactivated
            | WrongPassword
            | NotUserReader
            | OwnAccountOnly
            | NotProvisioner
            | NotGroupManager { .. }
            | KindAdminOnly => StatusCode::FORBIDDEN,
            // What exists stands in the way.
            UsernameTaken { .. }
            | EmailTaken
            | CannotBecome { .. }
            | SelfLockout
            | SlugTaken { .. }
            | AlreadyMember => StatusCode::CONFLICT,
            LoginsHeld { .. } | AddressHeld { .. } => StatusCode::TOO_MANY_REQUESTS,
        };
        let mut error = ApiError::refused(status, refusal.code(), &refusal);
        if let LoginsHeld { wait, .. } | AddressHeld { wait } = refusal {
            error.retry_after = Some(wait);
        }
        error
    }
}
