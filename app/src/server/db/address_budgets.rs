//! The client-address budgets, shared by every instance on the database: one row per
//! (budget, hashed address) holding the theoretical arrival time `tat` of a generic cell
//! rate (a token bucket that allows the hour's quota at once and refills evenly).

use super::Conn;

/// Spends one: `interval_ms` is the hour divided by the quota, `period_ms` the hour.
/// Answers `None` when allowed, else the milliseconds until one is free again. The
/// conditional `UPDATE` is atomic on both databases, so two instances spending at once
/// never both get the last one.
pub async fn spend(
    conn: &mut Conn,
    budget: &str,
    address_key: &str,
    now: i64,
    interval_ms: i64,
    period_ms: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query(
        "INSERT INTO address_budgets (budget, address, tat) VALUES ($1, $2, $3) \
         ON CONFLICT (budget, address) DO NOTHING",
    )
    .bind(budget)
    .bind(address_key)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let spent = sqlx::query(
        "UPDATE address_budgets SET tat = (CASE WHEN tat > $3 THEN tat ELSE $3 END) + $4 \
         WHERE budget = $1 AND address = $2 AND (CASE WHEN tat > $3 THEN tat ELSE $3 END) + $4 - $3 <= $5",
    )
    .bind(budget)
    .bind(address_key)
    .bind(now)
    .bind(interval_ms)
    .bind(period_ms)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if spent == 1 {
        return Ok(None);
    }
    let tat: i64 = sqlx::query_scalar("SELECT tat FROM address_budgets WHERE budget = $1 AND address = $2")
        .bind(budget)
        .bind(address_key)
        .fetch_one(conn)
        .await?;
    Ok(Some((tat.max(now) + interval_ms - now - period_ms).max(1)))
}

/// Forgets addresses whose buckets are full again.
pub async fn sweep(conn: &mut Conn, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM address_budgets WHERE tat <= $1")
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
}
