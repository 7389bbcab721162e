//! Email texts: a plain-text and an HTML part for every mail, naming the
//! platform and linking to it.

use std::fmt::Write;

use crate::db::notifications::Notification;

/// What every mail needs to know about the platform.
#[derive(Debug, Clone)]
pub struct MailContext {
    pub platform_name: String,
    /// `https://example.org`: links start here.
    pub public_url: String,
    /// For Message-IDs.
    pub base_domain: String,
}

/// A rendered mail.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

fn page(ctx: &MailContext, heading: &str, inner_html: &str) -> String {
    format!(
        "<!doctype html><html><body style=\"margin:0;background:#eef1f4;font-family:Arial,sans-serif;color:#222\">\
         <div style=\"max-width:560px;margin:24px auto;background:#fff;border-radius:8px;overflow:hidden\">\
         <div style=\"background:#2f5d8a;color:#fff;padding:16px 24px;font-size:20px\">{platform}</div>\
         <div style=\"padding:16px 24px\"><h2 style=\"color:#2f5d8a;font-size:18px\">{heading}</h2>{inner_html}</div>\
         <div style=\"padding:12px 24px;background:#f5f8fb;color:#888;font-size:12px\">\
         {platform} &middot; <a href=\"{url}/\" style=\"color:#2f5d8a\">{url}</a> &middot; \
         choose which mails you get in your notification settings</div></div></body></html>",
        platform = escape(&ctx.platform_name),
        heading = escape(heading),
        url = escape(&ctx.public_url),
    )
}

/// The mail for one notification.
pub fn notification(ctx: &MailContext, n: &Notification) -> Rendered {
    let mut text = format!("{}\n\n{}\n", n.title, n.body);
    let mut inner = format!("<p>{}</p>", escape(&n.body));
    if let Some(link) = &n.link {
        let _ = write!(text, "\n{link}\n");
        let _ = write!(
            inner,
            "<p><a href=\"{0}\" style=\"color:#2f5d8a\">{0}</a></p>",
            escape(link)
        );
    }
    let _ = write!(text, "\n-- \n{}, {}\n", ctx.platform_name, ctx.public_url);
    Rendered {
        subject: format!("[{}] {}", ctx.platform_name, n.title),
        text,
        html: page(ctx, &n.title, &inner),
    }
}

/// The daily digest of a user's unread notifications.
pub fn digest(ctx: &MailContext, username: &str, unread: &[Notification], total: i64) -> Rendered {
    let title = format!(
        "You have {total} unread notification{}",
        if total == 1 { "" } else { "s" }
    );
    let mut text = format!("Hello {username},\n\n{title}:\n\n");
    let mut inner = format!("<p>Hello {},</p><ul>", escape(username));
    for n in unread {
        let _ = writeln!(text, "- {}: {}", n.title, n.body);
        let _ = write!(
            inner,
            "<li><strong>{}</strong><br>{}</li>",
            escape(&n.title),
            escape(&n.body)
        );
    }
    if total > unread.len() as i64 {
        let more = total - unread.len() as i64;
        let _ = writeln!(text, "- and {more} more");
        let _ = write!(inner, "<li>and {more} more</li>");
    }
    let _ = write!(
        text,
        "\nRead them at {}/\n\n-- \n{}\n",
        ctx.public_url, ctx.platform_name
    );
    let _ = write!(
        inner,
        "</ul><p><a href=\"{0}/\" style=\"color:#2f5d8a\">Read them on {1}</a></p>",
        escape(&ctx.public_url),
        escape(&ctx.platform_name)
    );
    Rendered {
        subject: format!("[{}] {title}", ctx.platform_name),
        text,
        html: page(ctx, &title, &inner),
    }
}
