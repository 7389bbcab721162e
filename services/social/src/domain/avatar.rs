//! Avatars from Gravatar, as MiniTwit shows them (Gravatar accepts the
//! SHA-256 of the trimmed, lower-cased address).

/// The avatar image of the user with this email, `size` pixels square.
pub fn url(email: &str, size: u32) -> String {
    let normalised = email.trim().to_lowercase();
    let digest = ring::digest::digest(&ring::digest::SHA256, normalised.as_bytes());
    let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("https://www.gravatar.com/avatar/{hex}?d=identicon&s={size}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn same_address_same_avatar_whatever_the_case() {
        assert_eq!(
            super::url(" Alice@Example.org ", 48),
            super::url("alice@example.org", 48)
        );
        assert!(super::url("alice@example.org", 48).ends_with("?d=identicon&s=48"));
        assert_ne!(
            super::url("alice@example.org", 48),
            super::url("bob@example.org", 48)
        );
    }
}
