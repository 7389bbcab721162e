//! HTML of the web pages: escaping, the layout and the message list, as
//! MiniTwit's templates render them (docs/social.md).

use std::fmt::Write;

use chrono::{DateTime, Utc};

use crate::db::messages::Shown;
use crate::db::users::User;
use crate::domain::avatar;

/// Escapes text for HTML as MiniTwit does (`"` as `&#34;`, `'` as `&#39;`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a username for a path segment (`a b` → `a%20b`).
pub fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `YYYY-MM-DD @ HH:MM` (UTC).
pub fn date(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d @ %H:%M").to_string()
}

const STYLE: &str = "
body { background: #eef1f4; font-family: 'Trebuchet MS', 'Helvetica Neue', Arial, sans-serif; margin: 0; color: #222; }
.page { max-width: 720px; margin: 24px auto; background: #fff; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.12); overflow: hidden; }
h1 { margin: 0; padding: 18px 24px; background: #2f5d8a; color: #fff; font-size: 1.6em; letter-spacing: .02em; }
h1 a { color: inherit; text-decoration: none; }
.navigation { padding: 8px 24px; background: #dde7f0; font-size: .95em; }
.navigation a { color: #2f5d8a; }
.body { padding: 8px 24px 16px; }
h2 { font-size: 1.3em; color: #2f5d8a; }
ul.flashes { list-style: none; margin: 12px 24px 0; padding: 8px 12px; background: #e6f4ea; border: 1px solid #b7dfc3; border-radius: 4px; }
div.error { margin: 8px 0; padding: 8px 12px; background: #fdecea; border: 1px solid #f5c2c0; border-radius: 4px; }
ul.messages { list-style: none; margin: 0; padding: 0; }
ul.messages li { display: flex; gap: 12px; padding: 10px 0; border-bottom: 1px solid #eee; }
ul.messages img { width: 48px; height: 48px; border-radius: 4px; flex: none; }
ul.messages p { margin: 0; overflow-wrap: anywhere; }
ul.messages small { color: #888; }
.twitbox, .followstatus { margin: 8px 0 16px; padding: 10px 12px; background: #f5f8fb; border-radius: 4px; }
.twitbox h3 { margin: 0 0 8px; font-size: 1em; }
.twitbox form { display: flex; gap: 8px; }
.twitbox input[type=text] { flex: 1; }
input[type=text], input[type=password] { padding: 6px; border: 1px solid #bbb; border-radius: 4px; font-size: 1em; }
input[type=submit] { padding: 6px 14px; background: #2f5d8a; color: #fff; border: 0; border-radius: 4px; font-size: 1em; cursor: pointer; }
dl dt { font-weight: bold; margin-top: 8px; }
dl dd { margin: 4px 0 0; }
.actions { margin-top: 12px; }
.older { display: inline-block; margin-top: 12px; }
.footer { padding: 10px 24px; background: #f5f8fb; color: #888; font-size: .85em; }
";

/// A whole page around `body`.
pub fn layout(title: &str, viewer: Option<&User>, flashes: &[String], body: &str) -> String {
    let mut page = String::with_capacity(body.len() + 4096);
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} | MiniTwit</title><style>{STYLE}</style></head>\n<body><div class=\"page\">\
         <h1><a href=\"/\">MiniTwit</a></h1>\n<div class=\"navigation\">",
        escape(title)
    );
    match viewer {
        Some(user) => {
            let _ = write!(
                page,
                "<a href=\"/\">my timeline</a> | <a href=\"/public\">public timeline</a> | \
                 <a href=\"/logout\">sign out [{}]</a>",
                escape(&user.username)
            );
        }
        None => page.push_str(
            "<a href=\"/public\">public timeline</a> | <a href=\"/register\">sign up</a> | \
             <a href=\"/login\">sign in</a>",
        ),
    }
    page.push_str("</div>\n");
    if !flashes.is_empty() {
        page.push_str("<ul class=\"flashes\">");
        for flash in flashes {
            let _ = write!(page, "<li>{}</li>", escape(flash));
        }
        page.push_str("</ul>\n");
    }
    let _ = write!(
        page,
        "<div class=\"body\">{body}</div>\n\
         <div class=\"footer\">MiniTwit &mdash; on the association platform</div>\n\
         </div></body></html>\n"
    );
    page
}

/// The list of messages, or a note that there are none.
pub fn messages(list: &[Shown]) -> String {
    let mut out = String::from("<ul class=\"messages\">\n");
    if list.is_empty() {
        out.push_str("<li><em>There&#39;s no message so far.</em></li>\n");
    }
    for message in list {
        let _ = writeln!(
            out,
            "<li><img src=\"{avatar}\" alt=\"\"><p><strong><a href=\"/{link}\">{name}</a></strong> \
             {text} <small>&mdash; {date}</small></p></li>",
            avatar = escape(&avatar::url(&message.email, 48)),
            link = escape(&path_segment(&message.username)),
            name = escape(&message.username),
            text = escape(&message.text),
            date = date(message.created_at),
        );
    }
    out.push_str("</ul>\n");
    out
}

/// An error line inside a form page.
pub fn error(message: Option<&str>) -> String {
    message
        .map(|m| {
            format!(
                "<div class=\"error\"><strong>Error:</strong> {}</div>",
                escape(m)
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_minitwit() {
        assert_eq!(
            escape(r#"<b>"Tom" & 'Jerry'</b>"#),
            "&lt;b&gt;&#34;Tom&#34; &amp; &#39;Jerry&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn usernames_become_path_segments() {
        assert_eq!(path_segment("Jane Doe/ø"), "Jane%20Doe%2F%C3%B8");
        assert_eq!(path_segment("plain-name_1"), "plain-name_1");
    }

    #[test]
    fn dates_read_as_minitwit_prints_them() {
        let at = DateTime::parse_from_rfc3339("2026-11-22T09:05:59Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(date(at), "2026-11-22 @ 09:05");
    }
}
