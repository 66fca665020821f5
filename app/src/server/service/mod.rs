//! Flows: each public function is one use case, runs in one transaction, and writes its
//! audit events and outbox messages in that same transaction.

pub mod account;
pub mod activation;
pub mod authorisation_changes;
pub mod authorisation_list;
pub mod authorisations;
pub mod backoffice;
pub mod home;
pub mod issuance;
pub mod login;
pub mod means_admin;
pub mod means_cancel;
pub mod means_request;
pub mod overview;
pub mod registration;
pub mod registration_approval;
pub mod registration_confirm;
pub mod registration_draft;
pub mod registration_mail;
pub mod registration_objection;
pub mod registration_resend;
pub mod registration_review;
pub mod registration_status;
pub mod registration_status_link;
pub mod requests;
pub mod upload;
