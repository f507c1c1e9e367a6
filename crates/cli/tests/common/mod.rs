//! Running the `cchc` binary against a database file, for the CLI's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// Standard output then standard error, for the tests that do not care which.
    pub out: String,
}

impl Run {
    /// Exit status and everything printed.
    pub fn pair(self) -> (i32, String) {
        (self.code, self.out)
    }
    /// Exit status, standard output, standard error.
    pub fn triple(self) -> (i32, String, String) {
        (self.code, self.stdout, self.stderr)
    }
}

/// `cchc --db sqlite://DB ARGS…`, run from the repository's root (the examples' paths).
pub fn cchc(db: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .arg("--db")
        .arg(format!("sqlite://{}", db.display()))
        .args(args)
        .output()
        .expect("cchc runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    Run { code: out.status.code().unwrap_or(-1), out: stdout.clone() + &stderr, stdout, stderr }
}

/// A fresh directory for one test (`suite`, `name` and the process id keep tests apart).
pub fn temp(suite: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cchc-{suite}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
