//! One module per group of requests, each adding handlers to [`crate::server::Server`].

pub(crate) mod breakpoints;
mod console;
mod execution;
mod inspection;
mod lifecycle;
