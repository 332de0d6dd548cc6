//! [`EmailList`]: email addresses that CertCentral takes as one comma-separated string.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// Email addresses that travel as one comma-separated string (CertCentral's `admin_email`
/// and `emergency_emails` in `PUT /account`): build it from a list, and it is written as
/// `a@example.com, b@example.com`, as DigiCert's own example writes it.
///
/// ```
/// use digicert::EmailList;
///
/// let list = EmailList::new(["ops@example.com", "security@example.com"])?;
/// assert_eq!(list.to_string(), "ops@example.com, security@example.com");
/// assert_eq!(serde_json::to_string(&list).unwrap(), r#""ops@example.com, security@example.com""#);
/// let parsed: EmailList = "a@example.com,b@example.com".parse()?;
/// assert_eq!(parsed.as_slice(), ["a@example.com", "b@example.com"]);
/// # Ok::<(), digicert::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct EmailList(Vec<String>);

impl EmailList {
    /// A list of `addresses`, trimmed. Each must be non-empty, without commas or
    /// whitespace inside (DigiCert's server checks that each is a valid address).
    pub fn new<I, S>(addresses: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut list = Vec::new();
        for (index, address) in addresses.into_iter().enumerate() {
            let address = address.as_ref().trim();
            if address.is_empty() {
                return Err(Error::config(format!("email list entry {index} is empty")));
            }
            if address.contains(|c: char| c == ',' || c.is_whitespace()) {
                return Err(Error::config(format!(
                    "email list entry {index} contains a comma or whitespace; give each address separately"
                )));
            }
            list.push(address.to_owned());
        }
        Ok(Self(list))
    }

    /// The addresses.
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many addresses there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Display for EmailList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(", "))
    }
}

/// Splits at commas; whitespace around each address is dropped.
impl FromStr for EmailList {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().is_empty() {
            return Ok(Self::default());
        }
        Self::new(s.split(','))
    }
}

impl TryFrom<Vec<String>> for EmailList {
    type Error = Error;

    fn try_from(value: Vec<String>) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl TryFrom<&str> for EmailList {
    type Error = Error;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl serde::Serialize for EmailList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for EmailList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse()
            .map_err(|_| serde::de::Error::custom("not a comma-separated list of email addresses"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_splits_and_refuses_what_cannot_round_trip() {
        let list = EmailList::new(vec![" a@x.example ".to_owned(), "b@x.example".into()]).unwrap();
        assert_eq!(list.to_string(), "a@x.example, b@x.example");
        assert_eq!(list.len(), 2);
        let back: EmailList = serde_json::from_str("\"a@x.example,b@x.example\"").unwrap();
        assert_eq!(back, list);
        assert!(EmailList::new(["a@x.example,b@x.example"]).is_err());
        assert!(EmailList::new(["a b@x.example"]).is_err());
        assert!(EmailList::new([""]).is_err());
        assert!("".parse::<EmailList>().unwrap().is_empty());
    }
}
