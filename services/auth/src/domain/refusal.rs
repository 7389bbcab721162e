//! Why the identity service says no: one closed set of refusals, each with
//! a stable snake_case code that clients and tests match on and a message a
//! person can act on. No HTTP here: `routes::refusal` maps each to a
//! status, once.

/// A rule said no. The code (`Refusal::code`) is part of the API; the
/// message (`Display`) may be reworded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    // Logging in and sessions.
    LoginFieldsMissing,
    WrongCredentials,
    AwaitingApproval,
    RegistrationDeclined,
    Deactivated,
    /// Too many failed logins for one account or device; wait `wait` seconds.
    LoginsHeld {
        what: String,
        wait: u64,
    },
    /// Too many failing accounts from one address.
    AddressHeld {
        wait: u64,
    },
    RefreshInvalid,
    SessionEnded,
    RefreshReused,
    RefreshExpired,
    AccountInactive,
    // API clients.
    UnsupportedGrantType,
    ClientCredentialsMissing,
    WrongClientCredentials,
    ClientRevoked,
    ScopeNotAllowed {
        scope: String,
    },
    // Accounts.
    UsernameTaken {
        username: String,
    },
    EmailTaken,
    WrongPassword,
    CurrentPasswordRequired,
    ResetLinkInvalid,
    ConfirmLinkInvalid,
    CannotBecome {
        from: String,
        to: String,
    },
    SelfLockout,
    NotUserReader,
    OwnAccountOnly,
    NotProvisioner,
    // Groups.
    NotGroupManager {
        slug: String,
    },
    SlugTaken {
        slug: String,
    },
    KindAdminOnly,
    AlreadyMember,
}

/// Every code with what it means, for the OpenAPI document and the docs.
pub const CODES: &[(&str, &str)] = &[
    (
        "login_fields_missing",
        "send a username (or email) and a password",
    ),
    (
        "wrong_credentials",
        "no such account, or the wrong password",
    ),
    (
        "awaiting_approval",
        "an administrator has not approved the account yet",
    ),
    (
        "registration_declined",
        "an administrator declined the account",
    ),
    ("deactivated", "the account was deactivated"),
    (
        "logins_held",
        "too many failed logins for the account or device; wait",
    ),
    (
        "address_held",
        "too many failing accounts from the address; wait",
    ),
    ("refresh_invalid", "the refresh token is not valid"),
    ("session_ended", "the session was ended; log in again"),
    (
        "refresh_reused",
        "a used refresh token came again; the session is revoked",
    ),
    ("refresh_expired", "the refresh token expired; log in again"),
    ("account_inactive", "the account is not active"),
    (
        "unsupported_grant_type",
        "only client_credentials is supported",
    ),
    (
        "client_credentials_missing",
        "send client_id and client_secret",
    ),
    ("wrong_client_credentials", "unknown client or wrong secret"),
    ("client_revoked", "the API client was revoked"),
    ("scope_not_allowed", "the client may not ask for that scope"),
    ("username_taken", "the username is taken"),
    ("email_taken", "an account with the email address exists"),
    ("wrong_password", "the current password is wrong"),
    (
        "current_password_required",
        "changing the email address needs the current password",
    ),
    (
        "reset_link_invalid",
        "the reset link is invalid, used or expired",
    ),
    (
        "confirm_link_invalid",
        "the confirmation link is invalid, used or expired",
    ),
    (
        "cannot_become",
        "the account's status cannot change that way",
    ),
    ("self_lockout", "administrators cannot lock themselves out"),
    (
        "not_user_reader",
        "only administrators and users:read clients look users up",
    ),
    ("own_account_only", "a member sees only their own account"),
    (
        "not_provisioner",
        "only administrators and provisioning clients create accounts",
    ),
    (
        "not_group_manager",
        "only administrators and the group's leaders manage it",
    ),
    ("slug_taken", "a group with that slug exists"),
    (
        "kind_admin_only",
        "only administrators change a group's kind",
    ),
    (
        "already_member",
        "the user is a member already; change their role instead",
    ),
];

impl Refusal {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        use Refusal::*;
        match self {
            LoginFieldsMissing => "login_fields_missing",
            WrongCredentials => "wrong_credentials",
            AwaitingApproval => "awaiting_approval",
            RegistrationDeclined => "registration_declined",
            Deactivated => "deactivated",
            LoginsHeld { .. } => "logins_held",
            AddressHeld { .. } => "address_held",
            RefreshInvalid => "refresh_invalid",
            SessionEnded => "session_ended",
            RefreshReused => "refresh_reused",
            RefreshExpired => "refresh_expired",
            AccountInactive => "account_inactive",
            UnsupportedGrantType => "unsupported_grant_type",
            ClientCredentialsMissing => "client_credentials_missing",
            WrongClientCredentials => "wrong_client_credentials",
            ClientRevoked => "client_revoked",
            ScopeNotAllowed { .. } => "scope_not_allowed",
            UsernameTaken { .. } => "username_taken",
            EmailTaken => "email_taken",
            WrongPassword => "wrong_password",
            CurrentPasswordRequired => "current_password_required",
            ResetLinkInvalid => "reset_link_invalid",
            ConfirmLinkInvalid => "confirm_link_invalid",
            CannotBecome { .. } => "cannot_become",
            SelfLockout => "self_lockout",
            NotUserReader => "not_user_reader",
            OwnAccountOnly => "own_account_only",
            NotProvisioner => "not_provisioner",
            NotGroupManager { .. } => "not_group_manager",
            SlugTaken { .. } => "slug_taken",
            KindAdminOnly => "kind_admin_only",
            AlreadyMember => "already_member",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use Refusal::*;
        match self {
            LoginFieldsMissing => f.write_str("send a username (or email) and a password"),
            WrongCredentials => f.write_str("wrong username, email or password"),
            AwaitingApproval => {
                f.write_str("this account is waiting for an administrator's approval")
            }
            RegistrationDeclined => f.write_str("this account's registration was declined"),
            Deactivated => f.write_str("this account has been deactivated"),
            LoginsHeld { what, .. } => {
                write!(
                    f,
                    "too many failed logins for {what}; wait before trying again"
                )
            }
            AddressHeld { .. } => f.write_str(
                "too many failed logins to different accounts from your address; wait before \
                 trying again (a browser or app you have logged in with before is not held back)",
            ),
            RefreshInvalid => f.write_str("the refresh token is not valid"),
            SessionEnded => f.write_str("this session has ended; log in again"),
            RefreshReused => f.write_str(
                "the refresh token was already used; this session is now revoked, log in again",
            ),
            RefreshExpired => f.write_str("the refresh token has expired; log in again"),
            AccountInactive => f.write_str("this account is not active"),
            UnsupportedGrantType => f.write_str("grant_type must be client_credentials"),
            ClientCredentialsMissing => {
                f.write_str("send client_id and client_secret, in the body or as HTTP Basic auth")
            }
            WrongClientCredentials => f.write_str("unknown client or wrong secret"),
            ClientRevoked => f.write_str("this API client has been revoked"),
            ScopeNotAllowed { scope } => write!(f, "this client may not ask for scope {scope:?}"),
            UsernameTaken { username } => write!(f, "the username {username:?} is already taken"),
            EmailTaken => f.write_str("an account with this email address already exists"),
            WrongPassword => f.write_str("the current password is wrong"),
            CurrentPasswordRequired => {
                f.write_str("current_password is required to change the email address")
            }
            ResetLinkInvalid => f.write_str(
                "this reset link is invalid, already used or expired; ask for a new one",
            ),
            ConfirmLinkInvalid => f.write_str(
                "this confirmation link is invalid, already used or expired; change the address \
                 again",
            ),
            CannotBecome { from, to } => {
                write!(f, "the account is {from}, so it cannot become {to}")
            }
            SelfLockout => f.write_str("you cannot lock yourself out; ask another administrator"),
            NotUserReader => f.write_str(
                "only administrators and clients with the users:read scope may look users up",
            ),
            OwnAccountOnly => f.write_str("you may only see your own account"),
            NotProvisioner => {
                f.write_str("only administrators and provisioning clients may create accounts")
            }
            NotGroupManager { slug } => {
                write!(
                    f,
                    "only administrators and leaders of {slug:?} may manage it"
                )
            }
            SlugTaken { slug } => write!(f, "a group with slug {slug:?} already exists"),
            KindAdminOnly => f.write_str(
                "only administrators may change a group's kind; leaders may change its name and \
                 description",
            ),
            AlreadyMember => {
                f.write_str("that user is already a member; change their role instead")
            }
        }
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_refusal() -> Vec<Refusal> {
        use Refusal::*;
        vec![
            LoginFieldsMissing,
            WrongCredentials,
            AwaitingApproval,
            RegistrationDeclined,
            Deactivated,
            LoginsHeld {
                what: "x".into(),
                wait: 1,
            },
            AddressHeld { wait: 1 },
            RefreshInvalid,
            SessionEnded,
            RefreshReused,
            RefreshExpired,
            AccountInactive,
            UnsupportedGrantType,
            ClientCredentialsMissing,
            WrongClientCredentials,
            ClientRevoked,
            ScopeNotAllowed { scope: "x".into() },
            UsernameTaken {
                username: "x".into(),
            },
            EmailTaken,
            WrongPassword,
            CurrentPasswordRequired,
            ResetLinkInvalid,
            ConfirmLinkInvalid,
            CannotBecome {
                from: "a".into(),
                to: "b".into(),
            },
            SelfLockout,
            NotUserReader,
            OwnAccountOnly,
            NotProvisioner,
            NotGroupManager { slug: "x".into() },
            SlugTaken { slug: "x".into() },
            KindAdminOnly,
            AlreadyMember,
        ]
    }

    #[test]
    fn every_code_is_listed_once_and_every_listed_code_is_used() {
        let used: std::collections::BTreeSet<&str> =
            every_refusal().iter().map(Refusal::code).collect();
        let listed: std::collections::BTreeSet<&str> = CODES.iter().map(|(c, _)| *c).collect();
        assert_eq!(listed.len(), CODES.len(), "a code is listed twice");
        assert_eq!(used, listed);
    }

    #[test]
    fn the_docs_list_every_code() {
        let docs = include_str!("../../../../docs/auth.md");
        for (code, _) in CODES {
            assert!(
                docs.contains(&format!("| `{code}` |")),
                "docs/auth.md lacks {code}"
            );
        }
    }
}
