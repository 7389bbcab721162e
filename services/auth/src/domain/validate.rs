//! Rules for what people may type.

use common::Validator;

pub const USERNAME_MAX: usize = 64;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 1024;
/// Characters a new password may have (at most [`PASSWORD_MAX`] bytes).
pub const PASSWORD_MAX_CHARS: usize = 256;

/// Names the site's own pages and files use: the web pages show a user's
/// timeline at `/<username>`, so no one may be called after them.
pub const RESERVED_USERNAMES: &[&str] = &[
    "add_message",
    "api",
    "documentation",
    "favicon.ico",
    "healthz",
    "login",
    "logout",
    "metrics",
    "openapi.json",
    "public",
    "readyz",
    "register",
    "reset-password",
    "confirm-email",
    "robots.txt",
    "static",
    "ws",
];

/// Letters, digits, spaces and `._-`; MiniTwit users have names like `Roger Histand`.
pub fn username(v: &mut Validator, username: &str) {
    v.check(
        !RESERVED_USERNAMES
            .iter()
            .any(|reserved| reserved.eq_ignore_ascii_case(username.trim())),
        "username",
        format!("{username:?} is the name of one of the site's pages; choose another"),
    );
    let length = username.chars().count();
    v.check(length > 0, "username", "must not be empty");
    v.check(
        length <= USERNAME_MAX,
        "username",
        format!("must be at most {USERNAME_MAX} characters"),
    );
    v.check(
        username
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-')),
        "username",
        "may contain only letters, digits, spaces and . _ -",
    );
    v.check(
        username.trim() == username && !username.contains("  "),
        "username",
        "must not start or end with a space or contain two spaces in a row",
    );
}

/// A pragmatic address check: one `@`, a local part, and a dotted domain.
pub fn email(v: &mut Validator, email: &str) {
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && local.len() <= 64
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    v.check(
        valid,
        "email",
        "must be a valid email address, like name@example.org",
    );
}

/// The password policy of a registration channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordPolicy {
    /// People registering through the platform: at least 8 characters.
    Standard,
    /// Accounts provisioned by a trusted service for clients with their own
    /// rules (the MiniTwit simulator API accepts any non-empty password).
    Provisioned,
}

pub fn password(v: &mut Validator, field: &str, password: &str, policy: PasswordPolicy) {
    let length = password.chars().count();
    match policy {
        PasswordPolicy::Standard => v.check(
            length >= PASSWORD_MIN,
            field,
            format!("must be at least {PASSWORD_MIN} characters"),
        ),
        PasswordPolicy::Provisioned => v.check(length > 0, field, "must not be empty"),
    };
    v.check(
        length <= PASSWORD_MAX_CHARS,
        field,
        format!("must be at most {PASSWORD_MAX_CHARS} characters"),
    );
}

/// Checks a new password (change or reset) against the standard policy.
pub fn new_password(password_value: &str) -> Result<(), common::ApiError> {
    let mut v = Validator::new();
    password(
        &mut v,
        "new_password",
        password_value,
        PasswordPolicy::Standard,
    );
    v.finish()
}

/// Group slugs: lowercase letters, digits and dashes.
pub fn slug(v: &mut Validator, slug: &str) {
    v.check(
        !slug.is_empty()
            && slug.len() <= 64
            && slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !slug.starts_with('-')
            && !slug.ends_with('-'),
        "slug",
        "must be 1 to 64 lowercase letters, digits and dashes, not starting or ending with a dash",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(check: impl Fn(&mut Validator)) -> bool {
        let mut v = Validator::new();
        check(&mut v);
        v.finish().is_ok()
    }

    #[test]
    fn usernames_allow_minitwit_names_and_reject_markup() {
        assert!(ok(|v| username(v, "Roger Histand")));
        assert!(ok(|v| username(v, "jane.doe-2_x")));
        assert!(ok(|v| username(v, "Åse Øvre")));
        assert!(!ok(|v| username(v, "")));
        assert!(!ok(|v| username(v, "<script>")));
        assert!(!ok(|v| username(v, " padded")));
        assert!(!ok(|v| username(v, &"x".repeat(65))));
    }

    #[test]
    fn emails_need_an_at_and_a_dotted_domain() {
        assert!(ok(|v| email(v, "a@b.org")));
        assert!(!ok(|v| email(v, "a.b.org")));
        assert!(!ok(|v| email(v, "a@b")));
        assert!(!ok(|v| email(v, "a @b.org")));
        assert!(!ok(|v| email(v, "a@@b.org")));
    }

    #[test]
    fn password_policies_differ_by_channel() {
        assert!(!ok(|v| password(
            v,
            "password",
            "short",
            PasswordPolicy::Standard
        )));
        assert!(ok(|v| password(
            v,
            "password",
            "longenough",
            PasswordPolicy::Standard
        )));
        assert!(ok(|v| password(
            v,
            "password",
            "x",
            PasswordPolicy::Provisioned
        )));
        assert!(!ok(|v| password(
            v,
            "password",
            "",
            PasswordPolicy::Provisioned
        )));
    }
}
