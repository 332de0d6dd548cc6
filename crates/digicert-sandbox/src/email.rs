//! Email addresses as the sandbox accepts them: a conservative subset of RFC 5321, so that
//! every address it stores also passes the spec's `format: email` check.

/// Longest address accepted (RFC 5321's path limit, less the angle brackets).
const MAX_LEN: usize = 254;
/// Longest local part (RFC 5321).
const MAX_LOCAL_LEN: usize = 64;
/// Longest domain label (RFC 1035).
const MAX_LABEL_LEN: usize = 63;

/// Whether `address` is a plain `local@domain` address: a dot-atom local part of RFC 5322
/// `atext` characters, and a domain of at least two DNS labels whose last is alphabetic
/// (no IP literals, quoted local parts or whitespace anywhere).
pub(crate) fn is_valid(address: &str) -> bool {
    if address.len() > MAX_LEN {
        return false;
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    valid_local(local) && is_valid_domain(domain)
}

fn valid_local(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-";
    !local.is_empty()
        && local.len() <= MAX_LOCAL_LEN
        && local.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || SPECIALS.contains(c))
        })
}

/// Whether `domain` is at least two DNS labels (letters, digits, inner hyphens) whose last
/// is alphabetic: a host name, not an IP address.
pub(crate) fn is_valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= MAX_LABEL_LEN
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok
}

/// The form two addresses are compared in: DigiCert's docs say duplicates are dropped but
/// not how they compare, and mail systems treat addresses case-insensitively in practice.
pub(crate) fn comparable(address: &str) -> String {
    address.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses() {
        for ok in [
            "security@example.com",
            "first.last+tag@mail.example.co.uk",
            "o'brien@example.org",
            "x@a-b.io",
            "UPPER@EXAMPLE.COM",
        ] {
            assert!(is_valid(ok), "{ok}");
        }
    }

    #[test]
    fn refuses_everything_doubtful() {
        let long_local = format!("{}@example.com", "a".repeat(65));
        let long_total = format!("a@{}.com", "b".repeat(260));
        for bad in [
            "",
            "plainaddress",
            "@example.com",
            "user@",
            "user@localhost",
            "user@example",
            "user@example.c0m",
            "user@-example.com",
            "user@example-.com",
            "user@exa_mple.com",
            "user@@example.com",
            ".user@example.com",
            "user.@example.com",
            "us..er@example.com",
            "us er@example.com",
            " user@example.com",
            "user@example.com ",
            "\"quoted\"@example.com",
            "user@[192.0.2.1]",
            "usér@example.com",
            "user@example..com",
            long_local.as_str(),
            long_total.as_str(),
        ] {
            assert!(!is_valid(bad), "{bad:?}");
        }
    }

    #[test]
    fn compares_case_insensitively() {
        assert_eq!(comparable("Ops@Example.COM"), comparable("ops@example.com"));
    }
}
