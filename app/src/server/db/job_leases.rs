//! Leases of the background jobs: several instances run the same timers, and the one
//! whose update moves a job's `due_at` on runs it for that period; the others skip.

use super::Conn;

/// Takes the job's turn when it is due at `now`, holding it until `next_due`; answers
/// whether this caller won. One conditional `UPDATE`: atomic on both databases.
pub async fn claim(conn: &mut Conn, job: &str, holder: &str, now: i64, next_due: i64) -> Result<bool, sqlx::Error> {
    sqlx::query("INSERT INTO job_leases (name, holder, due_at) VALUES ($1, '', 0) ON CONFLICT (name) DO NOTHING")
        .bind(job)
        .execute(&mut *conn)
        .await?;
    let won = sqlx::query("UPDATE job_leases SET holder = $2, due_at = $4 WHERE name = $1 AND due_at <= $3")
        .bind(job)
        .bind(holder)
        .bind(now)
        .bind(next_due)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(won == 1)
}
