//! Flows: each public function is one use case, runs in one transaction, and writes its
//! audit events and outbox messages in that same transaction.

pub mod home;
pub mod login;
pub mod means_request;
pub mod upload;
