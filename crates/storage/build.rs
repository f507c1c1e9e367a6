//! The migrations are compiled into the crate (`sqlx::migrate!`): a migration added or changed
//! must rebuild it, which Cargo does not know from the Rust sources alone.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
