//! `contract!` declares a catalogue entry: a named type over a payload struct,
//! with its event type and version.

/// `contract!(Name, "service.entity.verb", version, Payload, "doc")` declares
/// `pub struct Name(pub Payload)`, serialized as the payload itself.
#[macro_export]
macro_rules! contract {
    ($(#[$meta:meta])* $name:ident, $type:literal, $version:literal, $payload:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $payload);

        impl $crate::Contract for $name {
            const TYPE: &'static str = $type;
            const VERSION: u32 = $version;
            const PRODUCER: &'static str = $crate::macros::producer_of($type);
        }

        impl ::std::ops::Deref for $name {
            type Target = $payload;
            fn deref(&self) -> &$payload {
                &self.0
            }
        }
    };
}

/// The part of an event type before its first dot.
pub const fn producer_of(event_type: &'static str) -> &'static str {
    let bytes = event_type.as_bytes();
    let mut end = 0;
    while end < bytes.len() && bytes[end] != b'.' {
        end += 1;
    }
    let (head, _) = bytes.split_at(end);
    match std::str::from_utf8(head) {
        Ok(head) => head,
        Err(_) => event_type,
    }
}
