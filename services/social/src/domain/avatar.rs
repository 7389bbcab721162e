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
        let url = super::url("alice@example.org", 48);
        assert!(url.ends_with("?d=identicon&s=48"));
        // SHA-256 of "alice@example.org", as Gravatar expects it.
        assert!(url.starts_with(
            "https://www.gravatar.com/avatar/7a64adf28737ea90719cbdf0b1a87a5effff3753b79c91d717f4f4153ead0498"
        ), "{url}");
        assert_ne!(
            super::url("alice@example.org", 48),
            super::url("bob@example.org", 48)
        );
    }
}
