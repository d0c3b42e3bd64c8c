//! One module per group of requests, each adding handlers to [`crate::server::Server`].

mod attach;
pub(crate) mod breakpoints;
mod console;
mod execution;
mod inspection;
mod lifecycle;
mod modules;
