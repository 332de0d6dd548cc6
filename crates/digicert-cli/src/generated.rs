//! The `digicert partner` and `digicert certcentral` commands, generated from the specs by
//! digicert-codegen (progenitor's `Generator::cli`, rewritten for the `digicert` client).
//! With feature `codegen` they are generated at build time from `spec/`; otherwise the
//! checked-in copies in `generated/` are compiled (`cargo xtask codegen` keeps them equal).

/// `digicert partner <operation>`.
pub mod partner {
    #![allow(missing_docs, unreachable_pub, clippy::all, rust_2018_idioms)]
    #[cfg(feature = "codegen")]
    include!(concat!(env!("OUT_DIR"), "/partner.rs"));
    #[cfg(not(feature = "codegen"))]
    include!("../generated/partner.rs");
}

/// `digicert certcentral <operation>`.
pub mod services {
    #![allow(missing_docs, unreachable_pub, clippy::all, rust_2018_idioms)]
    #[cfg(feature = "codegen")]
    include!(concat!(env!("OUT_DIR"), "/services.rs"));
    #[cfg(not(feature = "codegen"))]
    include!("../generated/services.rs");
}
