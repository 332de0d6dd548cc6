//! Open enums: string values with a known set that DigiCert may extend. Unknown values
//! decode into `Other(String)` instead of failing the whole response. The codegen turns
//! every `x-known-values` schema of the specs into one (`crate::open_enum! { .. }` in the
//! generated `types` module), so the known values live in the spec alone.

/// Defines an open enum: known variants, an `Other(String)` catch-all, `KNOWN` (the
/// spec's `x-known-values`), string conversions and serde as a string.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the crate does not know yet, kept as sent.
            Other(String),
        }

        impl $name {
            /// The values this version knows, as DigiCert spells them.
            pub const KNOWN: &'static [&'static str] = &[$($value),+];

            /// The value as DigiCert spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )+
                    Self::Other(other) => other,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    };
}

pub(crate) use open_enum;

#[cfg(test)]
#[allow(unreachable_pub)]
mod tests {
    open_enum! {
        /// A test enum.
        pub enum Kind {
            /// `retail`.
            Retail = "retail",
            /// `reseller`.
            Reseller = "reseller",
        }
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
        for value in Kind::KNOWN.iter().chain(&["managed", ""]) {
            let parsed: Kind = serde_json::from_value(serde_json::json!(value)).unwrap();
            assert_eq!(
                serde_json::to_value(&parsed).unwrap(),
                serde_json::json!(value)
            );
            assert_eq!(parsed.to_string(), *value);
        }
        assert_eq!(Kind::from("reseller"), Kind::Reseller);
        assert_eq!(Kind::from("managed"), Kind::Other("managed".into()));
        assert_eq!("retail".parse::<Kind>(), Ok(Kind::Retail));
        assert!(serde_json::from_str::<Kind>("1").is_err());
    }
}
