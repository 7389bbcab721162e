//! `auth create-client --save-to DIR`: an API client whose id and secret live
//! in files (`<name>_client_id`, `<name>_client_secret`) for other services to
//! read as `..._FILE` settings. Made once: run again, it keeps a client the
//! files still prove (existing, not revoked, the secret matching) and replaces
//! one they do not. The compose file's init step runs it on every start.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use diesel::PgConnection;
use uuid::Uuid;

use crate::db::clients;
use crate::domain::clients::{create, NewClient};
use crate::domain::secret;

/// What `save` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Kept(Uuid),
    Created(Uuid),
}

fn files(dir: &Path, name: &str) -> Result<(PathBuf, PathBuf), String> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return Err(format!(
            "--save-to needs a --name of lowercase letters, digits, '_' or '-' (it names the files); got {name:?}"
        ));
    }
    Ok((
        dir.join(format!("{name}_client_id")),
        dir.join(format!("{name}_client_secret")),
    ))
}

/// The client the files name, if it exists, is not revoked and has that secret.
fn proven(conn: &mut PgConnection, id_file: &Path, secret_file: &Path) -> Option<Uuid> {
    let id: Uuid = std::fs::read_to_string(id_file).ok()?.trim().parse().ok()?;
    let presented = std::fs::read_to_string(secret_file).ok()?;
    let client = clients::find(conn, id).ok()??;
    (client.revoked_at.is_none() && secret::matches(presented.trim(), &client.secret_hash))
        .then_some(id)
}

/// Writes `contents` to `path` readable by its owner only, replacing it whole.
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    let partial = path.with_extension("partial");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&partial)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(partial, path)
}

/// Keeps the client the files in `dir` prove, or creates `client` and saves it there.
pub fn save(
    conn: &mut PgConnection,
    client: &NewClient,
    dir: &Path,
) -> Result<Outcome, Box<dyn std::error::Error + Send + Sync>> {
    let (id_file, secret_file) = files(dir, &client.name)?;
    if let Some(id) = proven(conn, &id_file, &secret_file) {
        return Ok(Outcome::Kept(id));
    }
    let created = create(conn, client, None).map_err(|e| e.detail)?;
    // The secret first: a reader that sees the new id finds its secret.
    write_private(&secret_file, &created.client_secret)?;
    write_private(&id_file, &created.client_id.to_string())?;
    Ok(Outcome::Created(created.client_id))
}
