//! Saving without risk: write a temporary file beside the target, flush it
//! to disk, then rename it over the target. A failure at any step leaves
//! the previous file as it was.

use std::io::Write;
use std::path::Path;

use super::error::SaveError;

/// Write `path` atomically with `write`, which gets a buffered writer.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), String>,
) -> Result<(), SaveError> {
    let io_err = |source| SaveError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".eventline-save-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io_err)?;
    // The temporary file is private (0600); give the result the old file's
    // permissions, or the usual ones for a new document.
    let permissions = match std::fs::metadata(path) {
        Ok(m) => Some(m.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(p) = permissions {
        tmp.as_file().set_permissions(p).map_err(io_err)?;
    }
    {
        let mut w = std::io::BufWriter::new(tmp.as_file());
        write(&mut w).map_err(|message| SaveError::Encode {
            path: path.to_path_buf(),
            message,
        })?;
        w.flush().map_err(io_err)?;
    }
    tmp.as_file().sync_all().map_err(io_err)?;
    tmp.persist(path).map_err(|e| io_err(e.error))?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}
