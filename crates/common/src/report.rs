//! Errors of background work (relay, consumers, workers, start-up) keep their
//! cause chain; this prints all of it on one log line, so "relay failed"
//! arrives with the broker's or database's own words behind it.

use std::error::Error;
use std::fmt;

/// Displays an error followed by each of its causes: `a: b: c`.
pub struct Chain<'a>(pub &'a (dyn Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(error) = cause {
            write!(f, ": {error}")?;
            cause = error.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Chain;

    #[derive(Debug, thiserror::Error)]
    #[error("the relay could not publish")]
    struct Outer(#[source] Inner);

    #[derive(Debug, thiserror::Error)]
    #[error("the broker refused the connection")]
    struct Inner;

    #[test]
    fn a_chain_shows_every_cause_in_order() {
        let error = Outer(Inner);
        assert_eq!(
            Chain(&error).to_string(),
            "the relay could not publish: the broker refused the connection"
        );
    }
}
