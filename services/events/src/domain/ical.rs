//! A person's registrations as an iCalendar feed (RFC 5545): one VEVENT per
//! registration, with a UID that stays the same for an event, so calendar
//! clients update entries instead of adding them again.

use chrono::{DateTime, Utc};

use crate::db::models::{EventRow, WAITLISTED};

/// What a feed lists: an event and my registration's status.
pub struct Entry<'a> {
    pub event: &'a EventRow,
    pub status: &'a str,
}

/// The feed, lines ending in CRLF and folded at 75 octets.
pub fn calendar(entries: &[Entry<'_>], domain: &str, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Platform//Events//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:My events",
    ] {
        push(&mut out, line);
    }
    for entry in entries {
        event(&mut out, entry, domain, now);
    }
    push(&mut out, "END:VCALENDAR");
    out
}

fn event(out: &mut String, entry: &Entry<'_>, domain: &str, now: DateTime<Utc>) {
    let e = entry.event;
    let waiting = entry.status == WAITLISTED;
    let status = if e.closed {
        "CANCELLED"
    } else if waiting {
        "TENTATIVE"
    } else {
        "CONFIRMED"
    };
    let summary = if waiting {
        format!("[Waiting list] {}", e.title)
    } else {
        e.title.clone()
    };
    push(out, "BEGIN:VEVENT");
    push(out, &format!("UID:event-{}@{}", e.id, escape(domain)));
    push(out, &format!("DTSTAMP:{}", stamp(now)));
    push(out, &format!("LAST-MODIFIED:{}", stamp(e.updated_at)));
    push(out, &format!("DTSTART:{}", stamp(e.starts_at)));
    push(out, &format!("DTEND:{}", stamp(e.ends_at)));
    push(out, &format!("SUMMARY:{}", escape(&summary)));
    if !e.location.is_empty() {
        push(out, &format!("LOCATION:{}", escape(&e.location)));
    }
    if !e.description.is_empty() {
        push(out, &format!("DESCRIPTION:{}", escape(&e.description)));
    }
    push(out, &format!("STATUS:{status}"));
    push(out, "END:VEVENT");
}

/// A UTC date-time (`19970714T173000Z`).
fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// TEXT escaping: backslash, semicolon, comma and line breaks; other control
/// characters (not allowed in TEXT) are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded so that no line exceeds 75 octets (a
/// fold never splits a character).
fn push(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(escape("a;b,c\\d"), "a\\;b\\,c\\\\d");
        assert_eq!(
            escape("one\r\ntwo\nthree\rfour"),
            "one\\ntwo\\nthree\\nfour"
        );
        assert_eq!(escape("bell\u{7}tab\there"), "belltabhere");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "Æ".repeat(100));
        push(&mut out, &line);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }
}
