//! `sqlx::migrate!` embeds the migration files at compile time but does not watch their
//! directory: without this, a new migration file would not be in the next build.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
